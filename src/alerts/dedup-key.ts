import { createHash } from 'node:crypto';
import type { EcsEvent } from '../ecs/ecs-event.js';
import { compileFieldGetter } from '../ecs/field-getter.js';
import type { AlertMatch } from './alert-match.js';

const getId = compileFieldGetter('event.id');
const getEntity = compileFieldGetter('process.entity_id');
const getTimestamp = compileFieldGetter('@timestamp');
const getAction = compileFieldGetter('event.action');

const part = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** Key-sorted JSON, so that two equal documents give the same text whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * One event's identity inside a match: `event.id`, `process.entity_id`, `@timestamp` and `event.action`.
 * An event with none of them (recorded data without ids) is identified by its whole canonical JSON.
 * A missing-event placeholder is `!`.
 */
function eventIdentity(event: EcsEvent | null): string {
  if (event === null) return '!';
  const fields = [getId(event), getEntity(event), getTimestamp(event), getAction(event)].map(part);
  if (fields.every((f) => f === '')) return 'json:' + canonicalJson(event);
  return fields.join('|');
}

/**
 * The dedup key of a match: SHA-256 over the rule id and the identity of each event, in stage order.
 * The same rule matching the same events (same ids, entity ids and timestamps) gives the same key, so a
 * replayed or re-evaluated match is stored once. Join keys are implied by the events and not hashed.
 */
export function dedupKey(match: Pick<AlertMatch, 'rule' | 'events'>): string {
  const h = createHash('sha256');
  h.update(match.rule.id);
  for (const event of match.events) {
    h.update('\n');
    h.update(eventIdentity(event));
  }
  return h.digest('hex');
}
