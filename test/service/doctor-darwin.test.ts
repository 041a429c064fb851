import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esloggerFailureMessage, FULL_DISK_ACCESS_ADVICE } from '../../src/collectors/darwin/eslogger-failure.js';
import type { DoctorCheck } from '../../src/service/doctor-check.js';
import { runDoctorChecks, type DoctorFacts } from '../../src/service/doctor-checks.js';
import { doctorReport } from '../../src/service/doctor.js';

// The darwin checks read facts only: here they get the facts a Mac would give (probe sentences as
// probeEslogger words them), so every macOS outcome is checked on this Linux machine.

const TCC_STDERR = 'eslogger: failed to create ES client: ES_NEW_CLIENT_RESULT_ERR_NOT_PERMITTED';
const FDA = esloggerFailureMessage('no-full-disk-access', TCC_STDERR);
const NOT_ROOT = esloggerFailureMessage('not-root');
const MISSING = esloggerFailureMessage('missing', '/usr/bin/eslogger');

function facts(over: Partial<DoctorFacts>): DoctorFacts {
  return {
    platform: 'darwin',
    env: { PATH: '/usr/bin:/bin' },
    uid: 0,
    capEff: null,
    helperPath: '/nonexistent/vigil-ebpf',
    ebpfProbe: 'not Linux',
    procfsProbe: 'not Linux',
    pollIntervalMs: 100,
    esloggerProbe: null,
    psLsofProbe: null,
    psIntervalMs: 250,
    lsofIntervalMs: 500,
    dbPath: join(tmpdir(), 'vigil-doctor-darwin-none', 'alerts.db'),
    rules: { paths: ['/rules'], loaded: 1, skipped: 0, errors: [] },
    service: null,
    ...over,
  };
}

function one(f: DoctorFacts, id: 'collector' | 'privileges'): DoctorCheck {
  return runDoctorChecks(f, [id])[0]!;
}

interface Row {
  readonly name: string;
  readonly facts: Partial<DoctorFacts>;
  readonly status: DoctorCheck['status'];
  readonly backend: string | null;
  readonly detail: RegExp;
  /** The fix must match this; null = no fix. */
  readonly fix: RegExp | string | null;
  /** Full Disk Access must be explained (true) or must not be mentioned at all (false). */
  readonly fullDiskAccess: boolean;
  readonly misses: number;
}

const ROWS: readonly Row[] = [
  { name: 'eslogger runs (trial start accepted)', facts: {}, status: 'ok', backend: 'eslogger', detail: /^eslogger will be used \(a trial start was accepted\): every exec, fork and exit.*lsof polling/, fix: null, fullDiskAccess: false, misses: 1 },
  { name: 'Full Disk Access refused (probe sentence)', facts: { esloggerProbe: FDA }, status: 'warn', backend: 'ps-lsof', detail: /^ps-lsof fallback: eslogger lacks Full Disk Access \(ES_NEW_CLIENT_RESULT_ERR_NOT_PERMITTED\)/, fix: FULL_DISK_ACCESS_ADVICE, fullDiskAccess: true, misses: 4 },
  { name: 'Full Disk Access refused (other words)', facts: { esloggerProbe: 'not permitted: Full Disk Access (TCC) not granted' }, status: 'warn', backend: 'ps-lsof', detail: /^ps-lsof fallback: not permitted: Full Disk Access \(TCC\) not granted\. Polling misses: short-lived processes/, fix: FULL_DISK_ACCESS_ADVICE, fullDiskAccess: true, misses: 4 },
  { name: 'not root', facts: { uid: 501, esloggerProbe: NOT_ROOT }, status: 'warn', backend: 'ps-lsof', detail: /^ps-lsof fallback: eslogger must run as root/, fix: /^run Vigil as root \(sudo, or the LaunchDaemon/, fullDiskAccess: false, misses: 4 },
  { name: 'eslogger missing (macOS < 13)', facts: { esloggerProbe: MISSING }, status: 'warn', backend: 'ps-lsof', detail: /^ps-lsof fallback: eslogger not found .*: \/usr\/bin\/eslogger\./, fix: /macOS 13 \(Ventura\) or later/, fullDiskAccess: false, misses: 4 },
  { name: 'too many ES clients', facts: { esloggerProbe: esloggerFailureMessage('too-many-clients', 'ES_NEW_CLIENT_RESULT_ERR_TOO_MANY_CLIENTS') }, status: 'warn', backend: 'ps-lsof', detail: /^ps-lsof fallback: too many Endpoint Security clients/, fix: /stop another Endpoint Security client/, fullDiskAccess: false, misses: 4 },
  { name: 'negative: an unexplained failure gets no Full Disk Access advice', facts: { esloggerProbe: esloggerFailureMessage('failed', 'spawn /usr/bin/eslogger EACCES') }, status: 'warn', backend: 'ps-lsof', detail: /^ps-lsof fallback: eslogger failed to start: spawn/, fix: /sudo eslogger exec/, fullDiskAccess: false, misses: 4 },
  { name: 'negative: not entitled is not a TCC refusal', facts: { esloggerProbe: esloggerFailureMessage('not-entitled', 'ES_NEW_CLIENT_RESULT_ERR_NOT_ENTITLED') }, status: 'warn', backend: 'ps-lsof', detail: /^ps-lsof fallback: eslogger is not entitled/, fix: /sudo eslogger exec/, fullDiskAccess: false, misses: 4 },
  { name: 'nothing runs: Full Disk Access refused and no lsof', facts: { esloggerProbe: FDA, psLsofProbe: 'lsof cannot run: spawn lsof ENOENT' }, status: 'fail', backend: null, detail: /^no collector can run: eslogger: eslogger lacks Full Disk Access.*; ps-lsof: lsof cannot run/, fix: /Full Disk Access.*on PATH$/, fullDiskAccess: true, misses: 0 },
];

test('darwin collector check: eslogger, else the ps-lsof fallback with its reason, fix and misses (table)', () => {
  for (const row of ROWS) {
    const f = facts(row.facts);
    const c = one(f, 'collector');
    assert.equal(c.status, row.status, row.name);
    assert.match(c.detail, row.detail, row.name);
    if (row.fix === null) assert.equal(c.fix, null, row.name);
    else if (typeof row.fix === 'string') assert.equal(c.fix, row.fix, row.name);
    else assert.match(c.fix ?? '', row.fix, row.name);
    const said = `${c.detail}\n${c.fix ?? ''}`;
    if (row.fullDiskAccess) assert.match(said, /System Settings > Privacy & Security > Full Disk Access/, row.name);
    else assert.doesNotMatch(c.fix ?? '', /Full Disk Access/, row.name);

    // the report's backend / fallbackReason / misses are the check's
    const r = doctorReport(f);
    assert.equal(r.backend, row.backend, row.name);
    assert.equal(r.ebpfUsable, false, row.name);
    assert.equal(r.fallbackReason, row.backend === 'eslogger' ? null : f.esloggerProbe, row.name);
    assert.equal(r.misses.length, row.misses, row.name);
    assert.deepEqual(c.data, { backend: r.backend, fallbackReason: r.fallbackReason, misses: r.misses }, row.name);
    assert.doesNotMatch(r.collectorSummary, /eBPF/, row.name);
  }
});

test('darwin ps-lsof misses: short-lived processes, connections between polls, exit codes, with the poll periods', () => {
  const r = doctorReport(facts({ esloggerProbe: FDA, psIntervalMs: 300, lsofIntervalMs: 900 }));
  assert.equal(r.misses.length, 4);
  assert.match(r.misses[0]!, /^short-lived processes: .*between two ps polls \(every 300 ms\)/);
  assert.match(r.misses[1]!, /^connections are seen only while lsof lists the socket \(polled every 900 ms\): one opened and closed between two polls/);
  assert.match(r.misses[2]!, /^exit codes are unknown/);
  assert.match(r.misses[3]!, /^files: ps and lsof cannot see file activity .* no file rule can fire/);
  assert.equal(r.collectorSummary, `eslogger is not usable here (${FDA}): \`vigil run\` falls back to ps-lsof polling, which misses:`);
  const es = doctorReport(facts({ lsofIntervalMs: 900 }));
  assert.deepEqual(es.misses, [r.misses[1]], 'eslogger sees every process; only connections are polled');
  assert.match(es.collectorSummary, /^eslogger is usable here/);
});

test('darwin privileges: root is what eslogger needs; otherwise a warning with the root fix', () => {
  const rows: ReadonlyArray<[number | null, DoctorCheck['status'], RegExp, RegExp | null]> = [
    [0, 'ok', /^uid 0: root, as eslogger \(Endpoint Security\) requires$/, null],
    [501, 'warn', /^uid 501: eslogger must run as root .*lsof lists only this user's sockets$/, /^run Vigil as root/],
    [null, 'warn', /^uid unknown: eslogger must run as root/, /^run Vigil as root/],
  ];
  for (const [uid, status, detail, fix] of rows) {
    const c = one(facts({ uid }), 'privileges');
    assert.equal(c.status, status, `uid ${uid}`);
    assert.match(c.detail, detail);
    if (fix === null) assert.equal(c.fix, null);
    else assert.match(c.fix!, fix);
    assert.doesNotMatch(c.detail, /CAP_|capabilit/, 'no Linux capabilities on macOS');
  }
});

test('on macOS the Linux-only checks are info "not applicable on macOS"; the rest still run', () => {
  const r = doctorReport(facts({}));
  const byId = new Map(r.checks.map((c) => [c.id, c]));
  for (const id of ['btf', 'tracefs', 'ebpf-helper', 'session-bus', 'notification-daemon'] as const) {
    assert.equal(byId.get(id)!.status, 'info', id);
    assert.equal(byId.get(id)!.detail, 'not applicable on macOS', id);
    assert.equal(byId.get(id)!.fix, null, id);
  }
  assert.match(byId.get('notify-send')!.detail, /^not used on macOS/);
  assert.equal(byId.get('collector')!.status, 'ok');
  assert.equal(byId.get('privileges')!.status, 'ok');
  assert.equal(byId.get('rules')!.status, 'ok');
  assert.equal(byId.get('database')!.status, 'ok', byId.get('database')!.detail);
  assert.deepEqual(r.summary, { ok: 4, warn: 0, fail: 0, info: 7 });
});

test('negative: Linux facts never speak of eslogger or Full Disk Access, and keep their verdicts', () => {
  const linux = (over: Partial<DoctorFacts>): DoctorFacts => facts({ platform: 'linux', esloggerProbe: FDA, psLsofProbe: null, ebpfProbe: null, procfsProbe: null, capEff: 0n, uid: 0, ...over });
  const rows: ReadonlyArray<[Partial<DoctorFacts>, string | null, string | null, DoctorCheck['status'], RegExp]> = [
    [{}, 'ebpf', null, 'ok', /^eBPF is usable here: `vigil run` collects with eBPF\.$/],
    [{ ebpfProbe: 'not root' }, 'procfs', 'not root', 'warn', /^eBPF is not usable here \(not root\): `vigil run` falls back to procfs, which misses:$/],
    [{ ebpfProbe: 'not root', procfsProbe: 'no /proc' }, null, 'not root', 'fail', /^No collector can run here\.$/],
  ];
  for (const [over, backend, reason, status, summary] of rows) {
    const f = linux(over);
    const r = doctorReport(f);
    const c = one(f, 'collector');
    assert.equal(r.backend, backend);
    assert.equal(r.fallbackReason, reason);
    assert.equal(c.status, status);
    assert.match(r.collectorSummary, summary);
    assert.equal(r.misses.length, backend === 'procfs' ? 4 : 0);
    for (const check of r.checks) assert.doesNotMatch(`${check.detail} ${check.fix ?? ''}`, /eslogger|Full Disk Access|not applicable/, check.id);
  }
});
