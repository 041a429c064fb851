import type { Platform, RawProcess } from '../collectors/raw-event.js';
import type { HostIdentity } from '../collectors/host-identity.js';

/** How each platform's `startKey` (see RawProcess) turns into a wall-clock start time when the collector gave none. */
const FROM_KEY: Readonly<Record<Platform, (key: string, host: HostIdentity) => number | undefined>> = {
  // clock ticks since boot
  linux: (key, host) => (/^\d+$/.test(key) ? host.bootTimeMs + (Number(key) * 1000) / host.clockTicksPerSecond : undefined),
  // microseconds since the epoch
  macos: (key) => (/^\d+$/.test(key) ? Number(key) / 1000 : undefined),
  // a sequence number or FILETIME ticks: not convertible without knowing which; the collector gives startTimeMs
  windows: () => undefined,
};

/** The process start time in epoch ms: the collector's, else derived from startKey, else undefined. */
export function processStartMs(p: RawProcess, platform: Platform, host: HostIdentity): number | undefined {
  if (p.startTimeMs !== undefined) return p.startTimeMs;
  return FROM_KEY[platform](p.startKey, host);
}
