import type { CompiledStage } from '../eql/compiled-query.js';
import type { LoadedRule } from './loaded-rule.js';

/** One stage of one rule, as the index hands it out. `stageIndex` is -1 for a sequence's `until` stage. */
export interface IndexedStage {
  readonly rule: LoadedRule;
  readonly stage: CompiledStage;
  readonly stageIndex: number;
}

/** Every stage of a rule an event could feed: event query stage, sequence/sample stages, `until`. */
export function stagesOf(rule: LoadedRule): IndexedStage[] {
  const q = rule.query;
  if (q.kind === 'event') return [{ rule, stage: q.stage, stageIndex: 0 }];
  const out = q.stages.map((stage, stageIndex) => ({ rule, stage, stageIndex }));
  if (q.kind === 'sequence' && q.until) out.push({ rule, stage: q.until, stageIndex: -1 });
  return out;
}
