import { readFileSync } from 'node:fs';
import { arch, hostname, release } from 'node:os';
import { join } from 'node:path';
import type { Platform } from './raw-event.js';
import { readDarwinHostIdentity } from './darwin/darwin-host-identity.js';
import { readWindowsHostIdentity } from './win32/windows-host-identity.js';

/**
 * Who this host is and when it booted: the inputs of `process.entity_id` (normalize/entity-id.ts) and of
 * `host.*`. Read once at startup; the boot id changes at every boot, so entity ids never collide across boots.
 */
export interface HostIdentity {
  readonly platform: Platform;
  /** Stable machine id (`/etc/machine-id` on Linux). */
  readonly hostId: string;
  /** Changes every boot (`/proc/sys/kernel/random/boot_id` on Linux). */
  readonly bootId: string;
  /** Wall-clock boot time, epoch milliseconds (10 ms precision on Linux). */
  readonly bootTimeMs: number;
  /** Linux: USER_HZ, the unit of `/proc/<pid>/stat` start times (100 on every Linux ABI Vigil targets). */
  readonly clockTicksPerSecond: number;
  readonly hostname: string;
  readonly architecture: string;
  readonly os: HostOs;
}

export interface HostOs {
  readonly type: Platform;
  readonly family: string;
  readonly name?: string;
  readonly platform?: string;
  readonly version?: string;
  readonly full?: string;
  readonly kernel: string;
}

export interface HostIdentityOptions {
  /** Filesystem root to read from (tests point it at a fixture tree). */
  readonly root?: string;
  /** Clock for the boot-time computation. */
  readonly nowMs?: () => number;
}

const ARCH: Readonly<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i386', arm: 'arm' };

function readTrimmed(path: string): string {
  return readFileSync(path, 'utf8').trim();
}

/** `KEY=value` / `KEY="value"` lines of os-release(5). */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2]!;
    if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    out[m[1]!] = v;
  }
  return out;
}

function readLinux(options: HostIdentityOptions): HostIdentity {
  const root = options.root ?? '/';
  const now = options.nowMs ?? Date.now;
  let hostId: string;
  try {
    hostId = readTrimmed(join(root, 'etc/machine-id'));
  } catch {
    hostId = readTrimmed(join(root, 'var/lib/dbus/machine-id'));
  }
  const bootId = readTrimmed(join(root, 'proc/sys/kernel/random/boot_id'));
  const uptimeSeconds = Number(readTrimmed(join(root, 'proc/uptime')).split(/\s+/)[0]);
  const bootTimeMs = Math.round(now() - uptimeSeconds * 1000);
  let rel: Record<string, string> = {};
  try {
    rel = parseOsRelease(readFileSync(join(root, 'etc/os-release'), 'utf8'));
  } catch {
    // no os-release: host.os keeps only type, family and kernel
  }
  const family = (rel['ID_LIKE'] ?? rel['ID'] ?? 'linux').split(/\s+/)[0]!;
  const os: HostOs = {
    type: 'linux',
    family,
    kernel: release(),
    ...(rel['NAME'] ? { name: rel['NAME'] } : {}),
    ...(rel['ID'] ? { platform: rel['ID'] } : {}),
    ...(rel['VERSION_ID'] ? { version: rel['VERSION_ID'] } : {}),
    ...(rel['PRETTY_NAME'] ? { full: rel['PRETTY_NAME'] } : {}),
  };
  return {
    platform: 'linux',
    hostId,
    bootId,
    bootTimeMs,
    clockTicksPerSecond: 100,
    hostname: hostname(),
    architecture: ARCH[arch()] ?? arch(),
    os,
  };
}

const READERS: Readonly<Record<Platform, (options: HostIdentityOptions) => HostIdentity>> = {
  linux: readLinux,
  macos: () => readDarwinHostIdentity(),
  windows: (o) => readWindowsHostIdentity(o.nowMs ? { nowMs: o.nowMs } : {}),
};

/** Node's `process.platform` as a Vigil platform (null when Vigil has no backend for it). */
export function currentPlatform(): Platform | null {
  const p: Readonly<Record<string, Platform>> = { linux: 'linux', darwin: 'macos', win32: 'windows' };
  return p[process.platform] ?? null;
}

/** Reads the identity of the host Vigil runs on. */
export function readHostIdentity(platform: Platform, options: HostIdentityOptions = {}): HostIdentity {
  return READERS[platform](options);
}
