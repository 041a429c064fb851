import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
 * in a private mount namespace. CAP_SYS_RESOURCE is dropped from the list when this machine's own bounding
 * set lacks it (setpriv cannot add it back).
 */
function probeWith(caps: readonly string[]): { status: number | null; output: string } {
  const have = spawnSync('sh', ['-c', 'grep CapBnd /proc/self/status'], { encoding: 'utf8' }).stdout;
  const bnd = BigInt('0x' + /CapBnd:\s*([0-9a-f]+)/.exec(have)![1]!);
  const usable = caps.filter((c) => c !== 'sys_resource' || ((bnd >> 24n) & 1n) === 1n);
  const script = [
    'mount -o bind,remount,ro /sys',
    'mount --bind /sys/kernel/tracing /sys/kernel/tracing && mount -o bind,remount,ro /sys/kernel/tracing',
    'mount --bind /dev/null /proc/kallsyms',
    `exec setpriv --bounding-set=-all,${usable.map((c) => '+' + c).join(',')} --inh-caps=-all --no-new-privs -- "$0" --probe`,
  ].join(' && ');
  const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, helper], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

test('the eBPF helper loads with exactly the unit\'s capabilities and read-only kernel tunables', { skip: skipReason() }, () => {
  const caps = unitBoundingSet();
  assert.deepEqual(caps, ['bpf', 'perfmon', 'sys_resource', 'dac_read_search', 'sys_ptrace']);
  const r = probeWith(caps);
  assert.equal(r.status, 0, r.output);
});

test('without CAP_PERFMON the helper cannot load (the set is not larger than needed by accident)', { skip: skipReason() }, () => {
  const r = probeWith(unitBoundingSet().filter((c) => c !== 'perfmon'));
  assert.notEqual(r.status, 0);
  assert.match(r.output, /Operation not permitted|permission/i);
});
