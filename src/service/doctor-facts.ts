import type { DoctorCheck, DoctorCheckId } from './doctor-check.js';
import type { ServiceState } from './service-state.js';

/** Everything the checks look at, gathered once (the async probes run before the checks). */
export interface DoctorFacts {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  readonly uid: number | null;
  /** CapEff from /proc/self/status (Linux), null when unknown. */
  readonly capEff: bigint | null;
  readonly helperPath: string;
  /** EbpfCollector.probe(): null = loads and attaches here, else why not. */
  readonly ebpfProbe: string | null;
  /** ProcfsCollector.probe(). */
  readonly procfsProbe: string | null;
  readonly pollIntervalMs: number;
  /**
   * EsloggerCollector.probe({ trial: true }) (macOS): null = eslogger runs and Endpoint Security accepts it
   * here, else why not (a sentence from esloggerFailureMessage: not root, missing, Full Disk Access...).
   */
  readonly esloggerProbe: string | null;
  /** PsLsofCollector.probe() (macOS): null = ps and lsof both run here. */
  readonly psLsofProbe: string | null;
  /** The ps-lsof collector's process poll period, and the lsof socket poll period (both macOS backends). */
  readonly psIntervalMs: number;
  readonly lsofIntervalMs: number;
  readonly dbPath: string;
  readonly rules: RulesFacts;
  readonly service: ServiceState | null;
}

export interface RulesFacts {
  readonly paths: readonly string[];
  readonly loaded: number;
  readonly skipped: number;
  /** `file:line:column: CODE message` per error diagnostic. */
  readonly errors: readonly string[];
  /** Set when loading itself failed. */
  readonly failure?: string;
}

/** A check reads the facts and says how things stand. */
export type Check = (f: DoctorFacts) => DoctorCheck;

/** Where a fix says "run it with the privileges it needs". */
export const SERVICE_FIX =
  'run the agent as root (`sudo vigil run`), or install the service (`sudo vigil install`): its unit grants exactly CAP_BPF, CAP_PERFMON, CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE';

const OS_NAMES: Readonly<Partial<Record<NodeJS.Platform, string>>> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' };

/** The OS's name as users know it ("macOS", not "darwin"). */
export function osName(platform: NodeJS.Platform): string {
  return OS_NAMES[platform] ?? platform;
}

/** The finding of a check that does not apply on this OS (the eBPF checks on macOS, say). */
export function notApplicable(id: DoctorCheckId, title: string, platform: NodeJS.Platform): DoctorCheck {
  return { id, title, status: 'info', detail: `not applicable on ${osName(platform)}`, fix: null };
}
