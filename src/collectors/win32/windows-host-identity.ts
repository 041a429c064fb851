import { execFileSync } from 'node:child_process';
import { arch, hostname, release, uptime, version } from 'node:os';
import type { HostIdentity } from '../host-identity.js';

/**
 * The host identity on Windows (for collectors/host-identity.ts READERS.windows):
 * - hostId: the MachineGuid (HKLM\SOFTWARE\Microsoft\Cryptography), stable for the installation;
 * - bootId: the boot counter (HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management\
 *   PrefetchParameters BootId), which Windows increments at every boot; when absent, the boot time to the
 *   second. Process sequence numbers restart at each boot, so entity ids must include it.
 * - clockTicksPerSecond: 10^7, Windows' FILETIME unit (startKey is a sequence number or FILETIME ticks,
 *   never a tick count since boot; the collector always gives startTimeMs).
 */
const MACHINE_GUID = ['HKLM\\SOFTWARE\\Microsoft\\Cryptography', 'MachineGuid'] as const;
const BOOT_ID = ['HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Memory Management\\PrefetchParameters', 'BootId'] as const;

/** Reads one registry value's data as `reg query` prints it, or undefined. */
export type RegistryReader = (key: string, value: string) => string | undefined;

const ARCH: Readonly<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i386' };

/**
 * The data of `value` in `reg query KEY /v VALUE` output (`    NAME    REG_TYPE    DATA`); REG_DWORD data
 * (`0x1f`) comes back as decimal text. Undefined when the value is not in the output.
 */
export function parseRegQuery(output: string, value: string): string | undefined {
  for (const line of output.split(/\r?\n/)) {
    const m = /^\s+(\S.*?)\s{2,}(REG_\w+)\s{2,}(.*)$/.exec(line) ?? /^\s+(\S+)\s+(REG_\w+)\s+(.*)$/.exec(line);
    if (m === null || m[1]!.toLowerCase() !== value.toLowerCase()) continue;
    const data = m[3]!.trim();
    if (m[2] === 'REG_DWORD' || m[2] === 'REG_QWORD') return /^0x[0-9a-f]+$/i.test(data) ? BigInt(data).toString() : undefined;
    return data;
  }
  return undefined;
}

export function regQuery(key: string, value: string): string | undefined {
  try {
    const out = execFileSync('reg', ['query', key, '/v', value], { encoding: 'utf8', windowsHide: true, timeout: 5000 });
    return parseRegQuery(out, value);
  } catch {
    return undefined;
  }
}

export interface WindowsHostIdentityOptions {
  readonly registry?: RegistryReader;
  readonly nowMs?: () => number;
}

export function readWindowsHostIdentity(options: WindowsHostIdentityOptions = {}): HostIdentity {
  const reg = options.registry ?? regQuery;
  const now = options.nowMs ?? Date.now;
  const hostId = reg(...MACHINE_GUID);
  if (hostId === undefined || hostId === '') throw new Error('VIGIL_HOST_ID: cannot read the MachineGuid (HKLM\\SOFTWARE\\Microsoft\\Cryptography)');
  const bootTimeMs = Math.round(now() - uptime() * 1000);
  const bootId = reg(...BOOT_ID) ?? `boot-${Math.round(bootTimeMs / 1000)}`;
  const kernel = release();
  return {
    platform: 'windows',
    hostId,
    bootId,
    bootTimeMs,
    clockTicksPerSecond: 10_000_000,
    hostname: hostname(),
    architecture: ARCH[arch()] ?? arch(),
    os: { type: 'windows', family: 'windows', name: version(), platform: 'windows', version: kernel, kernel },
  };
}
