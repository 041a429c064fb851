import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ETW_EVENT_TABLE } from '../../../src/collectors/win32/etw-event-table.js';
import { ETW_PROVIDER_GUIDS } from '../../../src/collectors/win32/etw-record.js';
import { projectRoot } from './win32-fixtures.js';

// The session enables exactly the events the mapping knows: etw-defs.h and etw-event-table.ts must agree.
const defs = readFileSync(join(projectRoot, 'native', 'win32', 'src', 'etw-defs.h'), 'utf8');

function idList(name: string): number[] {
  const m = new RegExp(`${name}\\[\\]\\s*=\\s*\\{([^}]*)\\}`).exec(defs);
  assert.ok(m, `${name} in etw-defs.h`);
  return m[1]!.split(',').map((s) => Number(s.trim())).sort((a, b) => a - b);
}

function guid(name: string): string {
  const m = new RegExp(`${name}\\s*=\\s*\\{0x([0-9a-f]+),\\s*0x([0-9a-f]+),\\s*0x([0-9a-f]+),\\s*\\{([^}]*)\\}\\}`, 'i').exec(defs);
  assert.ok(m, `${name} in etw-defs.h`);
  const tail = m[4]!.split(',').map((s) => s.trim().replace(/^0x/, '').padStart(2, '0'));
  return `${m[1]!.padStart(8, '0')}-${m[2]!.padStart(4, '0')}-${m[3]!.padStart(4, '0')}-${tail.slice(0, 2).join('')}-${tail.slice(2).join('')}`.toLowerCase();
}

test('the native session enables the events the JS mapping knows, no more, no fewer', () => {
  const keys = (p: keyof typeof ETW_EVENT_TABLE) => Object.keys(ETW_EVENT_TABLE[p]).map(Number).sort((a, b) => a - b);
  assert.deepEqual(idList('kProcessEventIds'), keys('kernel-process'));
  assert.deepEqual(idList('kNetworkEventIds'), keys('kernel-network'));
  const udp = (kind: string) => Object.entries(ETW_EVENT_TABLE['kernel-network']).filter(([, v]) => v.kind === kind).map(([k]) => Number(k)).sort((a, b) => a - b);
  assert.deepEqual(idList('kUdpSendIds'), udp('udp_send'));
  assert.deepEqual(idList('kUdpRecvIds'), udp('udp_recv'));
});

test('provider GUIDs agree between the addon and the JS side', () => {
  assert.equal(guid('kKernelProcessGuid'), ETW_PROVIDER_GUIDS['kernel-process']);
  assert.equal(guid('kKernelNetworkGuid'), ETW_PROVIDER_GUIDS['kernel-network']);
  assert.equal(guid('kKernelFileGuid'), ETW_PROVIDER_GUIDS['kernel-file']);
});
