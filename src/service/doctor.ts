import type { Backend } from '../collectors/raw-event.js';
import { DOCTOR_CHECK_IDS, type CheckStatus, type DoctorCheck } from './doctor-check.js';
import { collectorVerdict, runDoctorChecks, type DoctorFacts } from './doctor-checks.js';
import { gatherDoctorFacts, type DoctorOptions } from './doctor-gather.js';

export type { DoctorOptions } from './doctor-gather.js';

export interface DoctorReport {
  readonly platform: NodeJS.Platform;
  /** The eBPF collector loads and attaches here (Linux). */
  readonly ebpfUsable: boolean;
  /** The collector `vigil run` would pick, null when none can run. */
  readonly backend: Backend | null;
  /** Why the best collector (eBPF on Linux, eslogger on macOS) is not usable (null when it is). */
  readonly fallbackReason: string | null;
  /** What the chosen collector cannot see. */
  readonly misses: readonly string[];
  /** One line on the collector for the text report ("eBPF is usable here...", "eslogger is not usable here (...)..."), the misses follow it. */
  readonly collectorSummary: string;
  readonly checks: readonly DoctorCheck[];
  readonly summary: Readonly<Record<CheckStatus, number>>;
}

/** The report for gathered facts: every check, and the collector verdict the `collector` check also gives. */
export function doctorReport(facts: DoctorFacts): DoctorReport {
  const checks = runDoctorChecks(facts, DOCTOR_CHECK_IDS);
  const summary = { ok: 0, warn: 0, fail: 0, info: 0 };
  for (const c of checks) summary[c.status]++;
  const v = collectorVerdict(facts);
  return {
    platform: facts.platform,
    ebpfUsable: v.backend === 'ebpf',
    backend: v.backend,
    fallbackReason: v.fallbackReason,
    misses: v.misses,
    collectorSummary: v.summary,
    checks,
    summary,
  };
}

/** Gathers the facts (probing the platform's collectors for real) and runs every check. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  return doctorReport(await gatherDoctorFacts(options));
}
