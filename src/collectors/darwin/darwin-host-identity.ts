import { execFileSync } from 'node:child_process';
import { arch, hostname, release } from 'node:os';
import type { HostIdentity } from '../host-identity.js';

/** `"IOPlatformUUID" = "C3F1B2A4-..."` in `ioreg -rd1 -c IOPlatformExpertDevice`: the hardware UUID. */
export function parseIoregPlatformUuid(text: string): string | undefined {
  return /"IOPlatformUUID"\s*=\s*"([0-9A-Fa-f-]{36})"/.exec(text)?.[1];
}

/** `sysctl -n kern.boottime`: `{ sec = 1795852800, usec = 123456 } Sat Nov 28 07:20:00 2026` -> epoch ms. */
export function parseKernBoottime(text: string): number | undefined {
  const m = /sec\s*=\s*(\d+),\s*usec\s*=\s*(\d+)/.exec(text);
  return m === null ? undefined : Number(m[1]) * 1000 + Math.floor(Number(m[2]) / 1000);
}

/** `sw_vers` lines `ProductName:\tmacOS` / `ProductVersion:\t15.1` / `BuildVersion:\t24B83`. */
export function parseSwVers(text: string): { name?: string; version?: string; build?: string } {
  const get = (k: string): string | undefined => new RegExp(`^${k}:\\s*(.+)$`, 'm').exec(text)?.[1]?.trim();
  const out: { name?: string; version?: string; build?: string } = {};
  const name = get('ProductName');
  const version = get('ProductVersion');
  const build = get('BuildVersion');
  if (name !== undefined) out.name = name;
  if (version !== undefined) out.version = version;
  if (build !== undefined) out.build = build;
  return out;
}

const ARCH: Readonly<Record<string, string>> = { x64: 'x86_64', arm64: 'arm64' };

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
}

/**
 * The macOS host identity: hardware UUID (ioreg) as host id, `kern.bootsessionuuid` (a fresh UUID every boot)
 * as boot id, `kern.boottime` as boot time, `sw_vers` for host.os. For host-identity.ts READERS.macos.
 */
export function readDarwinHostIdentity(): HostIdentity {
  const hostId = parseIoregPlatformUuid(run('/usr/sbin/ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice']));
  if (hostId === undefined) throw new Error('VIGIL_HOST_UNSUPPORTED: ioreg printed no IOPlatformUUID');
  const bootTimeMs = parseKernBoottime(run('/usr/sbin/sysctl', ['-n', 'kern.boottime']));
  if (bootTimeMs === undefined) throw new Error('VIGIL_HOST_UNSUPPORTED: sysctl kern.boottime unreadable');
  let bootId: string;
  try {
    bootId = run('/usr/sbin/sysctl', ['-n', 'kern.bootsessionuuid']).trim();
  } catch {
    bootId = String(bootTimeMs); // older systems: the boot time is as unique per boot
  }
  let sw: ReturnType<typeof parseSwVers> = {};
  try {
    sw = parseSwVers(run('/usr/bin/sw_vers', []));
  } catch {
    // host.os keeps type, family and kernel
  }
  return {
    platform: 'macos',
    hostId,
    bootId: bootId === '' ? String(bootTimeMs) : bootId,
    bootTimeMs,
    clockTicksPerSecond: 100,
    hostname: hostname(),
    architecture: ARCH[arch()] ?? arch(),
    os: {
      type: 'macos',
      family: 'darwin',
      platform: 'darwin',
      kernel: release(),
      ...(sw.name !== undefined ? { name: sw.name } : {}),
      ...(sw.version !== undefined ? { version: sw.version } : {}),
      ...(sw.name !== undefined && sw.version !== undefined ? { full: `${sw.name} ${sw.version}${sw.build !== undefined ? ` (${sw.build})` : ''}` } : {}),
    },
  };
}
