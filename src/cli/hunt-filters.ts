import type { EcsEvent } from '../ecs/ecs-event.js';
import type { CompiledQuery } from '../eql/index.js';

/** True for an event one of the query's filters matches (every stage, missing-event stages and `until`). */
export function queryFilters(query: CompiledQuery): (event: EcsEvent) => boolean {
  const stages = query.kind === 'event' ? [query.stage] : query.kind === 'sequence' ? [...query.stages, ...(query.until ? [query.until] : [])] : query.stages;
  const filters = stages.map((s) => s.filter);
  return filters.length === 1 ? filters[0]! : (e: EcsEvent) => filters.some((f) => f(e));
}
