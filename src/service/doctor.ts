import type { Backend } from '../collectors/raw-event.js';
import { EbpfCollector, defaultHelperPath } from '../collectors/linux/ebpf-collector.js';
import { ProcfsCollector } from '../collectors/linux/procfs-collector.js';
import type { OsType } from '../ecs/ecs-event.js';
import { loadRules } from '../rules/rule-loader.js';
import { formatDiagnostic } from '../rules/rule-diagnostic.js';
import { DOCTOR_CHECK_IDS, type CheckStatus, type DoctorCheck } from './doctor-check.js';
import { procfsMisses, runDoctorChecks, type DoctorFacts, type RulesFacts } from './doctor-checks.js';
import { hostPlatform } from './install-context.js';
import { readCapEff } from './linux-capabilities.js';
import { serviceState } from './service-state.js';

export interface DoctorOptions {
  readonly dbPath: string;
  readonly rulePaths: readonly string[];
  readonly pollIntervalMs: number;
  readonly helperPath?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface DoctorReport {
  readonly platform: NodeJS.Platform;
  /** The eBPF collector loads and attaches here (Linux). */
  readonly ebpfUsable: boolean;
  /** The collector `vigil run` would pick, null when none can run. */
  readonly backend: Backend | null;
  /** Why the best collector is not usable (null when it is). */
  readonly fallbackReason: string | null;
  /** What the chosen collector cannot see. */
  readonly misses: readonly string[];
  readonly checks: readonly DoctorCheck[];
  readonly summary: Readonly<Record<CheckStatus, number>>;
}

function loadRulesFacts(paths: readonly string[]): RulesFacts {
  const os: OsType = process.platform === 'darwin' ? 'macos' : process.platform === 'win32' ? 'windows' : 'linux';
  try {
    const r = loadRules(paths, { os });
    return { paths, loaded: r.rules.length, skipped: r.skipped.length, errors: r.errors.flatMap((e) => e.diagnostics.map(formatDiagnostic)) };
  } catch (err) {
    return { paths, loaded: 0, skipped: 0, errors: [], failure: (err as Error).message };
  }
}

/** Gathers the facts (probing the eBPF helper for real) and runs every check. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const linux = process.platform === 'linux';
  const helperPath = options.helperPath ?? defaultHelperPath();
  const [ebpfProbe, procfsProbe] = linux ? await Promise.all([EbpfCollector.probe(helperPath), ProcfsCollector.probe()]) : ['not Linux', 'not Linux'];
  const platform = hostPlatform();
  const facts: DoctorFacts = {
    platform: process.platform,
    env: options.env ?? process.env,
    uid: process.geteuid?.() ?? null,
    capEff: linux ? readCapEff() : null,
    helperPath,
    ebpfProbe,
    procfsProbe,
    pollIntervalMs: options.pollIntervalMs,
    dbPath: options.dbPath,
    rules: loadRulesFacts(options.rulePaths),
    service: platform === null ? null : serviceState(platform),
  };
  const checks = runDoctorChecks(facts, DOCTOR_CHECK_IDS);
  const summary = { ok: 0, warn: 0, fail: 0, info: 0 };
  for (const c of checks) summary[c.status]++;
  const ebpfUsable = linux && ebpfProbe === null;
  const backend: Backend | null = !linux ? null : ebpfUsable ? 'ebpf' : procfsProbe === null ? 'procfs' : null;
  return {
    platform: process.platform,
    ebpfUsable,
    backend,
    fallbackReason: ebpfUsable || !linux ? null : ebpfProbe,
    misses: backend === 'procfs' ? procfsMisses(options.pollIntervalMs) : [],
    checks,
    summary,
  };
}
