/**
 * The naive matcher the benchmark compares against: one flat list of partial sequences, and for every event a
 * scan of the whole list (drop the expired ones, test whether the event extends each one). Same results as the
 * real matcher for plain sequences (no until / missing stages / runs); not used by Vigil.
 */
import type { EcsEvent } from '../src/ecs/ecs-event.js';
import type { CompiledSequenceQuery } from '../src/eql/compiled-query.js';
import { sequenceKeysOf } from '../src/sequence/sequence-key.js';

interface Partial {
  key: string;
  stage: number;
  startTs: number;
  events: EcsEvent[];
}

export class NaiveMatcher {
  #partials: Partial[] = [];
  completed = 0;
  peak = 0;

  readonly #query: CompiledSequenceQuery;
  readonly #timestamp: (e: EcsEvent) => number;

  constructor(
    query: CompiledSequenceQuery,
    timestamp: (e: EcsEvent) => number,
  ) {
    this.#query = query;
    this.#timestamp = timestamp;
  }

  get inFlight(): number {
    return this.#partials.length;
  }

  push(event: EcsEvent): void {
    const ts = this.#timestamp(event);
    const stages = this.#query.stages;
    const last = stages.length - 1;
    const maxspan = this.#query.maxspanMs ?? Infinity;
    const keyCache: (Set<string> | null | undefined)[] = new Array(stages.length);
    const keysFor = (s: number): Set<string> | null => {
      let k = keyCache[s];
      if (k === undefined) {
        k = stages[s]!.filter(event) ? new Set(sequenceKeysOf(stages[s]!, event).map((x) => x.id)) : null;
        keyCache[s] = k;
      }
      return k;
    };
    const kept: Partial[] = [];
    const advanced: Partial[] = [];
    for (const p of this.#partials) {
      if (ts - p.startTs > maxspan) continue;
      const keys = keysFor(p.stage + 1);
      if (keys !== null && keys.has(p.key)) advanced.push(p);
      else kept.push(p);
    }
    for (const p of advanced) {
      p.stage++;
      p.events.push(event);
      if (p.stage === last) {
        this.completed++;
        continue;
      }
      // Most recent wins: drop the key's older partial sequence at that stage.
      const i = kept.findIndex((q) => q.key === p.key && q.stage === p.stage);
      if (i >= 0) kept.splice(i, 1);
      kept.push(p);
    }
    const starts = keysFor(0);
    if (starts !== null) {
      for (const key of starts) {
        const i = kept.findIndex((q) => q.key === key && q.stage === 0);
        if (i >= 0) kept.splice(i, 1);
        kept.push({ key, stage: 0, startTs: ts, events: [event] });
      }
    }
    this.#partials = kept;
    if (kept.length > this.peak) this.peak = kept.length;
  }
}
