import type { EcsEvent } from '../ecs/ecs-event.js';
import { SequenceError } from './sequence-error.js';
import type { StagePlan } from './stage-plan.js';

export const SEQUENCE_STATES = ['partial', 'pending', 'done', 'dead'] as const;
/**
 * partial: waiting for its next positive stage (held in KeyToSequences);
 * pending: all positive stages matched, waiting for a trailing missing-event verdict (held in PendingTrailing);
 * done: reported; dead: dropped (superseded, maxspan, until, missing event, expired, evicted).
 */
export type SequenceState = (typeof SEQUENCE_STATES)[number];

/** One in-flight sequence: its key, the event matched at each stage so far, and what its verdicts need. */
export class Sequence {
  state: SequenceState = 'partial';
  /** The expanded stage of the last positive match. */
  currentStage: number;
  readonly startTs: number;
  lastTs: number;
  lastSeq: number;
  /** Earliest middle missing event seen after the current stage's match (Infinity: none). */
  poisonTs = Infinity;
  /** A middle missing event lay strictly between two positive matches: never reported. */
  doomed = false;
  /** Latest leading missing event strictly before the start (null: none). */
  leadingTs: number | null = null;
  /** Earliest trailing missing event strictly after the last positive match (null: none yet). */
  trailingTs: number | null = null;
  /** When a pending trailing verdict falls due (watermark strictly past it). */
  deadline = Infinity;
  /** Who started it (the user of its first event): the unit of fair eviction (OwnerLedger). */
  owner = '';
  readonly events: (EcsEvent | null)[];

  readonly #plan: StagePlan;

  constructor(
    plan: StagePlan,
    readonly keyId: string,
    readonly keyValues: readonly unknown[],
    /** Creation number: stable order between sequences that end on the same event. */
    readonly id: number,
    stage: number,
    ts: number,
    seq: number,
    event: EcsEvent,
  ) {
    this.#plan = plan;
    this.events = new Array<EcsEvent | null>(plan.size).fill(null);
    this.events[stage] = event;
    this.currentStage = stage;
    this.startTs = ts;
    this.lastTs = ts;
    this.lastSeq = seq;
  }

  /** Records the match of the next positive stage; any other stage is a bug (ES guards stage == current + 1). */
  putMatch(stage: number, ts: number, seq: number, event: EcsEvent): void {
    if (stage !== this.#plan.nextPositive[this.currentStage]) {
      throw new SequenceError('SEQ_BAD_STAGE', `stage ${stage} cannot follow stage ${this.currentStage} (key ${JSON.stringify(this.keyValues)})`);
    }
    this.currentStage = stage;
    this.events[stage] = event;
    this.lastTs = ts;
    this.lastSeq = seq;
  }

  get alive(): boolean {
    return this.state === 'partial' || this.state === 'pending';
  }
}
