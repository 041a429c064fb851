import type { Backend, RawEvent } from './raw-event.js';

/** Counters every collector keeps; `lost` is what the source itself reported dropping. */
export interface CollectorStats {
  readonly backend: Backend;
  /** Raw events handed to the sink. */
  readonly events: number;
  /** Records the source reported lost (ring buffer full, queue overflow). */
  readonly lost: number;
  /** For polling backends: processes the kernel reports started that the collector never saw. */
  readonly missed?: number;
  /** Times the source (helper process, session) was restarted. */
  readonly restarts?: number;
  /** Total time the collector was blind between a source's death and its replacement attaching, ms. */
  readonly blindMs?: number;
  /** The last such gap, ms. */
  readonly lastBlindMs?: number;
  /** Processes born during those gaps and found in /proc afterwards (reported as already running). */
  readonly reconciled?: number;
  /** Malformed records counted and skipped. */
  readonly malformed?: number;
}

export type RawEventSink = (event: RawEvent) => void;

/** The narrow interface every backend implements; collectors/select-collector.ts picks one. */
export interface Collector {
  readonly backend: Backend;
  /** Starts collecting; resolves once attached (events from then on reach `sink`). Rejects with the reason it cannot run. */
  start(sink: RawEventSink): Promise<void>;
  /** Stops and flushes; resolves when no more events will reach the sink. */
  stop(): Promise<void>;
  stats(): CollectorStats;
}
