import { TokenBucket } from './token-bucket.js';

export interface RateLimitOptions {
  /** Notifications per rule per minute once its burst is spent (default 5, the config's `per_rule_per_minute`). */
  readonly perRulePerMinute?: number;
  /** Notifications a rule may raise at once (default: perRulePerMinute). */
  readonly perRuleBurst?: number;
  /** All rules together, per minute (default 30) and at once (default 10): a many-rule flood is capped too. */
  readonly globalPerMinute?: number;
  readonly globalBurst?: number;
  /** Suppressed alerts of a rule are summarized this long after the first one was suppressed (default 60 s). */
  readonly summaryAfterMs?: number;
  /** Rules tracked at once; beyond it the least recently seen is dropped, its summary due at once (default 1024). */
  readonly maxRules?: number;
}

/** "N more alerts of rule X": what the limiter held back for one rule. */
export interface Summary {
  readonly ruleName: string;
  readonly count: number;
}

interface RuleState {
  readonly bucket: TokenBucket;
  readonly name: string;
  suppressed: number;
  firstSuppressedMs: number;
}

export interface RateLimiterStats {
  readonly admitted: number;
  readonly suppressed: number;
  readonly summaries: number;
  readonly rulesTracked: number;
  readonly rulesEvicted: number;
}

/**
 * Per-rule notification rate limit: a token bucket per rule plus one for all rules. An alert that finds no
 * token is counted against its rule; `due` hands out the summaries whose time has come. Pure logic, clock
 * passed in; the map of rules is bounded (`maxRules`, least recently seen evicted first).
 */
export class RuleRateLimiter {
  readonly #perMinute: number;
  readonly #burst: number;
  readonly #summaryAfterMs: number;
  readonly #maxRules: number;
  readonly #global: TokenBucket;
  readonly #rules = new Map<string, RuleState>();
  readonly #evictedDue: Summary[] = [];
  #stats = { admitted: 0, suppressed: 0, summaries: 0, rulesEvicted: 0 };

  constructor(options: RateLimitOptions = {}, nowMs: number = Date.now()) {
    this.#perMinute = options.perRulePerMinute ?? 5;
    this.#burst = options.perRuleBurst ?? Math.max(1, Math.floor(this.#perMinute));
    this.#summaryAfterMs = options.summaryAfterMs ?? 60_000;
    this.#maxRules = options.maxRules ?? 1024;
    this.#global = new TokenBucket(options.globalBurst ?? 10, options.globalPerMinute ?? 30, nowMs);
  }

  /** True: notify this alert now. False: it was counted for the rule's summary. */
  admit(ruleId: string, ruleName: string, nowMs: number): boolean {
    let state = this.#rules.get(ruleId);
    if (state === undefined) {
      if (this.#rules.size >= this.#maxRules) this.#evictOldest();
      state = { bucket: new TokenBucket(this.#burst, this.#perMinute, nowMs), name: ruleName, suppressed: 0, firstSuppressedMs: 0 };
    } else {
      this.#rules.delete(ruleId); // re-insert below: Map order is recency order
    }
    this.#rules.set(ruleId, state);
    // The rule's bucket first, so that a rule over its own limit does not spend the shared tokens.
    if (state.bucket.take(nowMs) && this.#global.take(nowMs)) {
      this.#stats.admitted++;
      return true;
    }
    if (state.suppressed === 0) state.firstSuppressedMs = nowMs;
    state.suppressed++;
    this.#stats.suppressed++;
    return false;
  }

  #evictOldest(): void {
    const [id, oldest] = this.#rules.entries().next().value as [string, RuleState];
    this.#rules.delete(id);
    this.#stats.rulesEvicted++;
    if (oldest.suppressed > 0) this.#evictedDue.push({ ruleName: oldest.name, count: oldest.suppressed });
  }

  /** Summaries due at `nowMs` (all pending ones when `flush`), each rule's count reset. */
  due(nowMs: number, flush = false): Summary[] {
    const out = this.#evictedDue.splice(0);
    for (const state of this.#rules.values()) {
      if (state.suppressed > 0 && (flush || nowMs - state.firstSuppressedMs >= this.#summaryAfterMs)) {
        out.push({ ruleName: state.name, count: state.suppressed });
        state.suppressed = 0;
      }
    }
    this.#stats.summaries += out.length;
    return out;
  }

  stats(): RateLimiterStats {
    return { ...this.#stats, rulesTracked: this.#rules.size };
  }
}
