import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EbpfCollector } from '../../src/collectors/linux/ebpf-collector.js';
import { scanProcfsSnapshot } from '../../src/collectors/linux/procfs-snapshot.js';
import { readHostIdentity } from '../../src/collectors/host-identity.js';
import type { RawEvent } from '../../src/collectors/raw-event.js';
import { deriveAgentId } from '../../src/normalize/agent-fields.js';
import { computeEntityId } from '../../src/normalize/entity-id.js';
import { Normalizer } from '../../src/normalize/normalizer.js';
import { EventLog, startChild, startTicksOf } from '../collectors/linux/procfs-test-helpers.js';

const rows: Array<[string, [string, string, number, string], [string, string, number, string], boolean]> = [
  ['same inputs', ['h', 'b', 1, '10'], ['h', 'b', 1, '10'], true],
  // negative rows: each input matters
  ['other host', ['h', 'b', 1, '10'], ['H', 'b', 1, '10'], false],
  ['other boot', ['h', 'b', 1, '10'], ['h', 'B', 1, '10'], false],
  ['other pid', ['h', 'b', 1, '10'], ['h', 'b', 2, '10'], false],
  ['other start', ['h', 'b', 1, '10'], ['h', 'b', 1, '11'], false],
  ['no ambiguity across field borders', ['h', 'b', 11, '0'], ['h', 'b', 1, '10'], false],
];
for (const [name, a, b, same] of rows) {
  test(`computeEntityId: ${name}`, () => {
    assert.equal(computeEntityId(...a) === computeEntityId(...b), same);
    assert.match(computeEntityId(...a), /^[A-Za-z0-9+/]{32}$/);
  });
}

test('host identity: machine id, boot id and a boot time consistent with /proc/stat btime', () => {
  const h = readHostIdentity('linux');
  assert.equal(h.hostId, readFileSync('/etc/machine-id', 'utf8').trim());
  assert.equal(h.bootId, readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
  const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))![1]) * 1000;
  assert.ok(Math.abs(h.bootTimeMs - btime) < 2000, `${h.bootTimeMs} vs btime ${btime}`);
  assert.equal(h.os.type, 'linux');
  assert.match(deriveAgentId(h.hostId), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

const ebpfWhyNot = await EbpfCollector.probe();

test('the same long-running process gets the same process.entity_id from an eBPF exec and a procfs scan', { skip: ebpfWhyNot ?? false }, async (t) => {
  const host = readHostIdentity('linux');
  const log = new EventLog();
  const ebpf = new EbpfCollector();
  await ebpf.start(log.sink);
  t.after(() => ebpf.stop());
  const sleeper = startChild('sleep', ['31']);
  t.after(sleeper.dispose);
  const exec = await log.waitFor((e) => e.kind === 'exec' && e.process.pid === sleeper.pid, 5000, 'eBPF exec of sleep');
  const snap = scanProcfsSnapshot(host).find((e) => e.process.pid === sleeper.pid);
  assert.ok(snap, 'procfs scan sees the sleep');
  assert.equal(exec.process.startKey, startTicksOf(sleeper.pid));
  assert.equal(snap.process.startKey, exec.process.startKey);
  // two independent normalizers (as after an agent restart) name it the same
  const docOf = (raw: RawEvent) => new Normalizer({ host, agent: { id: 'a', version: '0' } }).normalize(raw) as { process: { entity_id: string; parent: { entity_id: string } } };
  const a = docOf(exec);
  const b = docOf(snap);
  assert.equal(a.process.entity_id, b.process.entity_id);
  assert.equal(a.process.parent.entity_id, b.process.parent.entity_id, 'the parent (this test runner) too');
});
