import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EbpfCollector } from '../../src/collectors/linux/ebpf-collector.js';
import { readHostIdentity } from '../../src/collectors/host-identity.js';
import type { RawEvent } from '../../src/collectors/raw-event.js';
import { describeCollector, NoCollectorError, openCollector } from '../../src/collectors/select-collector.js';
import { startChild } from './linux/procfs-test-helpers.js';

const host = readHostIdentity('linux');
const ebpfWhyNot = await EbpfCollector.probe();

test('auto: eBPF when it can load, then a /proc snapshot of what was already running', { skip: ebpfWhyNot ?? false }, async (t) => {
  const sleeper = startChild('sleep', ['30']);
  t.after(sleeper.dispose);
  const events: RawEvent[] = [];
  const opened = await openCollector('auto', 'linux', (e) => events.push(e), { host });
  t.after(() => opened.collector.stop());
  assert.equal(opened.backend, 'ebpf');
  assert.deepEqual(opened.fallbacks, []);
  assert.equal(describeCollector(opened), 'ebpf');
  assert.ok(opened.snapshotEvents > 0);
  const snap = events.find((e) => e.kind === 'snapshot' && e.process.pid === sleeper.pid);
  assert.ok(snap, 'the sleep started before attaching is reported as already running');
});

test('auto: falls back to procfs and keeps the reason eBPF could not run', async (t) => {
  const events: RawEvent[] = [];
  const opened = await openCollector('auto', 'linux', (e) => events.push(e), { host, ebpf: { helperPath: '/nonexistent/vigil-ebpf' }, procfs: { intervalMs: 50 } });
  t.after(() => opened.collector.stop());
  assert.equal(opened.backend, 'procfs');
  assert.equal(opened.fallbacks.length, 1);
  assert.equal(opened.fallbacks[0]!.backend, 'ebpf');
  assert.ok(opened.fallbacks[0]!.reason.length > 0);
  assert.match(describeCollector(opened), /^procfs \(ebpf: .+\)$/);
  assert.equal(opened.snapshotEvents, 0, 'procfs does its own first scan');
  assert.ok(events.some((e) => e.kind === 'snapshot' && e.process.pid === process.pid), 'procfs first scan reports this process');
});

test('an explicit backend that cannot run is an error with the reason, not a silent fallback', async () => {
  await assert.rejects(
    openCollector('ebpf', 'linux', () => {}, { host, ebpf: { helperPath: '/nonexistent/vigil-ebpf' } }),
    (e: unknown) => e instanceof NoCollectorError && e.code === 'VIGIL_NO_COLLECTOR' && e.fallbacks.length === 1 && e.fallbacks[0]!.backend === 'ebpf',
  );
});

test('explicit procfs', async (t) => {
  const opened = await openCollector('procfs', 'linux', () => {}, { host });
  t.after(() => opened.collector.stop());
  assert.equal(opened.backend, 'procfs');
  assert.deepEqual(opened.fallbacks, []);
});

test('macos: auto tries eslogger, then falls back to ps-lsof with the reason', async (t) => {
  const opened = await openCollector('auto', 'macos', () => {}, { host, psLsof: { network: false } });
  t.after(() => opened.collector.stop());
  assert.equal(opened.backend, 'ps-lsof');
  assert.equal(opened.fallbacks.length, 1);
  assert.equal(opened.fallbacks[0]!.backend, 'eslogger');
  assert.match(opened.fallbacks[0]!.reason, /macOS 13/);
});

test('no backend of the chain can run: one error naming each backend and why', async () => {
  // the Windows chain (ETW) on this Linux machine
  await assert.rejects(
    openCollector('auto', 'windows', () => {}, { host }),
    (e: unknown) => e instanceof NoCollectorError && e.fallbacks.map((f) => f.backend).join() === 'etw' && /VIGIL_NO_COLLECTOR: no collector can run: etw: /.test(e.message),
  );
});
