import type { EcsObject } from '../ecs/ecs-event.js';
import type { EventShape } from './event-shapes.js';
import { isoTime } from './iso-time.js';

export type EventOutcome = 'success' | 'failure' | 'unknown';

/** One-value arrays shared by every document of a shape (frozen: a document never changes them). */
const ONE = new Map<string, readonly string[]>();
function frozenOne(value: string): readonly string[] {
  let a = ONE.get(value);
  if (a === undefined) ONE.set(value, (a = Object.freeze([value])));
  return a;
}

/** The `event.*` field set. */
export function eventFields(shape: EventShape, id: string, sequence: number, createdMs: number, outcome?: EventOutcome): EcsObject {
  const event: EcsObject = {
    kind: 'event',
    category: frozenOne(shape.category) as string[],
    type: frozenOne(shape.type) as string[],
    action: shape.action,
    module: 'endpoint',
    dataset: shape.dataset,
    id,
    sequence,
    created: isoTime(createdMs),
  };
  if (outcome !== undefined) event['outcome'] = outcome;
  return event;
}

/** `event.outcome` of a connect(): 0 and -EINPROGRESS (Linux 115) mean the attempt went out. */
export function connectOutcome(result: number | undefined, einprogress = 115): EventOutcome | undefined {
  if (result === undefined) return undefined;
  return result === 0 || result === -einprogress ? 'success' : 'failure';
}
