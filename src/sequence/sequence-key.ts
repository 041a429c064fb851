import type { EcsEvent } from '../ecs/ecs-event.js';
import type { CompiledStage } from '../eql/compiled-query.js';
import { dateKeyMillis } from './date-key.js';

/**
 * One join-key tuple of an event for a stage: `id` is the tuple encoded as a string (the map key every
 * collection uses), `values` are the values as the event holds them (what results report, as ES's
 * `join_keys` does).
 */
export interface SequenceKey {
  readonly id: string;
  readonly values: readonly unknown[];
}

/** The key of a query without `by`: every event joins every other. */
export const EMPTY_KEY: SequenceKey = { id: '', values: [] };
const EMPTY_KEYS: readonly SequenceKey[] = [EMPTY_KEY];
const NO_KEYS: readonly SequenceKey[] = [];
const SEPARATOR = '\u0001';

/** Type-tagged encoding, so that the string "1" and the number 1 stay different keys (as in ES). */
function encode(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return 's' + value;
    case 'number':
      return 'n' + value;
    case 'boolean':
      return value ? 'T' : 'F';
    case 'bigint':
      return 'n' + value.toString();
    default:
      return value === null ? 'z' : 'j' + JSON.stringify(value);
  }
}

/** A key value as it joins: a date-shaped string joins (and is reported) as its epoch milliseconds. */
function joinValue(value: unknown): unknown {
  return typeof value === 'string' ? (dateKeyMillis(value) ?? value) : value;
}

/**
 * The candidate values of one key: a scalar gives itself; an array gives each distinct non-null element
 * (Elasticsearch treats each value of a multi-valued key as a separate join key); a missing value gives
 * `[null]` when the key is optional (`?field`) and nothing otherwise (the event cannot join).
 */
function candidates(value: unknown, optional: boolean): readonly unknown[] {
  if (value === undefined || value === null) return optional ? [null] : NO_KEYS;
  if (!Array.isArray(value)) return [joinValue(value)];
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (const item of value) {
    if (item === undefined || item === null) continue;
    const v = joinValue(item);
    const e = encode(v);
    if (seen.has(e)) continue;
    seen.add(e);
    out.push(v);
  }
  if (out.length === 0) return optional ? [null] : NO_KEYS;
  return out;
}

/**
 * The id of a string key value, remembered for the last value seen: the sequence rules an event visits
 * mostly join on the same field (process.entity_id), so one event's value is encoded (and hashed by the maps
 * it is looked up in) once, not once per rule.
 */
let lastKeyValue: string | undefined;
let lastKeyId = '';
function stringKeyId(value: string): string {
  if (value !== lastKeyValue) {
    lastKeyId = encode(joinValue(value));
    lastKeyValue = value;
  }
  return lastKeyId;
}

/**
 * The key id of a stage whose join keys are all plain strings or numbers (the common case), without
 * allocating tuples; null when a key is absent or not that simple (use sequenceKeysOf then).
 */
export function simpleKeyId(stage: CompiledStage, event: EcsEvent): string | null {
  const getters = stage.keys;
  const n = getters.length;
  if (n === 0) return null;
  let id = '';
  for (let i = 0; i < n; i++) {
    const v = getters[i]!(event);
    let part: string;
    if (typeof v === 'string') part = stringKeyId(v);
    else if (typeof v === 'number') part = encode(v);
    else return null;
    id = i === 0 ? part : id + SEPARATOR + part;
  }
  return id;
}

/**
 * Every join-key tuple of `event` for `stage`: one for single-valued keys, the cartesian product for
 * multi-valued ones, none when a required key is missing.
 */
export function sequenceKeysOf(stage: CompiledStage, event: EcsEvent): readonly SequenceKey[] {
  const getters = stage.keys;
  const n = getters.length;
  if (n === 0) return EMPTY_KEYS;
  if (n === 1) {
    // Hot path: one key, one scalar value.
    const v = getters[0]!(event);
    if (typeof v === 'number') return [{ id: encode(v), values: [v] }];
    if (typeof v === 'string') return [{ id: stringKeyId(v), values: [joinValue(v)] }];
    return candidates(v, stage.keyOptional[0] === true).map((c) => ({ id: encode(c), values: [c] }));
  }
  let tuples: { ids: string[]; values: unknown[] }[] = [{ ids: [], values: [] }];
  for (let i = 0; i < n; i++) {
    const options = candidates(getters[i]!(event), stage.keyOptional[i] === true);
    if (options.length === 0) return NO_KEYS;
    if (options.length === 1) {
      const only = options[0];
      const id = encode(only);
      for (const t of tuples) {
        t.ids.push(id);
        t.values.push(only);
      }
      continue;
    }
    const next: { ids: string[]; values: unknown[] }[] = [];
    for (const t of tuples) {
      for (const o of options) next.push({ ids: [...t.ids, encode(o)], values: [...t.values, o] });
    }
    tuples = next;
  }
  return tuples.map((t) => ({ id: t.ids.join(SEPARATOR), values: t.values }));
}
