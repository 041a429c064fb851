import { readFileSync } from 'node:fs';

/** The Linux capabilities Vigil cares about, with their bit numbers (linux/capability.h). */
export const CAPABILITY_BITS = {
  CAP_DAC_OVERRIDE: 1,
  CAP_DAC_READ_SEARCH: 2,
  CAP_SYS_PTRACE: 19,
  CAP_SYS_ADMIN: 21,
  CAP_SYS_RESOURCE: 24,
  CAP_PERFMON: 38,
  CAP_BPF: 39,
} as const;
export type CapabilityName = keyof typeof CAPABILITY_BITS;

/** Parses a `CapEff:` hex mask from /proc/<pid>/status text; null when absent. */
export function parseCapEff(statusText: string): bigint | null {
  const m = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(statusText);
  return m === null ? null : BigInt('0x' + m[1]);
}

export function hasCapability(mask: bigint, cap: CapabilityName): boolean {
  return ((mask >> BigInt(CAPABILITY_BITS[cap])) & 1n) === 1n;
}

export function capabilityNames(mask: bigint): CapabilityName[] {
  return (Object.keys(CAPABILITY_BITS) as CapabilityName[]).filter((c) => hasCapability(mask, c));
}

export function readCapEff(path = '/proc/self/status'): bigint | null {
  try {
    return parseCapEff(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}
