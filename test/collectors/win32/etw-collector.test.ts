import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EtwAddonError } from '../../../src/collectors/win32/etw-addon-error.js';
import { defaultEtwAddonPaths, loadEtwAddon } from '../../../src/collectors/win32/etw-addon.js';
import { EtwCollector } from '../../../src/collectors/win32/etw-collector.js';
import { projectRoot } from './win32-fixtures.js';

const notWindows = process.platform === 'win32' ? 'this test is about non-Windows hosts' : false;

test('off Windows the ETW collector says it cannot run, and why', { skip: notWindows }, async () => {
  const reason = await EtwCollector.probe();
  assert.match(reason ?? '', /^ETW_NOT_WINDOWS: the ETW collector runs on Windows only/);
  const collector = new EtwCollector();
  await assert.rejects(collector.start(() => undefined), (e: unknown) => e instanceof EtwAddonError && e.code === 'ETW_NOT_WINDOWS');
  const stats = collector.stats();
  assert.equal(stats.backend, 'etw');
  assert.equal(stats.events, 0);
  assert.equal(stats.lost, 0);
  await collector.stop(); // stopping a collector that never started is a no-op
});

test('a missing build is named with the command that makes it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-noaddon-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.throws(
    () => loadEtwAddon({ path: join(dir, 'vigil_etw.node'), platform: 'win32' }),
    (e: unknown) => e instanceof EtwAddonError && e.code === 'ETW_NOT_BUILT' && /node-gyp rebuild -C native\/win32/.test(e.message),
  );
});

test('the addon is looked for where the cross build and node-gyp put it', () => {
  assert.deepEqual(defaultEtwAddonPaths(projectRoot), [
    join(projectRoot, 'native', 'win32', 'build', 'vigil_etw.node'),
    join(projectRoot, 'native', 'win32', 'build', 'Release', 'vigil_etw.node'),
  ]);
});
