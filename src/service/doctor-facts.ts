import type { DoctorCheck } from './doctor-check.js';
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
