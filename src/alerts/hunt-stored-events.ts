import type { EcsEvent } from '../ecs/ecs-event.js';
import { compileTimestampReader } from '../ecs/event-order.js';
import { compileFieldGetter } from '../ecs/field-getter.js';
import { applyPipes } from '../eql/apply-pipes.js';
import type { CompiledQuery } from '../eql/compiled-query.js';
import { runSampleBatch, runSequenceBatch, type SequenceHit } from '../sequence/batch.js';
import type { Alert } from './alert.js';

const readTimestamp = compileTimestampReader('@timestamp');
const getSequence = compileFieldGetter('event.sequence');
const getId = compileFieldGetter('event.id');

function timestampMs(e: EcsEvent): number {
  return readTimestamp(e) ?? 0;
}

/**
 * The distinct events stored in these alerts (an event shared by several alerts counts once, by
 * `event.id` or, without one, by its JSON), sorted by (@timestamp, event.sequence) as the matchers expect.
 */
export function storedEvents(alerts: readonly Alert[]): EcsEvent[] {
  const seen = new Set<string>();
  const out: EcsEvent[] = [];
  for (const alert of alerts) {
    for (const e of alert.events) {
      if (e === null) continue;
      const id = getId(e);
      const key = typeof id === 'string' ? 'id:' + id : 'json:' + JSON.stringify(e);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(e);
    }
  }
  const seq = (e: EcsEvent): number => (typeof getSequence(e) === 'number' ? (getSequence(e) as number) : 0);
  return out.sort((a, b) => timestampMs(a) - timestampMs(b) || seq(a) - seq(b));
}

/**
 * Runs a compiled EQL query over stored events (sorted): an event query filters them; sequence and
 * sample queries go through the batch matchers. The `head` / `tail` pipes apply to the results, in order.
 */
export function huntStoredEvents(query: CompiledQuery, events: readonly EcsEvent[]): SequenceHit[] {
  let hits: SequenceHit[];
  switch (query.kind) {
    case 'event':
      hits = events.filter((e) => query.stage.filter(e)).map((e) => ({ joinKeys: [], events: [e] }));
      break;
    case 'sequence':
      hits = runSequenceBatch(query, events, { timestamp: timestampMs });
      break;
    case 'sample':
      hits = runSampleBatch(query, events, { timestamp: timestampMs });
      break;
  }
  return applyPipes(hits, query.pipes);
}
