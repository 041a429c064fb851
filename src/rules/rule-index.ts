import type { EcsEvent } from '../ecs/ecs-event.js';
import { compileFieldGetter, type FieldGetter } from '../ecs/field-getter.js';
import { stagesOf, type IndexedStage } from './indexed-stage.js';
import type { LoadedRule } from './loaded-rule.js';

/** Stages of one category, split by the constant `event.action` / `event.type` they require. */
class CategoryBucket {
  readonly generic: IndexedStage[] = [];
  readonly byAction = new Map<string, IndexedStage[]>();
  readonly byType = new Map<string, IndexedStage[]>();

  add(entry: IndexedStage): void {
    const actions = entry.stage.constraints['event.action'];
    const types = entry.stage.constraints['event.type'];
    if (actions && actions.length > 0) for (const a of actions) push(this.byAction, a, entry);
    else if (types && types.length > 0) for (const t of types) push(this.byType, t, entry);
    else this.generic.push(entry);
  }
}

function push(map: Map<string, IndexedStage[]>, key: string, entry: IndexedStage): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

/** The one string of a string or a one-string array, else undefined. */
function one(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  return undefined;
}

function strings(v: unknown): readonly string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

export interface Candidates {
  readonly stages: readonly IndexedStage[];
  /** The distinct rules among `stages`, in load order. */
  readonly rules: readonly LoadedRule[];
}

export interface RuleIndexStats {
  lookups: number;
  cacheHits: number;
  cacheMisses: number;
  /** Cache entries dropped because the cache was full (oldest first). */
  cacheEvictions: number;
}

export interface RuleIndexOptions {
  /** The event category field (default `event.category`). */
  readonly categoryField?: string;
  /** Distinct (category, action, type) shapes remembered (default 1024). */
  readonly cacheSize?: number;
}

const ANY = '\u0000any';
const EMPTY: Candidates = { stages: [], rules: [] };

/**
 * Rules indexed by event category and the constant `event.action` / `event.type` values their stages require
 * (CompiledStage.category / .constraints), so an event only visits stages that can match it. The index is a
 * pre-filter: each stage's own filter still decides. Candidate lists are computed once per distinct event
 * shape and kept in a bounded cache.
 */
export class RuleIndex {
  readonly stats: RuleIndexStats = { lookups: 0, cacheHits: 0, cacheMisses: 0, cacheEvictions: 0 };
  readonly #buckets = new Map<string, CategoryBucket>();
  readonly #order = new Map<IndexedStage, number>();
  readonly #cache = new Map<string, Candidates>();
  /** category -> action -> type -> candidates, for events with one of each (bounded by cacheSize too). */
  readonly #single = new Map<string, Map<string, Map<string, Candidates>>>();
  #singleSize = 0;
  readonly #cacheSize: number;
  readonly #getCategory: FieldGetter;
  readonly #getAction = compileFieldGetter('event.action');
  readonly #getType = compileFieldGetter('event.type');

  constructor(rules: readonly LoadedRule[], options: RuleIndexOptions = {}) {
    this.#getCategory = compileFieldGetter(options.categoryField ?? 'event.category');
    this.#cacheSize = Math.max(1, options.cacheSize ?? 1024);
    for (const rule of rules) {
      for (const entry of stagesOf(rule)) {
        this.#order.set(entry, this.#order.size);
        const key = entry.stage.category ?? ANY;
        let bucket = this.#buckets.get(key);
        if (!bucket) this.#buckets.set(key, (bucket = new CategoryBucket()));
        bucket.add(entry);
      }
    }
  }

  /** The stages (and rules) an event may match. */
  candidates(event: EcsEvent): Candidates {
    this.stats.lookups++;
    const category = this.#getCategory(event);
    const action = this.#getAction(event);
    const type = this.#getType(event);
    // The usual shape (one category, one action, one type, as the normalizer writes them): nested maps keyed by
    // the strings themselves, no key text built per event.
    const c = one(category);
    const t = one(type);
    if (c !== undefined && t !== undefined && typeof action === 'string') {
      const hit = this.#single.get(c)?.get(action)?.get(t);
      if (hit !== undefined) {
        this.stats.cacheHits++;
        return hit;
      }
    }
    const found = this.#lookup(strings(category), strings(action), strings(type));
    if (c !== undefined && t !== undefined && typeof action === 'string') {
      if (this.#singleSize >= this.#cacheSize) {
        this.stats.cacheEvictions += this.#singleSize;
        this.#single.clear();
        this.#singleSize = 0;
      }
      let byAction = this.#single.get(c);
      if (byAction === undefined) this.#single.set(c, (byAction = new Map()));
      let byType = byAction.get(action);
      if (byType === undefined) byAction.set(action, (byType = new Map()));
      byType.set(t, found);
      this.#singleSize++;
    }
    return found;
  }

  #lookup(categories: readonly string[], actions: readonly string[], types: readonly string[]): Candidates {
    const key = `${categories.join('\u0001')}\u0002${actions.join('\u0001')}\u0002${types.join('\u0001')}`;
    const hit = this.#cache.get(key);
    if (hit) {
      this.stats.cacheHits++;
      return hit;
    }
    this.stats.cacheMisses++;
    const found = this.#compute(categories, actions, types);
    if (this.#cache.size >= this.#cacheSize) {
      // Evict the oldest shape (Map iteration order is insertion order).
      this.#cache.delete(this.#cache.keys().next().value as string);
      this.stats.cacheEvictions++;
    }
    this.#cache.set(key, found);
    return found;
  }

  #compute(categories: readonly string[], actions: readonly string[], types: readonly string[]): Candidates {
    const picked = new Set<IndexedStage>();
    for (const cat of [ANY, ...categories]) {
      const bucket = this.#buckets.get(cat);
      if (!bucket) continue;
      for (const e of bucket.generic) picked.add(e);
      for (const a of actions) for (const e of bucket.byAction.get(a) ?? []) picked.add(e);
      for (const t of types) for (const e of bucket.byType.get(t) ?? []) picked.add(e);
    }
    if (picked.size === 0) return EMPTY;
    const stages = [...picked].sort((x, y) => this.#order.get(x)! - this.#order.get(y)!);
    const rules = [...new Set(stages.map((s) => s.rule))];
    return { stages, rules };
  }

  get size(): number {
    return this.#order.size;
  }
}
