import type { EcsEvent } from '../ecs/ecs-event.js';
import type { CompiledSequenceQuery } from '../eql/compiled-query.js';
import type { SequenceHit } from './batch.js';
import { KeyToSequences } from './key-to-sequences.js';
import { DEFAULT_GROUP_CAP, DEFAULT_LIFETIME_MS, DEFAULT_MAX_IN_FLIGHT, type MatcherOptions } from './matcher-options.js';
import { emptyStats, type MatcherStats } from './matcher-stats.js';
import { compareKeyValues } from './key-order.js';
import { MissingEventStages } from './missing-event-stages.js';
import { Sequence } from './sequence.js';
import { SequenceError } from './sequence-error.js';
import { sequenceKeysOf, simpleKeyId, type SequenceKey } from './sequence-key.js';
import { buildStagePlan, type StagePlan } from './stage-plan.js';
import { StartOrderQueue } from './start-order-queue.js';
import { OwnerLedger } from './owner-ledger.js';
import { compileFieldGetter } from '../ecs/field-getter.js';

const USER_ID = compileFieldGetter('user.id');
/** Default owner: the user that started the sequence (a flood by one user evicts its own sequences first). */
const userOwner = (event: EcsEvent): string => {
  const id = USER_ID(event);
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
};

/** A completed sequence with the ordinal of its last positive event (the order ES reports sequences in). */
export interface CompletedSequence extends SequenceHit {
  readonly lastTs: number;
  readonly lastSeq: number;
  readonly id: number;
}

/** What `take` returns when nothing completed (shared and frozen: most events complete nothing). */
const NONE_COMPLETED: CompletedSequence[] = Object.freeze([]) as unknown as CompletedSequence[];

/**
 * Elasticsearch's result order: by the ordinal of the last positive event; sequences that end on the same
 * event (a multi-valued key completes several) by ascending join key; then by creation.
 */
export function completionOrder(a: CompletedSequence, b: CompletedSequence): number {
  return a.lastTs - b.lastTs || a.lastSeq - b.lastSeq || compareKeyValues(a.joinKeys, b.joinKeys) || a.id - b.id;
}

/**
 * The streaming sequence matcher: Elasticsearch's semantics, one event at a time.
 *
 * Per join key and per stage the most recent partial sequence wins; maxspan is measured from the first
 * event; an `until` event drops the partial sequences of its key; `with runs=N` repeats a stage; missing-event
 * stages `![...]` (leading, middle, trailing) reject a sequence when such an event does occur. The same
 * object serves `vigil hunt` (sorted batch input, `seq` = position) and the live agent (`push` + `advance`).
 *
 * State: KeyToSequences (partial sequences), StartOrderQueue (expiry and eviction order), and
 * MissingEventStages (PendingTrailing verdicts, KeyToLeadingMissing times). All of it is expired by the clock
 * (maxspan, or `defaultLifetimeMs`) and capped by `maxInFlight`.
 */
export class SequenceMatcher {
  readonly plan: StagePlan;
  readonly #until: CompiledSequenceQuery['until'];
  readonly #maxspanMs: number | null;
  /** How long a partial sequence can live: maxspan, else the configured lifetime. */
  readonly #horizonMs: number;
  readonly #maxInFlight: number;
  readonly #timestampOf: (event: EcsEvent) => number;
  readonly #ownerOf: (event: EcsEvent) => string;

  readonly #keyToSequences: KeyToSequences;
  readonly #startOrder = new StartOrderQueue();
  readonly #owners = new OwnerLedger();
  readonly #missingStages: MissingEventStages;

  readonly #stats_: MatcherStats = emptyStats();
  #inFlight_ = 0;
  #nextId = 0;
  #arrival = 0;
  #watermark = -Infinity;
  /** Completed sequences not yet handed out. */
  #out: CompletedSequence[] = [];
  readonly #scratch: Sequence[] = [];

  constructor(query: CompiledSequenceQuery, options: MatcherOptions) {
    this.plan = buildStagePlan(query.stages);
    this.#until = query.until;
    this.#maxspanMs = query.maxspanMs !== null && query.maxspanMs > 0 ? query.maxspanMs : null;
    this.#horizonMs = this.#maxspanMs ?? options.defaultLifetimeMs ?? DEFAULT_LIFETIME_MS;
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    this.#timestampOf = options.timestamp;
    this.#ownerOf = options.ownerOf ?? userOwner;
    this.#keyToSequences = new KeyToSequences(this.plan.size, Math.max(1, options.groupCap ?? DEFAULT_GROUP_CAP));
    this.#missingStages = new MissingEventStages(
      this.plan,
      this.#maxspanMs,
      this.#horizonMs,
      this.#maxInFlight,
      Math.max(1, options.maxLeadingKeys ?? this.#maxInFlight),
      this.#stats_,
      (s) => this.#report(s),
    );
  }

  /** Live mode: one event (ordered by the reorder buffer); returns the sequences it completed, each once. */
  push(event: EcsEvent): SequenceHit[] {
    this.pushOrdered(event, this.#arrival++);
    return this.take();
  }

  /** Live mode: time advances without events; expires state and reports trailing verdicts that fell due. */
  advance(nowMs: number): SequenceHit[] {
    this.#advanceTo(nowMs);
    return this.take();
  }

  /** End of stream: every pending trailing verdict is decided as if nothing else will come. */
  flush(): CompletedSequence[] {
    this.#missingStages.drain();
    return this.take();
  }

  /** Batch mode: an event with an explicit tiebreaker (its position in the sorted input). */
  pushOrdered(event: EcsEvent, seq: number): void {
    const stats = this.#stats_;
    stats.events++;
    const ts = this.#timestampOf(event);
    if (typeof ts !== 'number' || Number.isNaN(ts)) {
      stats.badTimestamp++;
      return;
    }
    this.#advanceTo(ts);
    const plan = this.plan;
    const sources = plan.sources;
    for (let i = sources.length - 1; i >= 0; i--) {
      const source = sources[i]!;
      let keys: readonly SequenceKey[];
      if (plan.keyFirst[i]) {
        // Keys first: when no partial sequence of this key waits for the stage, its filter cannot matter.
        const simple = simpleKeyId(source, event);
        if (simple !== null && !this.#anyWaiting(i, simple)) continue;
        keys = sequenceKeysOf(source, event);
        if ((simple === null && !keys.some((k) => this.#anyWaiting(i, k.id))) || !source.filter(event)) continue;
      } else {
        if (!source.filter(event)) continue;
        keys = sequenceKeysOf(source, event);
      }
      if (keys.length === 0) {
        stats.nullKey++;
        continue;
      }
      for (const stage of plan.expandedOf[i]!) {
        for (const key of keys) {
          if (plan.missing[stage]) this.#missingStages.onMissingEvent(stage, key.id, ts, this.#keyToSequences);
          else this.match(stage, key, ts, seq, event);
        }
      }
    }
    const until = this.#until;
    if (until !== null) {
      // Keys first here too: an until event only matters to a key with partial sequences.
      const simple = simpleKeyId(until, event);
      if ((simple === null || this.#keyToSequences.groupsIfPresent(simple) !== undefined) && until.filter(event)) {
        for (const key of sequenceKeysOf(until, event)) this.#untilEvent(key.id, ts, seq);
      }
    }
  }

  /** Whether a partial sequence of `key` waits at the stage before one of the source's stages. */
  #anyWaiting(source: number, key: string): boolean {
    const previous = this.plan.previousPositive;
    for (const stage of this.plan.expandedOf[source]!) {
      if (this.#keyToSequences.groupIfPresent(previous[stage]!, key) !== undefined) return true;
    }
    return false;
  }

  /** Takes the completed sequences gathered so far, in Elasticsearch's result order. */
  take(): CompletedSequence[] {
    const out = this.#out;
    if (out.length === 0) return NONE_COMPLETED;
    this.#out = [];
    if (out.length > 1) out.sort(completionOrder);
    return out;
  }

  /**
   * The one step: an event (at ordinal ts/seq) matched positive `stage` with join key `key`. Starts a
   * sequence on the first positive stage; otherwise extends the most recent partial sequence of the key at
   * the previous positive stage, if maxspan allows.
   */
  match(stage: number, key: SequenceKey, ts: number, seq: number, event: EcsEvent): void {
    const stats = this.#stats_;
    const plan = this.plan;
    stats.seen++;
    if (stage === plan.firstPositive) {
      const s = new Sequence(plan, key.id, key.values, this.#nextId++, stage, ts, seq, event);
      s.owner = this.#ownerOf(event);
      stats.started++;
      this.#missingStages.onStart(s, key.id, ts);
      if (stage === plan.lastPositive) this.#missingStages.complete(s);
      else this.#track(stage, s, true);
      return;
    }
    const previous = plan.previousPositive[stage]!;
    const group = this.#keyToSequences.groupIfPresent(previous, key.id);
    if (group === undefined) {
      stats.ignored++;
      return;
    }
    const dropped = this.#scratch;
    const s = group.trimBefore(ts, seq, dropped);
    this.#dropAll(dropped, 'superseded');
    if (group.isEmpty()) this.#keyToSequences.prune(previous, key.id);
    if (s === undefined) {
      stats.ignored++;
      return;
    }
    this.#leave(s);
    if (this.#maxspanMs !== null && ts - s.startTs > this.#maxspanMs) {
      stats.rejectedMaxspan++;
      s.state = 'dead';
      return;
    }
    // A middle missing event strictly between the previous match and this one dooms the sequence; it still
    // advances (and keeps its place as the most recent) and is dropped when complete, as ES does.
    if (s.poisonTs < ts) s.doomed = true;
    s.poisonTs = Infinity;
    s.putMatch(stage, ts, seq, event);
    if (stage === plan.lastPositive) this.#missingStages.complete(s);
    else this.#track(stage, s, false);
  }

  /** Snapshot of the counters. */
  stats(): MatcherStats {
    return { ...this.#stats_ };
  }

  /** Partial sequences waiting for a stage, plus sequences waiting for a trailing verdict (each capped at maxInFlight). */
  get inFlight(): number {
    return this.#inFlight_ + this.#missingStages.pendingCount;
  }

  /** The owners (users) holding the most partial sequences, heaviest first: who a flood comes from. */
  topOwners(limit = 3): Array<[string, number]> {
    return this.#owners.counts(limit);
  }

  /** The in-flight cap (evictions start past it). */
  get cap(): number {
    return this.#maxInFlight;
  }

  /** The size of every collection (for tests and health reports). */
  sizes(): { partial: number; pending: number; keys: number; leadingKeys: number; startOrder: number } {
    return {
      partial: this.#inFlight_,
      pending: this.#missingStages.pendingCount,
      keys: this.#keyToSequences.keys,
      leadingKeys: this.#missingStages.leadingKeys,
      startOrder: this.#startOrder.length,
    };
  }

  /** Checks the collections agree with each other (O(state); tests call it). Throws SequenceError. */
  checkInvariants(): void {
    let partial = 0;
    for (const group of this.#keyToSequences.allGroups()) {
      if (group.isEmpty()) throw new SequenceError('SEQ_INVARIANT', 'empty group kept');
      for (const s of group.entries()) {
        if (s.state !== 'partial') throw new SequenceError('SEQ_INVARIANT', `a ${s.state} sequence is still in a group`);
        if (this.plan.missing[s.currentStage]) throw new SequenceError('SEQ_INVARIANT', 'a sequence waits at a missing stage');
        partial++;
      }
    }
    if (partial !== this.#inFlight_) throw new SequenceError('SEQ_INVARIANT', `groups hold ${partial} sequences, counter says ${this.#inFlight_}`);
    if (this.#inFlight_ > this.#maxInFlight) throw new SequenceError('SEQ_INVARIANT', `in-flight ${this.#inFlight_} over cap ${this.#maxInFlight}`);
    const owned = this.#owners.counts(Infinity).reduce((n, [, c]) => n + c, 0);
    if (owned !== partial) throw new SequenceError('SEQ_INVARIANT', `owners hold ${owned} sequences, groups ${partial}`);
    if (this.#startOrder.length < partial) throw new SequenceError('SEQ_INVARIANT', 'start order lost a sequence');
  }

  #track(stage: number, s: Sequence, isNew: boolean): void {
    const dropped = this.#scratch;
    this.#keyToSequences.add(stage, s, dropped);
    this.#inFlight_++;
    this.#owners.enter(s, isNew);
    this.#dropAll(dropped, 'superseded');
    if (isNew) {
      this.#startOrder.push(s);
      // Eviction rule (fair): over the cap, the owner holding the most partial sequences loses its oldest,
      // so one user's flood of first stages evicts its own sequences before anyone else's.
      while (this.#inFlight_ > this.#maxInFlight) {
        const victim = this.#owners.victim() ?? this.#startOrder.peek();
        if (victim === undefined) break;
        this.#kill(victim, 'evicted');
      }
      this.#startOrder.compact(this.#inFlight_);
    }
    if (this.#inFlight_ > this.#stats_.peakInFlight) this.#stats_.peakInFlight = this.#inFlight_;
  }

  /** A partial sequence left KeyToSequences. */
  #leave(s: Sequence): void {
    this.#inFlight_--;
    this.#owners.leave(s);
  }

  #report(s: Sequence): void {
    s.state = 'done';
    this.#stats_.completed++;
    this.#out.push({ joinKeys: s.keyValues, events: s.events, lastTs: s.lastTs, lastSeq: s.lastSeq, id: s.id });
  }

  /** An `until` event: the partial sequences of its key whose last match is at or before it are dropped. */
  #untilEvent(key: string, ts: number, seq: number): void {
    const groups = this.#keyToSequences.groupsIfPresent(key);
    if (groups === undefined) return;
    const removed = this.#scratch;
    for (let stage = 0; stage < groups.length; stage++) {
      const g = groups[stage];
      if (g === undefined) continue;
      g.removeUpTo(ts, seq, removed);
      this.#keyToSequences.prune(stage, key);
    }
    this.#dropAll(removed, 'until');
  }

  /** Moves the clock: expires partial sequences and leading-missing times, reports trailing verdicts due. */
  #advanceTo(now: number): void {
    if (now <= this.#watermark) return;
    this.#watermark = now;
    const horizon = this.#horizonMs;
    if (horizon !== Infinity) {
      // Expiry rule: a partial sequence started more than the horizon ago can never complete.
      for (;;) {
        const oldest = this.#startOrder.peek();
        if (oldest === undefined || !(oldest.startTs + horizon < now)) break;
        this.#startOrder.shift();
        this.#kill(oldest, 'expired');
      }
    }
    this.#missingStages.advance(now);
  }

  #kill(s: Sequence, reason: 'expired' | 'evicted'): void {
    if (s.state !== 'partial') return;
    this.#keyToSequences.remove(s);
    s.state = 'dead';
    this.#leave(s);
    this.#stats_[reason]++;
  }

  /** Sequences already taken out of their group: mark dead and count. */
  #dropAll(list: Sequence[], reason: 'superseded' | 'until'): void {
    if (list.length === 0) return;
    for (const s of list) {
      s.state = 'dead';
      this.#leave(s);
    }
    if (reason === 'superseded') this.#stats_.superseded += list.length;
    else this.#stats_.rejectedUntil += list.length;
    list.length = 0;
  }
}
