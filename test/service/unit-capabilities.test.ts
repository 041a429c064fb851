import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installContext } from '../../src/service/install-context.js';
import { linuxInstallPlan, SYSTEM_UNIT_PATH } from '../../src/service/systemd-plan.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const helper = join(root, 'native', 'linux', 'build', 'vigil-ebpf');

function skipReason(): string | false {
  if (process.platform !== 'linux') return 'Linux only';
  if (process.geteuid?.() !== 0) return 'needs root (to drop to the unit\'s capability set)';
  try {
    accessSync(helper, constants.X_OK);
  } catch {
    return `eBPF helper not built (${helper}): npm run build:native`;
  }
  for (const tool of ['setpriv', 'unshare']) if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) return `${tool} missing (util-linux)`;
  if (spawnSync(helper, ['--probe'], { stdio: 'ignore' }).status !== 0) return 'the helper cannot load here even with full privileges';
  return false;
}

/** The unit's CapabilityBoundingSet as setpriv --bounding-set syntax (`-all,+bpf,+perfmon,...`). */
function unitBoundingSet(): string[] {
  const unit = linuxInstallPlan(installContext({ platform: 'linux', packageRoot: root })).files.find((f) => f.path === SYSTEM_UNIT_PATH)!.content as string;
  const line = /^CapabilityBoundingSet=(.*)$/m.exec(unit)![1]!;
  return line.split(/\s+/).map((c) => c.replace(/^CAP_/, '').toLowerCase());
}

/**
 * Runs the helper's probe the way the service would: uid 0 limited to the unit's bounding set, no new
 * privileges, and (as ProtectKernelTunables= does) /sys and tracefs read-only and /proc/kallsyms hidden,
 * in a private mount namespace.
 */
function probeWith(caps: readonly string[]): { status: number | null; output: string } {
  const script = [
    'mount -o bind,remount,ro /sys',
    'mount --bind /sys/kernel/tracing /sys/kernel/tracing && mount -o bind,remount,ro /sys/kernel/tracing',
    'mount --bind /dev/null /proc/kallsyms',
    `exec setpriv --bounding-set=-all,${caps.map((c) => '+' + c).join(',')} --inh-caps=-all --no-new-privs -- "$0" --probe`,
  ].join(' && ');
  const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, helper], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

test('the eBPF helper loads with exactly the unit\'s capabilities and read-only kernel tunables', { skip: skipReason() }, () => {
  const caps = unitBoundingSet();
  assert.deepEqual(caps, ['bpf', 'perfmon', 'dac_read_search', 'sys_ptrace']);
  const r = probeWith(caps);
  assert.equal(r.status, 0, r.output);
});

test('without CAP_PERFMON the helper cannot load (the set is not larger than needed by accident)', { skip: skipReason() }, () => {
  const r = probeWith(unitBoundingSet().filter((c) => c !== 'perfmon'));
  assert.notEqual(r.status, 0);
  assert.match(r.output, /Operation not permitted|permission/i);
});

/** What the procfs side reads of another user's process with a given capability set (uid 0, bounded). */
function procAccess(caps: readonly string[], pid: number): string {
  const script = `ls /proc/${pid}/fd >/dev/null 2>&1 && echo fd=ok || echo fd=denied; readlink /proc/${pid}/exe >/dev/null 2>&1 && echo exe=ok || echo exe=denied`;
  const r = spawnSync('setpriv', [`--bounding-set=-all,${caps.map((c) => '+' + c).join(',')}`, '--inh-caps=-all', '--no-new-privs', '--', 'sh', '-c', script], { encoding: 'utf8' });
  return r.stdout.trim().replace('\n', ' ');
}

test('CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE are both needed to map another user\'s sockets and executable', { skip: process.platform !== 'linux' || process.geteuid?.() !== 0 ? 'needs Linux and root' : false }, async () => {
  const other = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sleep', '30'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 300));
    // setpriv execs sleep in place: the pid is the sleeping process owned by 65534.
    const pid = other.pid!;
    const caps = unitBoundingSet();
    assert.equal(procAccess(caps, pid), 'fd=ok exe=ok');
    assert.equal(procAccess(caps.filter((c) => c !== 'sys_ptrace'), pid), 'fd=ok exe=denied');
    assert.equal(procAccess(caps.filter((c) => c !== 'dac_read_search'), pid), 'fd=denied exe=ok');
  } finally {
    other.kill('SIGTERM');
    await once(other, 'exit');
  }
});
