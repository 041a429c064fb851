import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export interface UnitToVerify {
  /** Unit file name, e.g. vigil.service. */
  readonly name: string;
  readonly content: string;
  /** A user unit (verified by a user manager), else a system unit. */
  readonly user: boolean;
}

export interface VerifyResult {
  /** systemd-analyze was found. */
  readonly available: boolean;
  readonly ok: boolean;
  /** Every line systemd-analyze printed (a clean unit prints none). */
  readonly diagnostics: readonly string[];
  readonly commands: readonly string[];
}

/**
 * Runs `systemd-analyze verify` on generated units. It works without systemd as PID 1 when given unit file
 * paths: units are written to a temp dir under their own names; user units are verified with `--user` and a
 * private XDG_RUNTIME_DIR (a user manager needs one). systemd-analyze exits 0 even on unknown keys, so any
 * output line counts as a failure. The temp dir is removed.
 */
export function verifySystemdUnits(units: readonly UnitToVerify[]): VerifyResult {
  const probe = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) return { available: false, ok: false, diagnostics: ['systemd-analyze not found'], commands: [] };
  const dir = mkdtempSync(join(tmpdir(), 'vigil-verify-'));
  const diagnostics: string[] = [];
  const commands: string[] = [];
  let ok = true;
  try {
    const runtime = join(dir, 'runtime');
    mkdirSync(runtime, { mode: 0o700 });
    for (const user of [false, true]) {
      const paths = units.filter((u) => u.user === user).map((u) => {
        const path = join(dir, basename(u.name));
        writeFileSync(path, u.content);
        return path;
      });
      if (paths.length === 0) continue;
      const args = [...(user ? ['--user'] : []), 'verify', ...paths];
      commands.push(`systemd-analyze ${args.join(' ')}`);
      const r = spawnSync('systemd-analyze', args, {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, ...(user ? { XDG_RUNTIME_DIR: runtime } : {}), SYSTEMD_LOG_COLOR: '0' },
      });
      const lines = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').filter((l) => l.trim() !== '').map((l) => l.replaceAll(dir + '/', ''));
      diagnostics.push(...lines);
      if (r.status !== 0 || lines.length > 0) ok = false;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { available: true, ok, diagnostics, commands };
}
