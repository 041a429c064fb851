import type { OsType } from '../ecs/ecs-event.js';
import { TELEMETRY_COVERAGE, type TelemetryCoverage } from '../ecs/emitted-fields.js';
import type { CompiledQuery, CompiledStage } from '../eql/compiled-query.js';
import type { LoadedRule } from './loaded-rule.js';
import { targetsOs } from './os-list.js';
import { fieldsByStage, type StageFields } from './required-fields.js';
import { parseQuery } from '../eql/index.js';

/** Whether Vigil's telemetry on one OS can ever satisfy a compiled rule, and what it lacks if not. */
export interface RuleCoverage {
  readonly os: OsType;
  /** The rule declares no OS, or declares this one. */
  readonly targetsOs: boolean;
  /** Telemetry can satisfy every stage the rule needs (categories, action/type values, required fields). */
  readonly canFire: boolean;
  /** Categories, constant event.action and event.type values the rule's stages require. */
  readonly categories: readonly string[];
  readonly actions: readonly string[];
  readonly types: readonly string[];
  /** What no collector on this OS emits. */
  readonly missingCategories: readonly string[];
  readonly missingActions: readonly string[];
  readonly missingTypes: readonly string[];
  /** Fields the rule cannot match without, that no collector emits. */
  readonly missingFields: readonly string[];
  /** Fields the rule reads but can match without (negated, `or`-ed, optional, `== null`), that no collector emits. */
  readonly unusedFields: readonly string[];
}

const uniq = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** Compiled stages in the order fieldsByStage uses (event: 1; sequence: stages then `until`; sample: stages). */
function compiledStages(q: CompiledQuery): CompiledStage[] {
  if (q.kind === 'event') return [q.stage];
  return q.kind === 'sequence' && q.until ? [...q.stages, q.until] : [...q.stages];
}

/** Required/read fields per stage from the query's syntax tree; every read field required if it cannot be parsed. */
function stageFieldsOf(q: CompiledQuery, stages: readonly CompiledStage[]): StageFields[] {
  try {
    const fields = fieldsByStage(parseQuery(q.text));
    if (fields.length === stages.length) return fields;
  } catch {
    // fall through: the compiled query is all we have
  }
  const all = new Set(q.fields);
  return stages.map((s, i) => ({ category: s.category, optionalStage: s.missing || (q.kind === 'sequence' && q.until !== null && i === stages.length - 1), required: all, read: all }));
}

export function ruleCoverage(rule: LoadedRule, os: OsType, telemetry: TelemetryCoverage = TELEMETRY_COVERAGE[os]): RuleCoverage {
  const categories: string[] = [];
  const actions: string[] = [];
  const types: string[] = [];
  const missingCategories: string[] = [];
  const missingActions: string[] = [];
  const missingTypes: string[] = [];
  const missingFields: string[] = [];
  const unusedFields: string[] = [];
  const allOf = (m: Readonly<Record<string, readonly string[]>>): string[] => Object.values(m).flat();
  const allFields = new Set(telemetry.fields);
  const fieldSets = new Map<string, ReadonlySet<string>>();
  const emittedFor = (cat: string | null): ReadonlySet<string> => {
    const list = cat !== null ? telemetry.fieldsByCategory?.[cat] : undefined;
    if (!list) return allFields;
    let set = fieldSets.get(cat!);
    if (!set) fieldSets.set(cat!, (set = new Set(list)));
    return set;
  };

  const stages = compiledStages(rule.query);
  const fields = stageFieldsOf(rule.query, stages);
  stages.forEach((stage, i) => {
    const f = fields[i]!;
    const cat = stage.category;
    const emitted = emittedFor(cat);
    if (f.optionalStage) {
      for (const x of f.read) if (!emitted.has(x)) unusedFields.push(x);
      return;
    }
    if (cat !== null) {
      categories.push(cat);
      if (!telemetry.categories.includes(cat)) missingCategories.push(cat);
    }
    const check = (wanted: readonly string[] | undefined, byCat: Readonly<Record<string, readonly string[]>>, seen: string[], missing: string[]): void => {
      if (!wanted || wanted.length === 0) return;
      seen.push(...wanted);
      const values = cat !== null ? (byCat[cat] ?? []) : allOf(byCat);
      if (!wanted.some((v) => values.includes(v))) missing.push(...wanted);
    };
    check(stage.constraints['event.action'], telemetry.actions, actions, missingActions);
    check(stage.constraints['event.type'], telemetry.types, types, missingTypes);
    for (const x of f.read) {
      if (emitted.has(x)) continue;
      if (f.required.has(x)) missingFields.push(x);
      else unusedFields.push(x);
    }
  });
  const missing = new Set(missingFields);
  return {
    os,
    targetsOs: targetsOs(rule.meta.osList, os),
    canFire: missingCategories.length === 0 && missingActions.length === 0 && missingTypes.length === 0 && missingFields.length === 0,
    categories: uniq(categories),
    actions: uniq(actions),
    types: uniq(types),
    missingCategories: uniq(missingCategories),
    missingActions: uniq(missingActions),
    missingTypes: uniq(missingTypes),
    missingFields: uniq(missingFields),
    unusedFields: uniq(unusedFields.filter((x) => !missing.has(x))),
  };
}
