import type { KeyToSequences } from './key-to-sequences.js';
import { KeyToLeadingMissing } from './key-to-leading-missing.js';
import type { MatcherStats } from './matcher-stats.js';
import { missingVerdict, trailingDeadline } from './missing-verdict.js';
import { PendingTrailing } from './pending-trailing.js';
import type { Sequence } from './sequence.js';
import type { StagePlan } from './stage-plan.js';

/**
 * Everything missing-event stages `![...]` need, as Elasticsearch decides them:
 * - leading: the latest leading missing event of each key (KeyToLeadingMissing), read when a sequence starts;
 * - middle: a missing event poisons the key's sequences waiting at the previous positive stage (the matcher
 *   dooms them when they advance past it);
 * - trailing: completed sequences wait in PendingTrailing until a trailing event decides them or the clock
 *   passes the point where none could.
 * Verdicts go to `report` (accepted) or are counted in `rejectedMissing`.
 */
export class MissingEventStages {
  readonly #leadingMissing: KeyToLeadingMissing;
  readonly #pending = new PendingTrailing();
  readonly #due: Sequence[] = [];

  readonly #plan: StagePlan;
  readonly #maxspanMs: number | null;
  readonly #horizonMs: number;
  readonly #cap: number;
  readonly #stats: MatcherStats;
  readonly #report: (s: Sequence) => void;

  constructor(
    plan: StagePlan,
    maxspanMs: number | null,
    horizonMs: number,
    cap: number,
    maxLeadingKeys: number,
    stats: MatcherStats,
    report: (s: Sequence) => void,
  ) {
    this.#plan = plan;
    this.#maxspanMs = maxspanMs;
    this.#horizonMs = horizonMs;
    this.#cap = cap;
    this.#stats = stats;
    this.#report = report;
    this.#leadingMissing = new KeyToLeadingMissing(maxLeadingKeys);
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  get leadingKeys(): number {
    return this.#leadingMissing.size;
  }

  /** A sequence starts: remember the latest leading missing event of its key strictly before it. */
  onStart(s: Sequence, key: string, ts: number): void {
    if (this.#plan.hasLeading) s.leadingTs = this.#leadingMissing.before(key, ts);
  }

  /** An event matched missing-event `stage` with this key. */
  onMissingEvent(stage: number, key: string, ts: number, keyToSequences: KeyToSequences): void {
    const role = this.#plan.role[stage];
    if (role === 'leading') {
      this.#leadingMissing.add(key, ts);
      this.#stats.evictedLeadingKeys = this.#leadingMissing.evicted;
      return;
    }
    if (role === 'trailing') {
      for (const s of this.#pending.forKey(key)) {
        if (!(s.lastTs < ts)) continue;
        // The first trailing event after the last positive match decides the verdict.
        s.trailingTs = ts;
        this.#pending.resolved();
        this.#decide(s);
      }
      return;
    }
    const group = keyToSequences.groupIfPresent(this.#plan.previousPositive[stage]!, key);
    if (group === undefined) return;
    for (const s of group.entries()) if (s.lastTs < ts && ts < s.poisonTs) s.poisonTs = ts;
  }

  /** Every positive stage matched: report, reject, or wait for a trailing verdict. */
  complete(s: Sequence): void {
    const plan = this.#plan;
    if (s.doomed) return this.#reject(s);
    if (!plan.hasTrailing) return plan.hasLeading ? this.#decide(s) : this.#report(s);
    if (plan.hasLeading && s.leadingTs === null) return this.#report(s);
    s.deadline = trailingDeadline(plan, this.#maxspanMs, this.#horizonMs, s);
    this.#pending.add(s);
    // Eviction rule: over the cap, the pending sequence with the earliest deadline is dropped first.
    while (this.#pending.size > this.#cap) {
      const oldest = this.#pending.evictEarliest();
      if (oldest === undefined) break;
      oldest.state = 'dead';
      this.#stats.evicted++;
    }
  }

  /** The clock moved to `now`: leading times past the horizon go; trailing verdicts that fell due are decided. */
  advance(now: number): void {
    if (this.#horizonMs !== Infinity) this.#leadingMissing.expire(now - this.#horizonMs);
    if (this.#pending.size === 0) return;
    this.#pending.due(now, this.#due);
    this.#decideDue();
  }

  /** End of stream: no trailing event will come. */
  drain(): void {
    this.#pending.drain(this.#due);
    this.#decideDue();
  }

  #decideDue(): void {
    for (const s of this.#due) {
      this.#pending.resolved();
      this.#decide(s);
    }
    this.#due.length = 0;
  }

  #decide(s: Sequence): void {
    if (missingVerdict(this.#plan, this.#maxspanMs, s)) this.#report(s);
    else this.#reject(s);
  }

  #reject(s: Sequence): void {
    s.state = 'dead';
    this.#stats.rejectedMissing++;
  }
}
