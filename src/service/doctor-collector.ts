import type { Backend } from '../collectors/raw-event.js';
import type { DoctorFacts } from './doctor-facts.js';
import { esloggerMisses, procfsMisses, psLsofMisses } from './doctor-misses.js';

/** Which collector `vigil run` would pick from the probes, why the best one is not it, and what it misses. */
export interface CollectorVerdict {
  /** null when no collector can run (or none is probed on this OS). */
  readonly backend: Backend | null;
  /** Why the platform's best backend cannot run; null when it can. */
  readonly fallbackReason: string | null;
  readonly misses: readonly string[];
  /** One line for the text report, followed there by the misses. */
  readonly summary: string;
}

const VERDICT_PLATFORMS = ['linux', 'darwin', 'other'] as const;
type VerdictPlatform = (typeof VERDICT_PLATFORMS)[number];

/** The same fallback chains as collectors/select-collector.ts (linux: ebpf, procfs; macos: eslogger, ps-lsof). */
const VERDICTS: Readonly<Record<VerdictPlatform, (f: DoctorFacts) => CollectorVerdict>> = {
  linux: (f) => {
    if (f.ebpfProbe === null) return { backend: 'ebpf', fallbackReason: null, misses: [], summary: 'eBPF is usable here: `vigil run` collects with eBPF.' };
    if (f.procfsProbe !== null) return { backend: null, fallbackReason: f.ebpfProbe, misses: [], summary: 'No collector can run here.' };
    return {
      backend: 'procfs',
      fallbackReason: f.ebpfProbe,
      misses: procfsMisses(f.pollIntervalMs),
      summary: `eBPF is not usable here (${f.ebpfProbe}): \`vigil run\` falls back to procfs, which misses:`,
    };
  },
  darwin: (f) => {
    if (f.esloggerProbe === null) {
      return { backend: 'eslogger', fallbackReason: null, misses: esloggerMisses(f.lsofIntervalMs), summary: 'eslogger is usable here: `vigil run` collects processes with Endpoint Security; connections by lsof polling, which misses:' };
    }
    if (f.psLsofProbe !== null) return { backend: null, fallbackReason: f.esloggerProbe, misses: [], summary: 'No collector can run here.' };
    return {
      backend: 'ps-lsof',
      fallbackReason: f.esloggerProbe,
      misses: psLsofMisses(f.psIntervalMs, f.lsofIntervalMs),
      summary: `eslogger is not usable here (${f.esloggerProbe}): \`vigil run\` falls back to ps-lsof polling, which misses:`,
    };
  },
  other: (f) => ({ backend: null, fallbackReason: null, misses: [], summary: `Collectors for ${f.platform} are chosen at run time.` }),
};

export function collectorVerdict(f: DoctorFacts): CollectorVerdict {
  return VERDICTS[f.platform === 'linux' || f.platform === 'darwin' ? f.platform : 'other'](f);
}
