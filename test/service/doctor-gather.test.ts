import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FULL_DISK_ACCESS_ADVICE } from '../../src/collectors/darwin/eslogger-failure.js';
import { runDoctor, type DoctorOptions } from '../../src/service/doctor.js';
import { gatherDoctorFacts } from '../../src/service/doctor-gather.js';

// eslogger exists only on macOS 13+: the macOS facts are gathered here with the real probes (eslogger trial
// start, ps + lsof) against stand-in eslogger scripts that behave as eslogger does when Endpoint Security
// refuses it (message on stderr, exit 1) or accepts it (keeps running until killed).

const TCC = 'eslogger: failed to create ES client: ES_NEW_CLIENT_RESULT_ERR_NOT_PERMITTED';

function standIns(t: { after(fn: () => void): void }): { refused: string; accepted: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-doctor-eslogger-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const refused = join(dir, 'eslogger-refused');
  const accepted = join(dir, 'eslogger-accepted');
  writeFileSync(refused, `#!/bin/sh\nprintf '%s\\n' '${TCC}' >&2\nexit 1\n`);
  writeFileSync(accepted, '#!/bin/sh\nexec sleep 30\n');
  chmodSync(refused, 0o755);
  chmodSync(accepted, 0o755);
  return { refused, accepted, dir };
}

function options(dir: string, over: Partial<DoctorOptions>): DoctorOptions {
  return { dbPath: join(dir, 'db', 'alerts.db'), rulePaths: [], pollIntervalMs: 100, platform: 'darwin', ...over };
}

test('doctor on macOS: eslogger refused by TCC -> ps-lsof fallback with the Full Disk Access explanation', async (t) => {
  const s = standIns(t);
  const r = await runDoctor(options(s.dir, { eslogger: { esloggerPath: s.refused, isRoot: true } }));
  assert.equal(r.platform, 'darwin');
  assert.equal(r.backend, 'ps-lsof', 'ps and lsof run on this machine');
  assert.equal(r.ebpfUsable, false);
  assert.match(r.fallbackReason!, /^eslogger lacks Full Disk Access \(ES_NEW_CLIENT_RESULT_ERR_NOT_PERMITTED\).*: eslogger: failed to create ES client/);
  assert.equal(r.misses.length, 4);
  assert.match(r.misses.join('\n'), /short-lived processes.*every 250 ms/);
  assert.match(r.misses.join('\n'), /files: ps and lsof cannot see file activity/);
  const c = r.checks.find((x) => x.id === 'collector')!;
  assert.equal(c.status, 'warn');
  assert.ok(c.detail.startsWith(`ps-lsof fallback: ${r.fallbackReason}`), c.detail);
  assert.equal(c.fix, FULL_DISK_ACCESS_ADVICE);
  assert.match(c.fix!, /Full Disk Access.*Terminal.*node binary/);
  for (const id of ['btf', 'tracefs', 'ebpf-helper']) assert.equal(r.checks.find((x) => x.id === id)!.detail, 'not applicable on macOS');
});

test('doctor on macOS: a trial start eslogger survives -> eslogger, only lsof-polled connections missed', async (t) => {
  const s = standIns(t);
  const f = await gatherDoctorFacts(options(s.dir, { eslogger: { esloggerPath: s.accepted, isRoot: true, trialMs: 300 } }));
  assert.equal(f.esloggerProbe, null);
  assert.equal(f.psLsofProbe, null);
  assert.equal(f.capEff, null, 'no Linux capabilities gathered for macOS');
  const r = await runDoctor(options(s.dir, { eslogger: { esloggerPath: s.accepted, isRoot: true, trialMs: 300 }, lsofIntervalMs: 700 }));
  assert.equal(r.backend, 'eslogger');
  assert.equal(r.fallbackReason, null);
  assert.equal(r.misses.length, 1);
  assert.match(r.misses[0]!, /polled every 700 ms/);
  assert.equal(r.checks.find((x) => x.id === 'collector')!.status, 'ok');
});

test('doctor on macOS: not root, eslogger missing, and no lsof either (negative rows: no Full Disk Access advice)', async (t) => {
  const s = standIns(t);
  const rows: ReadonlyArray<[Partial<DoctorOptions>, string | null, RegExp, RegExp, 'warn' | 'fail']> = [
    [{ eslogger: { esloggerPath: s.refused, isRoot: false } }, 'ps-lsof', /^eslogger must run as root/, /^run Vigil as root/, 'warn'],
    [{ eslogger: { esloggerPath: join(s.dir, 'nonexistent') } }, 'ps-lsof', /^eslogger not found \(it ships with macOS 13/, /macOS 13 \(Ventura\) or later/, 'warn'],
    [{ eslogger: { esloggerPath: s.refused, isRoot: false }, psLsof: { lsofPath: join(s.dir, 'no-lsof') } }, null, /^eslogger must run as root/, /^run Vigil as root.*on PATH$/, 'fail'],
  ];
  for (const [over, backend, reason, fix, status] of rows) {
    const r = await runDoctor(options(s.dir, over));
    const c = r.checks.find((x) => x.id === 'collector')!;
    assert.equal(r.backend, backend);
    assert.match(r.fallbackReason!, reason);
    assert.equal(c.status, status);
    assert.match(c.fix!, fix);
    assert.doesNotMatch(c.fix!, /Full Disk Access/);
    if (backend === null) assert.match(c.detail, /ps-lsof: lsof cannot run/);
  }
});
