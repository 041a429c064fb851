import { test } from 'node:test';
import assert from 'node:assert/strict';
import { darwinStartKey } from '../../../src/collectors/darwin/darwin-start-key.js';
import { parseEsloggerLine, type EsloggerParseResult } from '../../../src/collectors/darwin/eslogger-parser.js';
import type { RawEvent } from '../../../src/collectors/raw-event.js';
import { epochSeconds, fixtureLines } from './darwin-test-helpers.js';

function events(results: EsloggerParseResult[]): RawEvent[] {
  return results.flatMap((r) => (r.ok && r.event !== null ? [r.event] : []));
}

test('startKey on macOS: microseconds since the epoch at whole-second precision', () => {
  assert.equal(darwinStartKey(1795856350.118234), '1795856350000000');
  assert.equal(darwinStartKey(1795856350), '1795856350000000');
  assert.equal(darwinStartKey(0.999999), '0');
});

test('eslogger fork, exec, exit (recorded lines in Apple es_message_t JSON)', () => {
  const results = fixtureLines('eslogger-basic.jsonl').map((l) => parseEsloggerLine(l));
  assert.ok(results.every((r) => r.ok), JSON.stringify(results.filter((r) => !r.ok)));
  const [fork, exec, exit0, exit1, exitKill, ignored, exitGap] = results as Array<Extract<EsloggerParseResult, { ok: true }>>;
  const zshKey = darwinStartKey(epochSeconds('2026-11-28T08:59:10Z'));
  const childKey = darwinStartKey(epochSeconds('2026-11-28T09:00:01Z'));

  assert.equal(fork!.event?.kind, 'fork');
  const f = fork!.event!;
  assert.equal(f.platform, 'macos');
  assert.equal(f.backend, 'eslogger');
  assert.equal(f.process.pid, 3187);
  assert.equal(f.process.ppid, 3101);
  assert.equal(f.process.startKey, childKey);
  assert.equal(f.process.parentStartKey, zshKey, 'the forking process names the parent');
  assert.ok(Math.abs(f.process.startTimeMs! - (Date.parse('2026-11-28T09:00:01.904Z') + 0.512)) < 1e-3, 'start time keeps microseconds');
  assert.ok(Math.abs(f.timeMs - (Date.parse('2026-11-28T09:00:01.904Z') + 0.601234)) < 1e-3, 'event time keeps microseconds');

  const e = exec!.event!;
  assert.equal(e.kind, 'exec');
  assert.equal(e.process.pid, 3187);
  assert.equal(e.process.startKey, childKey, 'exec keeps the start key');
  assert.equal(e.process.executable, '/bin/ls');
  assert.deepEqual(e.process.args, ['ls', '-la', '/Users/dev/Projects']);
  assert.equal(e.process.cwd, '/Users/dev');
  assert.equal(e.process.uid, 501);
  assert.equal(e.process.euid, 501);
  assert.equal(e.process.gid, 20);
  assert.equal(e.process.egid, 20);
  assert.equal(e.process.sessionLeaderPid, 3101);
  assert.equal(e.process.groupLeaderPid, 3187, 'the shell made the job its own process group');
  assert.equal(e.process.extra?.['pidversion'], 4502);
  assert.equal(e.process.extra?.['signing_id'], 'com.apple.ls');
  assert.equal(exec!.globalSeqNum, 1002);

  assert.equal(exit0!.event?.kind, 'exit');
  assert.equal((exit0!.event as Extract<RawEvent, { kind: 'exit' }>).exitCode, 0);
  assert.equal((exit1!.event as Extract<RawEvent, { kind: 'exit' }>).exitCode, 1, 'wait status 256 = exit(1)');
  assert.equal((exitKill!.event as Extract<RawEvent, { kind: 'exit' }>).exitCode, 137, 'wait status 9 = SIGKILL = 128 + 9');
  // An open is a file event now; the collector keeps it only when the sensitive-path policy names the path.
  assert.equal(ignored!.event?.kind, 'file');
  assert.equal((ignored!.event as Extract<RawEvent, { kind: 'file' }>).action, 'open');
  assert.equal((ignored!.event as Extract<RawEvent, { kind: 'file' }>).path, '/etc/hosts');
  assert.equal((ignored as { access?: string }).access, 'read');
  assert.equal(exitGap!.globalSeqNum! - ignored!.globalSeqNum!, 4, 'the fixture skips 3 sequence numbers');
});

test('eslogger odd cases: huge argv, escaped non-UTF-8, missing fields, malformed lines', () => {
  const lines = fixtureLines('eslogger-odd.jsonl');
  const seen = new Map<number, string>();
  const opts = { startKeyOf: (pid: number) => seen.get(pid), nowMs: () => 1_795_857_000_000, maxArgsBytes: 65536 };
  const results = lines.map((l) => {
    const r = parseEsloggerLine(l, opts);
    if (r.ok && r.event !== null) seen.set(r.event.process.pid, r.event.process.startKey);
    return r;
  });
  const [huge, nonUtf8, missing, unknownPid, noTime, truncated, array, mismatch] = results;

  assert.ok(lines[0]!.length > 200_000, 'the huge argv line is over 200 KB');
  assert.ok(huge!.ok && huge!.event !== null);
  const hp = huge!.event!.process;
  assert.equal(hp.argsTruncated, true);
  assert.ok(hp.args!.length > 100 && hp.args!.length < 4003);
  assert.equal(hp.args![0], 'xargs');
  assert.ok(hp.args!.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0) <= 65536, 'kept argv within the cap');
  assert.equal(hp.argsBytes, ['xargs', '-0', 'echo'].reduce((n, a) => n + a.length + 1, 0) + 4000 * ('/Users/dev/Library/Caches/com.example.build/objects/000000.o'.length + 1));

  const np = nonUtf8!.ok ? nonUtf8!.event!.process : undefined;
  assert.deepEqual(np?.args, ['cat', 'caf\uFFFD\uFFFD.txt', 'tab\there\u0001'], 'U+FFFD and control escapes arrive as eslogger wrote them');
  assert.equal(np?.cwd, '/Users/dev/t\u00e9l\u00e9chargements');

  assert.ok(missing!.ok && missing!.event !== null, 'exec without args, cwd, executable or start_time still parses');
  const mp = missing!.event!.process;
  assert.equal(mp.startKey, np!.startKey, 'start key taken from the pid seen before');
  assert.equal(mp.args, undefined);
  assert.equal(mp.cwd, undefined);
  assert.equal(mp.executable, undefined);

  assert.equal(unknownPid!.ok, false);
  assert.equal(!unknownPid!.ok && unknownPid!.code, 'ESLOGGER_MISSING_FIELD');
  assert.ok(noTime!.ok && noTime!.event !== null);
  assert.equal(noTime!.event!.timeMs, 1_795_857_000_000, 'no time: the collector clock');
  assert.equal((noTime!.event as Extract<RawEvent, { kind: 'exit' }>).exitCode, undefined, 'no stat: no exit code');
  assert.equal(!truncated!.ok && truncated!.code, 'ESLOGGER_BAD_JSON');
  assert.equal(!array!.ok && array!.code, 'ESLOGGER_NOT_EVENT');
  assert.equal(!mismatch!.ok && mismatch!.code, 'ESLOGGER_NOT_EVENT');
  assert.equal(events(results).length, 4);
});

test('raw non-UTF-8 bytes in a line are replaced by U+FFFD when the line is decoded, and the line still parses', () => {
  const [line] = fixtureLines('eslogger-raw-bytes.jsonl');
  const r = parseEsloggerLine(line!);
  assert.ok(r.ok && r.event !== null);
  assert.deepEqual(r.event!.process.args, ['touch', 'caf\uFFFD\uFFFD.txt']);
});
