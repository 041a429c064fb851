import type { EcsObject } from '../ecs/ecs-event.js';
import type { CompiledStage } from '../eql/compiled-query.js';
import type { LoadedRule } from './loaded-rule.js';
import type { RuleDiagnostic } from './rule-diagnostic.js';

/** The agent's default per-rule evaluation budget (`[engine] rule_budget_ms`), ms of CPU time per event. */
export const DEFAULT_RULE_BUDGET_MS = 50;
/** The probe's hostile values: this many strings of this many characters in every field the rule reads. */
const PROBE_VALUES = 8;
const PROBE_CHARS = 4096;

/**
 * An event for one stage: its category and the constants its top-level terms require (so the filter does not
 * stop at `event.type == "start"`), every other field the rule reads set to long strings (the worst a
 * command line can bring).
 */
function probeEvent(fields: readonly string[], stage: CompiledStage): EcsObject {
  const value = Array.from({ length: PROBE_VALUES }, (_, i) => 'a'.repeat(PROBE_CHARS - 1) + String.fromCharCode(98 + i));
  const doc: EcsObject = {};
  const set = (field: string, v: EcsObject[string], overwrite = true): void => {
    const parts = field.split('.');
    let node: EcsObject = doc;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (next === undefined) node = node[part] = {};
      else if (typeof next === 'object' && next !== null && !Array.isArray(next)) node = next;
      else return;
    }
    const last = parts[parts.length - 1]!;
    if (overwrite || node[last] === undefined) node[last] = v;
  };
  if (stage.category !== null) set('event.category', [stage.category]);
  for (const [field, values] of Object.entries(stage.constraints)) set(field, [...values]);
  for (const field of fields) set(field, value, false);
  return doc;
}

/**
 * CPU time (ms) the costliest of the rule's stages takes on one hostile event: what `vigil rules check` holds against the
 * agent's run-time budget, so that a rule the agent would disable is reported before it is deployed.
 */
export function probeRuleCost(rule: LoadedRule): number {
  const q = rule.query;
  const stages = q.kind === 'event' ? [q.stage] : q.kind === 'sequence' ? [...q.stages, ...(q.until ? [q.until] : [])] : q.stages;
  let worst = 0;
  for (const s of stages) {
    const event = probeEvent(q.fields, s);
    const start = process.cpuUsage();
    try {
      s.filter(event);
    } catch {
      // a runtime error is not a cost; the agent counts it as a rule error
    }
    const used = process.cpuUsage(start);
    worst = Math.max(worst, (used.user + used.system) / 1000);
  }
  return worst;
}

/** The diagnostic for a rule over the budget (null when within it). */
export function budgetDiagnostic(rule: LoadedRule, budgetMs = DEFAULT_RULE_BUDGET_MS): RuleDiagnostic | null {
  const ms = probeRuleCost(rule);
  if (ms <= budgetMs) return null;
  return {
    code: 'RULE_OVER_BUDGET',
    message: `evaluating one hostile event (${PROBE_VALUES} strings of ${PROBE_CHARS} characters in each field the rule reads) took ${Math.round(ms)} ms of CPU, over the ${budgetMs} ms per-rule budget: the agent would disable this rule`,
    file: rule.source.file,
    line: rule.source.queryLine,
    column: rule.source.queryColumn,
  };
}
