import { readFileSync } from 'node:fs';
import type { EcsEvent } from '../ecs/ecs-event.js';
import type { CompiledSequenceQuery } from '../eql/compiled-query.js';
import type { LoadedRule } from '../rules/loaded-rule.js';
import type { RuleSet } from '../rules/rule-set.js';
import type { Candidates } from '../rules/rule-index.js';
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
  /**
   * Per-rule evaluation budget for one event, ms of CPU time (0: none). A rule over it BUDGET_STRIKES times
   * within BUDGET_WINDOW_MS is disabled and `onRuleDisabled` is called.
   */
  readonly ruleBudgetMs?: number;
  readonly onRuleDisabled?: (rule: LoadedRule, overrun: BudgetOverrun) => void;
}

/** Why a rule was disabled: its last evaluations over the budget. */
export interface BudgetOverrun {
  readonly budgetMs: number;
  readonly strikes: number;
  /** The slowest of them, ms. */
  readonly worstMs: number;
}

export const BUDGET_STRIKES = 3;
export const BUDGET_WINDOW_MS = 60_000;
/** After an event over the budget (wall clock), this many events time each rule apart. */
const TIMED_EVENTS = 1000;

/**
 * CPU time of the calling thread, ms: Linux reads /proc/thread-self/schedstat (about 10 µs, read only around
 * suspect rules); elsewhere the process's CPU time (which also counts other threads: a looser bound).
 */
function threadCpuMs(): number {
  if (process.platform === 'linux') {
    try {
      const s = readFileSync('/proc/thread-self/schedstat', 'latin1');
      return Number(s.slice(0, s.indexOf(' '))) / 1e6;
    } catch {
      // fall through
    }
  }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
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
  /** Rule evaluations over the per-rule budget, and rules disabled for it. */
  budgetOverruns: number;
  rulesDisabled: number;
}

/** One candidate rule as `process` runs it: an event query's filter, or a sequence rule's matcher. */
interface RuleDispatch {
  readonly rule: LoadedRule;
  readonly filter: ((event: EcsEvent) => boolean) | null;
  readonly matcher: SequenceMatcher | null;
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
  /** Per candidate list (the index caches one per event shape): each rule with its filter or matcher, looked up once. */
  readonly #dispatch = new WeakMap<Candidates, readonly RuleDispatch[]>();
  readonly #stats: DetectionEngineStats = { events: 0, candidates: 0, matches: 0, ruleErrors: 0, samplesSkipped: 0, budgetOverruns: 0, rulesDisabled: 0 };
  readonly #onError: (rule: LoadedRule, err: unknown) => void;
  readonly #budgetMs: number;
  readonly #onRuleDisabled: (rule: LoadedRule, overrun: BudgetOverrun) => void;
  /** Events left to time rule by rule (after a slow event whose culprit was ambiguous). */
  #timedEvents = 0;
  /** Per rule over budget: recent overrun times (ms, monotonic) and the worst. */
  readonly #strikes = new Map<LoadedRule, { at: number[]; worstMs: number }>();
  readonly #disabled = new Set<LoadedRule>();
  /** Rules seen over the budget in wall time: their evaluations are measured in CPU time. */
  readonly #suspects = new Set<LoadedRule>();

  constructor(ruleSet: RuleSet, options: DetectionEngineOptions, onError: (rule: LoadedRule, err: unknown) => void = () => {}) {
    this.#ruleSet = ruleSet;
    this.#onError = onError;
    this.#budgetMs = options.ruleBudgetMs ?? 0;
    this.#onRuleDisabled = options.onRuleDisabled ?? (() => {});
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
    // Budget: two wall-clock reads per event. After a slow event, the next ones time each rule (wall clock);
    // a rule over the budget becomes a suspect, and only a suspect's evaluations are measured in this thread's
    // CPU time, which alone counts as a strike (wall time would blame a rule for the agent being preempted on
    // a busy machine, process CPU time for the GC threads).
    const budget = this.#budgetMs;
    const timed = this.#timedEvents > 0;
    const t0 = budget > 0 ? performance.now() : 0;
    let tRule = t0;
    let dispatch = this.#dispatch.get(candidates);
    if (dispatch === undefined) {
      dispatch = candidates.rules.map((rule) => ({
        rule,
        filter: rule.query.kind === 'event' ? rule.query.stage.filter : null,
        matcher: this.#matchers.get(rule) ?? null,
      }));
      this.#dispatch.set(candidates, dispatch);
    }
    for (const { rule, filter, matcher } of dispatch) {
      if (this.#disabled.size > 0 && this.#disabled.has(rule)) continue;
      const cpu0 = timed && this.#suspects.has(rule) ? threadCpuMs() : -1;
      try {
        if (filter !== null) {
          if (filter(event)) (out ??= []).push({ rule, events: [event], joinKeys: [] });
        } else if (matcher !== null) {
          const hits = matcher.push(event);
          if (hits.length > 0) this.#collect(rule, hits, (out ??= []));
        }
      } catch (err) {
        this.#stats.ruleErrors++;
        this.#onError(rule, err);
      }
      if (timed) {
        const now = performance.now();
        if (cpu0 >= 0) {
          const ms = threadCpuMs() - cpu0;
          if (ms > budget) this.#overBudget(rule, ms, now);
        } else if (now - tRule > budget) this.#suspects.add(rule);
        tRule = performance.now();
      }
    }
    if (budget > 0) {
      if (timed) this.#timedEvents--;
      else if (performance.now() - t0 > budget) this.#timedEvents = TIMED_EVENTS;
    }
    if (out === undefined) return NO_MATCHES;
    this.#stats.matches += out.length;
    return out;
  }

  /** A rule's evaluation of one event took `ms` (over the budget): a strike; too many in the window disable it. */
  #overBudget(rule: LoadedRule, ms: number, now: number): void {
    this.#stats.budgetOverruns++;
    let s = this.#strikes.get(rule);
    if (s === undefined) this.#strikes.set(rule, (s = { at: [], worstMs: 0 }));
    s.at = s.at.filter((t) => now - t < BUDGET_WINDOW_MS);
    s.at.push(now);
    s.worstMs = Math.max(s.worstMs, ms);
    if (s.at.length < BUDGET_STRIKES || this.#disabled.has(rule)) return;
    this.#disabled.add(rule);
    this.#stats.rulesDisabled++;
    this.#onRuleDisabled(rule, { budgetMs: this.#budgetMs, strikes: s.at.length, worstMs: Math.round(s.worstMs) });
  }

  /** Whether `rule` was disabled for exceeding the evaluation budget. */
  isDisabled(rule: LoadedRule): boolean {
    return this.#disabled.size > 0 && this.#disabled.has(rule);
  }

  /** Rules disabled for exceeding the evaluation budget. */
  disabledRules(): LoadedRule[] {
    return [...this.#disabled];
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
