import type { EcsEvent } from '../ecs/ecs-event.js';
import type { CompiledSequenceQuery } from '../eql/compiled-query.js';
import type { LoadedRule } from '../rules/loaded-rule.js';
import type { RuleSet } from '../rules/rule-set.js';
import { SequenceMatcher, type SequenceHit } from '../sequence/index.js';

/** One rule match, before it becomes an alert. */
export interface EngineMatch {
  readonly rule: LoadedRule;
  /** Stage order; null is a missing-event placeholder. */
  readonly events: ReadonlyArray<EcsEvent | null>;
  readonly joinKeys: readonly unknown[];
}

export interface DetectionEngineOptions {
  /** Event time, epoch milliseconds (null when unreadable: the event is counted and skipped by sequences). */
  readonly timestamp: (event: EcsEvent) => number;
  /** Cap on in-flight partial sequences per rule (oldest evicted, counted in the matcher's stats). */
  readonly maxSequencesPerRule: number;
  /** Lifetime of partial sequences of rules without maxspan. */
  readonly defaultLifetimeMs: number;
}

export interface DetectionEngineStats {
  /** Events processed. */
  events: number;
  /** Candidate stages the index handed out (each then runs its filter). */
  candidates: number;
  /** Event-query matches plus completed sequences. */
  matches: number;
  /** Rules whose evaluation threw (counted, logged by the caller, never fatal). */
  ruleErrors: number;
  /** Sample rules do not run live (hunt only); counted at construction. */
  samplesSkipped: number;
}

/** What `process` returns when nothing matched (shared, frozen: the common case allocates nothing). */
const NO_MATCHES: EngineMatch[] = Object.freeze([]) as unknown as EngineMatch[];

/** One sequence rule's state, for status.json and the eviction health alert. */
export interface SequenceRuleHealth {
  readonly rule: LoadedRule;
  readonly evicted: number;
  readonly inFlight: number;
  readonly cap: number;
  /** Users holding the most partial sequences (computed on demand: it sorts). */
  readonly topOwners: () => Array<[string, number]>;
}

/**
 * The rules engine of the live agent: an event visits only the rules the index says can match it; event
 * queries match on their filter, sequence rules go to one streaming SequenceMatcher each (created at
 * construction, so memory is bounded by rules x maxSequencesPerRule). Events must arrive in time order
 * (the reorder buffer's job); `advance` lets the clock expire sequence state without events.
 */
export class DetectionEngine {
  readonly #ruleSet: RuleSet;
  readonly #matchers = new Map<LoadedRule, SequenceMatcher>();
  readonly #stats: DetectionEngineStats = { events: 0, candidates: 0, matches: 0, ruleErrors: 0, samplesSkipped: 0 };
  readonly #onError: (rule: LoadedRule, err: unknown) => void;

  constructor(ruleSet: RuleSet, options: DetectionEngineOptions, onError: (rule: LoadedRule, err: unknown) => void = () => {}) {
    this.#ruleSet = ruleSet;
    this.#onError = onError;
    for (const rule of ruleSet.rules) {
      if (rule.query.kind === 'sequence') {
        this.#matchers.set(
          rule,
          new SequenceMatcher(rule.query as CompiledSequenceQuery, {
            timestamp: options.timestamp,
            maxInFlight: options.maxSequencesPerRule,
            defaultLifetimeMs: options.defaultLifetimeMs,
          }),
        );
      } else if (rule.query.kind === 'sample') {
        this.#stats.samplesSkipped++;
      }
    }
  }

  /** Runs one event (in time order) through the rules that can match it. */
  process(event: EcsEvent): EngineMatch[] {
    this.#stats.events++;
    const candidates = this.#ruleSet.candidates(event);
    if (candidates.stages.length === 0) return NO_MATCHES;
    this.#stats.candidates += candidates.stages.length;
    let out: EngineMatch[] | undefined;
    for (const rule of candidates.rules) {
      try {
        const q = rule.query;
        if (q.kind === 'event') {
          if (q.stage.filter(event)) (out ??= []).push({ rule, events: [event], joinKeys: [] });
        } else {
          const matcher = this.#matchers.get(rule);
          if (matcher !== undefined) {
            const hits = matcher.push(event);
            if (hits.length > 0) this.#collect(rule, hits, (out ??= []));
          }
        }
      } catch (err) {
        this.#stats.ruleErrors++;
        this.#onError(rule, err);
      }
    }
    if (out === undefined) return NO_MATCHES;
    this.#stats.matches += out.length;
    return out;
  }

  /** The clock moved to `nowMs` (event time): expires state and reports trailing missing-event verdicts due. */
  advance(nowMs: number): EngineMatch[] {
    const out: EngineMatch[] = [];
    for (const [rule, matcher] of this.#matchers) this.#collect(rule, matcher.advance(nowMs), out);
    this.#stats.matches += out.length;
    return out;
  }

  /** End of input (replay, shutdown): reports what can still be decided. */
  flush(): EngineMatch[] {
    const out: EngineMatch[] = [];
    for (const [rule, matcher] of this.#matchers) this.#collect(rule, matcher.flush(), out);
    this.#stats.matches += out.length;
    return out;
  }

  #collect(rule: LoadedRule, hits: readonly SequenceHit[], out: EngineMatch[]): void {
    for (const hit of hits) out.push({ rule, events: hit.events, joinKeys: hit.joinKeys });
  }

  /** Partial sequences held across all rules. */
  inFlight(): number {
    let n = 0;
    for (const m of this.#matchers.values()) n += m.inFlight;
    return n;
  }

  /** Per sequence rule: partial sequences evicted over the cap so far, held now, the cap and the heaviest owners. */
  sequenceRules(): SequenceRuleHealth[] {
    const out: SequenceRuleHealth[] = [];
    for (const [rule, m] of this.#matchers) out.push({ rule, evicted: m.stats().evicted, inFlight: m.inFlight, cap: m.cap, topOwners: () => m.topOwners() });
    return out;
  }

  stats(): Readonly<DetectionEngineStats> {
    return this.#stats;
  }
}
