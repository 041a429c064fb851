import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EsloggerCollector, esloggerEventArgs } from '../../../src/collectors/darwin/eslogger-collector.js';
import { SensitiveFilePolicy } from '../../../src/sensitive-file-policy.js';
import { classifyEsloggerStderr, esloggerFix, FULL_DISK_ACCESS_ADVICE } from '../../../src/collectors/darwin/eslogger-failure.js';
import { probeEslogger, trialRun } from '../../../src/collectors/darwin/eslogger-probe.js';
import type { RawEvent } from '../../../src/collectors/raw-event.js';
import { FIXTURES, fixtureLines } from './darwin-test-helpers.js';

// eslogger exists only on macOS 13+: the collector is run against a stand-in script that replays recorded lines
const FAKE = join(FIXTURES, 'fake-eslogger.sh');
const TCC = 'eslogger: failed to create ES client: ES_NEW_CLIENT_RESULT_ERR_NOT_PERMITTED (the process is not authorized: grant Full Disk Access)';
const ROOTLESS = 'eslogger: failed to create ES client: ES_NEW_CLIENT_RESULT_ERR_NOT_PRIVILEGED';

async function collect(args: string[], extra: object = {}): Promise<{ c: EsloggerCollector; events: RawEvent[] }> {
  const events: RawEvent[] = [];
  const c = new EsloggerCollector({ esloggerPath: FAKE, esloggerArgs: args, attachMs: 400, network: false, snapshot: false, ...extra });
  await c.start((e) => events.push(e));
  return { c, events };
}

test('eslogger collector: streams recorded lines into RawEvents; sequence gaps are lost, bad lines malformed, other types ignored', async (t) => {
  const { c, events } = await collect(['replay', join(FIXTURES, 'eslogger-basic.jsonl')]);
  t.after(() => c.stop());
  assert.deepEqual(events.map((e) => e.kind), ['fork', 'exec', 'exit', 'exit', 'exit', 'exit']);
  const s = c.stats();
  assert.equal(s.backend, 'eslogger');
  assert.equal(s.lost, 3, 'global_seq_num skipped 3');
  assert.equal(s.ignored, 1);
  assert.equal(s.malformed, 0);
  assert.equal(s.lines, 7);
  assert.equal(s.events, 6);
  await c.stop();
  assert.equal(c.stats().restarts, 0, 'a stop is not a death');

  const odd = await collect(['replay', join(FIXTURES, 'eslogger-odd.jsonl')], { maxLineBytes: 1 << 20 });
  t.after(() => odd.c.stop());
  assert.equal(odd.events.length, 4);
  assert.equal(odd.c.stats().malformed, 4, 'unknown pid without start_time, truncated JSON, an array, a mismatched event_type');
  assert.equal(odd.events[2]!.process.startKey, odd.events[1]!.process.startKey, 'a message without start_time takes the key of the pid seen before');
});

test('eslogger collector with file telemetry: subscribes the file events, keeps sensitive opens only, counts what it drops', async (t) => {
  assert.deepEqual(esloggerEventArgs(false), ['exec', 'fork', 'exit']);
  assert.deepEqual(esloggerEventArgs(true), ['exec', 'fork', 'exit', 'create', 'rename', 'unlink', 'write', 'close', 'truncate', 'open', 'setmode', 'setowner']);
  const policy = new SensitiveFilePolicy([{ field: 'name', value: 'credentials', wildcard: true, insensitive: true, source: 'test' }]);
  const { c, events } = await collect(['replay', join(FIXTURES, 'eslogger-files.jsonl')], { files: { policy } });
  t.after(() => c.stop());
  const files = events.filter((e): e is Extract<RawEvent, { kind: 'file' }> => e.kind === 'file');
  assert.equal(files.filter((e) => e.action === 'open').map((e) => e.path).join(), '/Users/dev/.aws/credentials');
  const s = c.stats();
  assert.deepEqual(s.files, { kept: files.length, opensUnmatched: 2, opensRepeated: 0, modificationsRepeated: 2, forgotten: 0 });
  assert.equal(s.malformed, 1, 'the unlink without a target');
  assert.equal(s.ignored, 1, 'the close of an unmodified file');
  // Without file telemetry the same lines are ignored, counted.
  const off = await collect(['replay', join(FIXTURES, 'eslogger-files.jsonl')]);
  t.after(() => off.c.stop());
  assert.equal(off.events.length, 0);
  assert.equal(off.c.stats().ignored, 15);
  assert.equal(off.c.stats().files, null);
});

test('eslogger collector: an oversize line is skipped and counted, the next line still parses', async (t) => {
  const { c, events } = await collect(['replay', join(FIXTURES, 'eslogger-odd.jsonl')], { maxLineBytes: 64 * 1024 });
  t.after(() => c.stop());
  assert.equal(events.length, 3, 'the 260 KB argv line is dropped');
  assert.equal(c.stats().malformed, 5);
});

test('eslogger collector: start() rejects with the reason when Endpoint Security refuses (Full Disk Access, root)', async () => {
  await assert.rejects(collect(['refuse', TCC]), /VIGIL_ESLOGGER_UNAVAILABLE: eslogger lacks Full Disk Access .*System Settings/);
  await assert.rejects(collect(['refuse', ROOTLESS]), /eslogger must run as root/);
  await assert.rejects(
    new EsloggerCollector({ esloggerPath: '/nonexistent/eslogger', network: false, snapshot: false }).start(() => {}),
    /VIGIL_ESLOGGER_UNAVAILABLE: eslogger failed to start: spawn \/nonexistent\/eslogger ENOENT/,
  );
});

test('eslogger collector: restarts eslogger with backoff when it dies, and counts it', async (t) => {
  const { c, events } = await collect(['die', join(FIXTURES, 'seed-scenario.eslogger.jsonl')], { attachMs: 100, restartBackoffMs: 30, maxRestarts: 2 });
  t.after(() => c.stop());
  const t0 = Date.now();
  while (c.stats().restarts < 2 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(c.stats().restarts, 2);
  assert.equal(events.length, 18, 'each run replays the 6 lines: 3 runs');
});

test('eslogger collector: the ps snapshot after attaching reports running processes with the macOS start key', async (t) => {
  const { c, events } = await collect(['replay', join(FIXTURES, 'eslogger-basic.jsonl')], { snapshot: true });
  t.after(() => c.stop());
  const me = events.find((e) => e.kind === 'snapshot' && e.process.pid === process.pid);
  assert.ok(me, 'this test process is already running');
  assert.match(me!.process.startKey, /^\d+000000$/, 'microseconds since the epoch at 1-second precision');
  assert.equal(me!.platform, 'macos');
  assert.ok(c.stats().snapshotEvents > 0);
});

test('eslogger probe: not macOS, missing, not root, and a trial run that Endpoint Security refuses', async () => {
  assert.match((await probeEslogger({ platform: 'linux' }))!, /macOS 13/);
  assert.match((await probeEslogger({ platform: 'darwin', esloggerPath: '/nonexistent/eslogger' }))!, /not found/);
  assert.match((await probeEslogger({ platform: 'darwin', esloggerPath: FAKE, isRoot: false }))!, /root/);
  assert.equal(await probeEslogger({ platform: 'darwin', esloggerPath: FAKE, isRoot: true }), null, 'without a trial, present and root is enough');
  assert.match((await trialRun(FAKE, 3000, ['refuse', TCC]))!, /Full Disk Access/);
  assert.equal(await trialRun(FAKE, 300, ['replay', join(FIXTURES, 'eslogger-basic.jsonl')]), null, 'still running after the trial: accepted');
  assert.match(FULL_DISK_ACCESS_ADVICE, /Privacy & Security > Full Disk Access/);
});

test('eslogger stderr classification (table)', () => {
  const rows: Array<[string, string]> = [
    [TCC, 'no-full-disk-access'],
    ['Not permitted to create an ES Client (TCC)', 'no-full-disk-access'],
    [ROOTLESS, 'not-root'],
    ['ES_NEW_CLIENT_RESULT_ERR_TOO_MANY_CLIENTS', 'too-many-clients'],
    ['ES_NEW_CLIENT_RESULT_ERR_NOT_ENTITLED', 'not-entitled'],
    ['Segmentation fault', 'failed'],
    ['', 'failed'],
  ];
  for (const [stderr, want] of rows) assert.equal(classifyEsloggerStderr(stderr), want, stderr);
});

test("eslogger collector: its own lsof/ps runs, which eslogger reports too, are left out and counted", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-eslogger-own-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const [, execLine] = fixtureLines('eslogger-basic.jsonl');
  const m = JSON.parse(execLine!);
  m.event.exec.target.ppid = process.pid;
  m.event.exec.target.executable.path = '/usr/sbin/lsof';
  m.event.exec.args = ['lsof', '-nP', '-w', '-i', '-F', 'pcRuftPTn0'];
  const file = join(dir, 'own.jsonl');
  writeFileSync(file, `${JSON.stringify(m)}\n${execLine}\n`);
  const { c, events } = await collect(['replay', file]);
  t.after(() => c.stop());
  assert.deepEqual(events.map((e) => e.process.executable), ['/bin/ls']);
  assert.equal(c.stats().own, 1);
});

test('eslogger fixes for vigil doctor: Full Disk Access advice for a TCC refusal', async () => {
  assert.equal(esloggerFix((await trialRun(FAKE, 3000, ['refuse', TCC]))!), FULL_DISK_ACCESS_ADVICE);
  assert.match(esloggerFix((await probeEslogger({ platform: 'darwin', esloggerPath: FAKE, isRoot: false }))!)!, /root/);
  assert.match(esloggerFix((await probeEslogger({ platform: 'darwin', esloggerPath: '/nonexistent/eslogger' }))!)!, /macOS 13/);
  assert.equal(esloggerFix((await probeEslogger({ platform: 'linux' }))!), null);
});
