import { EsloggerCollector } from '../collectors/darwin/eslogger-collector.js';
import type { EsloggerProbeOptions } from '../collectors/darwin/eslogger-probe.js';
import { LSOF_INTERVAL_MS, PS_INTERVAL_MS, PsLsofCollector } from '../collectors/darwin/ps-lsof-collector.js';
import { EbpfCollector, defaultHelperPath } from '../collectors/linux/ebpf-collector.js';
import { ProcfsCollector } from '../collectors/linux/procfs-collector.js';
import type { OsType } from '../ecs/ecs-event.js';
import { loadRules } from '../rules/rule-loader.js';
import { formatDiagnostic } from '../rules/rule-diagnostic.js';
import type { DoctorFacts, RulesFacts } from './doctor-facts.js';
import { hostPlatform } from './install-context.js';
import { readCapEff } from './linux-capabilities.js';
import { serviceState } from './service-state.js';

/**
 * The macOS collectors' poll periods when nothing sets them (the agent passes none): ps-lsof's `intervalMs`
 * and the lsof socket poll of both ps-lsof and eslogger (`networkIntervalMs`).
 */

export interface DoctorOptions {
  readonly dbPath: string;
  readonly rulePaths: readonly string[];
  readonly pollIntervalMs: number;
  readonly helperPath?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The OS whose collectors are probed (default this one; tests probe the macOS chain with stand-ins). */
  readonly platform?: NodeJS.Platform;
  /** eslogger probe options (path, root); the doctor always asks for a trial start. */
  readonly eslogger?: Omit<EsloggerProbeOptions, 'platform' | 'trial'>;
  readonly psLsof?: { readonly psPath?: string; readonly lsofPath?: string };
  readonly psIntervalMs?: number;
  readonly lsofIntervalMs?: number;
}

interface Probes {
  readonly ebpfProbe: string | null;
  readonly procfsProbe: string | null;
  readonly esloggerProbe: string | null;
  readonly psLsofProbe: string | null;
}

const PROBE_PLATFORMS = ['linux', 'darwin', 'other'] as const;
type ProbePlatform = (typeof PROBE_PLATFORMS)[number];

/** Each OS probes its own fallback chain for real; the other OS's probes say why they were not run. */
const PROBES: Readonly<Record<ProbePlatform, (o: DoctorOptions, helperPath: string) => Promise<Probes>>> = {
  linux: async (_o, helperPath) => {
    const [ebpfProbe, procfsProbe] = await Promise.all([EbpfCollector.probe(helperPath), ProcfsCollector.probe()]);
    return { ebpfProbe, procfsProbe, esloggerProbe: 'not macOS', psLsofProbe: 'not macOS' };
  },
  darwin: async (o) => {
    // the trial start is what tells a Full Disk Access refusal apart: TCC is only known by trying
    const [esloggerProbe, psLsofProbe] = await Promise.all([
      EsloggerCollector.probe({ ...o.eslogger, platform: 'darwin', trial: true }),
      PsLsofCollector.probe(o.psLsof ?? {}),
    ]);
    return { ebpfProbe: 'not Linux', procfsProbe: 'not Linux', esloggerProbe, psLsofProbe };
  },
  other: async () => ({ ebpfProbe: 'not Linux', procfsProbe: 'not Linux', esloggerProbe: 'not macOS', psLsofProbe: 'not macOS' }),
};

function loadRulesFacts(paths: readonly string[], platform: NodeJS.Platform): RulesFacts {
  const os: OsType = platform === 'darwin' ? 'macos' : platform === 'win32' ? 'windows' : 'linux';
  try {
    const r = loadRules(paths, { os });
    return { paths, loaded: r.rules.length, skipped: r.skipped.length, errors: r.errors.flatMap((e) => e.diagnostics.map(formatDiagnostic)) };
  } catch (err) {
    return { paths, loaded: 0, skipped: 0, errors: [], failure: (err as Error).message };
  }
}

/** Gathers what the checks look at: the collector probes (for real), privileges, rules, the service. */
export async function gatherDoctorFacts(options: DoctorOptions): Promise<DoctorFacts> {
  const platform = options.platform ?? process.platform;
  const helperPath = options.helperPath ?? defaultHelperPath();
  const probes = await PROBES[platform === 'linux' || platform === 'darwin' ? platform : 'other'](options, helperPath);
  const servicePlatform = hostPlatform(platform);
  return {
    platform,
    env: options.env ?? process.env,
    uid: process.geteuid?.() ?? null,
    capEff: platform === 'linux' ? readCapEff() : null,
    helperPath,
    ...probes,
    pollIntervalMs: options.pollIntervalMs,
    psIntervalMs: options.psIntervalMs ?? PS_INTERVAL_MS,
    lsofIntervalMs: options.lsofIntervalMs ?? LSOF_INTERVAL_MS,
    dbPath: options.dbPath,
    rules: loadRulesFacts(options.rulePaths, platform),
    service: servicePlatform === null ? null : serviceState(servicePlatform),
  };
}
