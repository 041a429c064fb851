import type { OsType } from '../ecs/ecs-event.js';
import type { RuleDiagnostic } from './rule-diagnostic.js';
import type { RuleEntry, RuleStatus } from './rule-entry.js';
import { ruleCoverage, type RuleCoverage } from './rule-coverage.js';
import { ruleOpenNeeds } from './sensitive-open-patterns.js';
import { kernelKeyOf } from '../sensitive-file-policy.js';
import { loadRules, type LoadOptions } from './rule-loader.js';
import { budgetDiagnostic } from './budget-probe.js';

/** `vigil rules check --format json` (contract): one row per rule file, then a summary. */
export interface CheckReport {
  readonly rules: CheckRow[];
  readonly summary: CheckSummary;
}

export interface CheckRow {
  readonly file: string;
  readonly name: string;
  readonly rule_id: string;
  readonly status: RuleStatus;
  /** Errors for `error`; the reason (code SKIP_*) for `skipped`; for `ok`, empty or a RULE_OVER_BUDGET warning. */
  readonly diagnostics: RuleDiagnostic[];
  /** For compiled rules; null otherwise. */
  readonly coverage: CoverageJson | null;
}

export interface CoverageJson {
  readonly os: OsType;
  readonly targets_os: boolean;
  readonly can_fire: boolean;
  readonly categories: readonly string[];
  readonly actions: readonly string[];
  readonly types: readonly string[];
  readonly missing_categories: readonly string[];
  readonly missing_actions: readonly string[];
  readonly missing_types: readonly string[];
  readonly missing_fields: readonly string[];
  readonly unused_fields: readonly string[];
  /**
   * Linux, rules with stages that can match a file `open`: how the sensitive-open policy feeds them. Opens are
   * reported only for patterns (src/sensitive-file-policy.ts): `kernel_keyed` of `patterns` are filtered in the
   * kernel; `broad` ones cannot be and get no opens; `unbounded_stages` constrain no file path/name/extension,
   * so only the bundled default list and configured patterns feed them. Null otherwise.
   */
  readonly open_filter?: OpenFilterJson | null;
}

export interface OpenFilterJson {
  readonly patterns: number;
  readonly kernel_keyed: number;
  readonly broad: readonly string[];
  readonly unbounded_stages: number;
  /** Every open the rule can match is fed by the kernel filter. */
  readonly fully_covered: boolean;
}

export interface CheckSummary {
  readonly os: OsType;
  readonly rules: number;
  readonly ok: number;
  readonly error: number;
  readonly skipped: number;
  /** = ok: rules whose query compiled. */
  readonly compiles: number;
  readonly can_fire: number;
  readonly cannot_fire: number;
  /** Compiled rules that declare other operating systems only (counted in can_fire/cannot_fire all the same). */
  readonly other_os: number;
  readonly skipped_by_reason: Record<string, number>;
  readonly errors_by_code: Record<string, number>;
  /** Among rules that cannot fire: what they lack most often. */
  readonly top_missing_fields: Array<{ field: string; rules: number }>;
  readonly top_missing_categories: Array<{ category: string; rules: number }>;
}

function openFilterJson(rule: NonNullable<RuleEntry['rule']>): OpenFilterJson | null {
  const n = ruleOpenNeeds(rule);
  if (n.openStages === 0) return null;
  return {
    patterns: n.patterns.length,
    kernel_keyed: n.patterns.filter((p) => kernelKeyOf(p) !== null).length,
    broad: n.broad.map((p) => `file.${p.field} ${p.wildcard ? ':' : '=='} "${p.value}"`),
    unbounded_stages: n.unboundedStages,
    fully_covered: n.broad.length === 0 && n.unboundedStages === 0,
  };
}

function coverageJson(c: RuleCoverage, openFilter: OpenFilterJson | null): CoverageJson {
  return {
    os: c.os,
    targets_os: c.targetsOs,
    can_fire: c.canFire,
    categories: c.categories,
    actions: c.actions,
    types: c.types,
    missing_categories: c.missingCategories,
    missing_actions: c.missingActions,
    missing_types: c.missingTypes,
    missing_fields: c.missingFields,
    unused_fields: c.unusedFields,
    ...(c.os === 'linux' ? { open_filter: openFilter } : {}),
  };
}

function row(entry: RuleEntry, os: OsType): CheckRow {
  const diagnostics = entry.reason
    ? [{ code: entry.reason.code, message: entry.reason.message, file: entry.file, line: 1, column: 1 }]
    : [...entry.diagnostics];
  return {
    file: entry.file,
    name: entry.name,
    rule_id: entry.id,
    status: entry.status,
    diagnostics,
    coverage: entry.rule ? coverageJson(ruleCoverage(entry.rule, os), os === 'linux' ? openFilterJson(entry.rule) : null) : null,
  };
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function top<K extends string>(map: Map<string, number>, key: K, n: number): Array<Record<K, string> & { rules: number }> {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([k, rules]) => ({ [key]: k, rules }) as Record<K, string> & { rules: number });
}

export function summarize(rows: readonly CheckRow[], os: OsType): CheckSummary {
  const skippedBy = new Map<string, number>();
  const errorsBy = new Map<string, number>();
  const missingFields = new Map<string, number>();
  const missingCategories = new Map<string, number>();
  let canFire = 0;
  let otherOs = 0;
  for (const r of rows) {
    if (r.status === 'skipped') count(skippedBy, r.diagnostics[0]?.code ?? 'unknown');
    if (r.status === 'error') count(errorsBy, r.diagnostics[0]?.code ?? 'unknown');
    const c = r.coverage;
    if (!c) continue;
    if (!c.targets_os) otherOs++;
    if (c.can_fire) canFire++;
    else {
      for (const f of c.missing_fields) count(missingFields, f);
      for (const k of c.missing_categories) count(missingCategories, k);
    }
  }
  const ok = rows.filter((r) => r.status === 'ok').length;
  return {
    os,
    rules: rows.length,
    ok,
    error: rows.filter((r) => r.status === 'error').length,
    skipped: rows.filter((r) => r.status === 'skipped').length,
    compiles: ok,
    can_fire: canFire,
    cannot_fire: ok - canFire,
    other_os: otherOs,
    skipped_by_reason: Object.fromEntries([...skippedBy].sort()),
    errors_by_code: Object.fromEntries([...errorsBy].sort()),
    top_missing_fields: top(missingFields, 'field', 10),
    top_missing_categories: top(missingCategories, 'category', 10),
  };
}

/** Loads every rule under `paths` (no OS filtering: every rule is compiled) and reports coverage for `os`. */
export function checkRules(paths: readonly string[], os: OsType, options: Omit<LoadOptions, 'os' | 'skipOtherOs'> = {}): CheckReport {
  const result = loadRules(paths, { ...options, os, skipOtherOs: false });
  // A rule the agent could disable at run time (over its evaluation budget on a hostile event) is warned
  // about: it still loads (status ok, exit code unchanged), with a RULE_OVER_BUDGET diagnostic.
  const rows = result.entries.map((e) => {
    const r = row(e, os);
    const over = e.rule !== undefined ? budgetDiagnostic(e.rule) : null;
    return over === null ? r : { ...r, diagnostics: [over] };
  });
  return { rules: rows, summary: summarize(rows, os) };
}
