import { readFileSync } from 'node:fs';
import type { HostIdentity } from '../host-identity.js';
import { parsePidStat } from '../linux/proc-pid-stat.js';
import type { Platform } from '../raw-event.js';
import { darwinStartKey } from './darwin-start-key.js';

/** Computes a ps row's `startKey` by the platform's recipe (RawProcess.startKey). */
export type PsStartKeyOf = (pid: number, startSeconds: number) => string;

/**
 * - macos: lstart (whole seconds) as microseconds since the epoch: the same key eslogger's start_time gives
 *   (darwin-start-key.ts).
 * - linux: the key is clock ticks since boot, which lstart (whole seconds) cannot give exactly; it is read from
 *   `/proc/<pid>/stat` field 22 so that ps-lsof, procfs and eBPF agree. When that file cannot be read (the
 *   process is gone) it is estimated from lstart and the boot time, at 1 s precision: such an id may differ
 *   from the other backends' (counted by the caller as `estimatedKeys`).
 * - windows: ps-lsof does not run there.
 */
export function psStartKeyFor(platform: Platform, host: HostIdentity | undefined, procRoot = '/proc', onEstimate?: () => void): PsStartKeyOf {
  const RECIPES: Readonly<Record<Platform, PsStartKeyOf>> = {
    macos: (_pid, seconds) => darwinStartKey(seconds),
    linux: (pid, seconds) => {
      try {
        return parsePidStat(readFileSync(`${procRoot}/${pid}/stat`, 'utf8')).startTicks;
      } catch {
        onEstimate?.();
        const boot = host?.bootTimeMs ?? 0;
        const hz = host?.clockTicksPerSecond ?? 100;
        return String(Math.max(0, Math.round(((seconds * 1000 - boot) * hz) / 1000)));
      }
    },
    windows: (_pid, seconds) => String(seconds),
  };
  return RECIPES[platform];
}
