import type { EcsEvent } from '../ecs/ecs-event.js';
import { compileFieldGetter } from '../ecs/field-getter.js';
import type { AlertMatch, AlertHost } from '../alerts/alert-match.js';
import type { AlertSpool } from '../alerts/alert-spool.js';
import type { AlertStore } from '../alerts/alert-store.js';
import { ReorderBuffer, type ReorderBufferStats } from '../normalize/reorder-buffer.js';
import { AlertWriter, type AlertSink, type StoreDown } from './alert-writer.js';
import { DetectionEngine, type EngineMatch } from './detection-engine.js';
import { EvictionWatch } from './eviction-watch.js';
import { HEALTH_RULE_PREFIX, HealthAlerts } from './health-alert.js';
import type { RuleSet } from '../rules/rule-set.js';
import type { LogFn } from './logger.js';
import type { LostWindow } from './lost-window.js';

const HOST_NAME = compileFieldGetter('host.name');
const HOST_ID = compileFieldGetter('host.id');
const HOST_OS = compileFieldGetter('host.os.type');

/**
 * The host an alert is about: the one its events name (a replay of another machine's recording keeps that
 * machine), else the agent's own.
 */
function hostOf(events: ReadonlyArray<EcsEvent | null>, own: AlertHost): AlertHost {
  const e = events.find((x): x is EcsEvent => x !== null);
  if (e === undefined) return own;
  const name = HOST_NAME(e);
  const id = HOST_ID(e);
  const os = HOST_OS(e);
  if (typeof name !== 'string' && typeof id !== 'string') return own;
  return {
    name: typeof name === 'string' ? name : own.name,
    id: typeof id === 'string' ? id : own.id,
    os: typeof os === 'string' ? os : own.os,
  };
}

export type { AlertSink } from './alert-writer.js';

export interface PipelineOptions {
  readonly ruleSet: RuleSet;
  readonly store: AlertStore;
  readonly host: AlertHost;
  readonly holdMs: number;
  readonly maxHeld: number;
  readonly maxSequencesPerRule: number;
  readonly defaultLifetimeMs: number;
  /** Per-rule evaluation budget per event, ms (0: none); a rule repeatedly over it is disabled (health alert). */
  readonly ruleBudgetMs?: number;
  readonly timestamp: (event: EcsEvent) => number;
  readonly lost: LostWindow;
  readonly sinks: readonly AlertSink[];
  readonly log: LogFn;
  /** Where alerts wait while the store cannot take them (the agent's state dir); absent: memory only. */
  readonly spool?: AlertSpool;
  /** At most one health alert per (check, subject) in this many ms (default 5 minutes). */
  readonly healthIntervalMs?: number;
  /** The store failing this long raises a `store-down` health alert (default 30 s). */
  readonly storeDownAfterMs?: number;
}

export interface PipelineStats {
  /** ECS events handed to the pipeline. */
  events: number;
  /** Events whose timestamp could not be read (counted, skipped). */
  badTimestamp: number;
  matches: number;
  alertsInserted: number;
  alertsDuplicate: number;
  /** Matches folded into a flood aggregate alert (flood-policy.ts): stored as a count, not notified again. */
  alertsAggregated: number;
  /** Failed store writes (logged, retried; the alerts wait in the spool): apart from duplicates. */
  alertsFailed: number;
  /** Alerts lost for good (the store down and both the memory queue and the spool full). */
  alertsLost: number;
  /** Time of the newest alert stored (ISO 8601), null before the first. */
  lastAlert: string | null;
}

/**
 * ECS events -> reorder buffer -> rules engine -> alert store -> sinks. The one place these stages meet.
 * Time is passed in (`nowMs`), so the live agent drives it with the wall clock and a replay with event time.
 */
export class Pipeline {
  readonly engine: DetectionEngine;
  /** The agent's own blind spots, stored and notified as alerts (through `storeAlert`). */
  readonly health: HealthAlerts;
  readonly #evictions: EvictionWatch;
  readonly #reorder: ReorderBuffer<EcsEvent>;
  readonly #options: PipelineOptions;
  /** Batches matches per tick into one durable transaction; spools and retries when the store fails. */
  readonly writer: AlertWriter;
  /** Events the reorder buffer released, reused per push and tick (no array per event). */
  readonly #due: EcsEvent[] = [];
  #collector = 'starting';
  readonly #stats = { events: 0, badTimestamp: 0, matches: 0 };

  constructor(options: PipelineOptions) {
    this.#options = options;
    this.writer = new AlertWriter({
      store: options.store,
      spool: options.spool ?? null,
      sinks: options.sinks,
      log: options.log,
      onDown: (down) => this.#storeDown(down),
      ...(options.storeDownAfterMs !== undefined ? { downAfterMs: options.storeDownAfterMs } : {}),
      urgent: (m) => m.rule.id.startsWith(HEALTH_RULE_PREFIX),
    });
    this.#reorder = new ReorderBuffer<EcsEvent>({ timestamp: options.timestamp, holdMs: options.holdMs, maxEvents: options.maxHeld });
    this.engine = new DetectionEngine(
      options.ruleSet,
      {
        timestamp: options.timestamp,
        maxSequencesPerRule: options.maxSequencesPerRule,
        defaultLifetimeMs: options.defaultLifetimeMs,
        ruleBudgetMs: options.ruleBudgetMs ?? 0,
        onRuleDisabled: (rule, o) => {
          const message = `detection degraded: rule ${rule.meta.name} disabled: evaluating one event took over ${o.budgetMs} ms ${o.strikes} times (worst ${o.worstMs} ms)`;
          options.log('error', message, { rule_id: rule.meta.id, file: rule.source.file });
          this.health.raise({ check: 'rule-disabled', subject: rule.meta.id, message, details: { rule: { id: rule.meta.id, name: rule.meta.name, file: rule.source.file }, budget_ms: o.budgetMs, strikes: o.strikes, worst_ms: o.worstMs } });
        },
      },
      (rule, err) => options.log('error', 'rule evaluation failed', { rule: rule.meta.name, file: rule.source.file, error: String(err) }),
    );
    this.health = new HealthAlerts({
      intervalMs: options.healthIntervalMs ?? 300_000,
      emit: (match) => this.storeAlert(match),
      host: options.host,
      collector: () => this.#collector,
    });
    this.#evictions = new EvictionWatch(this.engine, this.health);
  }

  /** Names the collector backend recorded on every alert (`ebpf`, `procfs`, `replay`, ...). */
  setCollector(backend: string): void {
    this.#collector = backend;
  }

  /** One normalized event arrives at `nowMs`. */
  ingest(event: EcsEvent, nowMs: number): void {
    this.#stats.events++;
    if (!Number.isFinite(this.#options.timestamp(event))) {
      this.#stats.badTimestamp++;
      return;
    }
    const due = this.#reorder.push(event, nowMs, this.#due);
    if (due.length > 0) this.#runDue();
  }

  /** The clock moved: releases held events that are due and expires sequence state up to what was released. */
  tick(nowMs: number): void {
    this.#reorder.release(nowMs, this.#due);
    this.#runDue();
    this.#store(this.engine.advance(nowMs - this.#options.holdMs));
    this.#evictions.check(nowMs);
  }

  /** Commits the alerts matched since the last call (one transaction), then notifies them. */
  flushAlerts(): void {
    this.writer.flush();
  }

  /** End of input: releases everything held, lets the engine decide what it still can, stores it all. */
  finish(): void {
    this.#run(this.#reorder.flush());
    this.#store(this.engine.flush());
    this.writer.drain();
  }

  #run(events: readonly EcsEvent[]): void {
    for (const event of events) this.#store(this.engine.process(event));
  }

  /** Runs the events released into #due, then empties it (one array for the pipeline's life). */
  #runDue(): void {
    const due = this.#due;
    for (let i = 0; i < due.length; i++) this.#store(this.engine.process(due[i]!));
    due.length = 0;
  }

  #store(matches: readonly EngineMatch[]): void {
    for (const m of matches) {
      this.#stats.matches++;
      const times = m.events.filter((e): e is EcsEvent => e !== null).map(this.#options.timestamp);
      const first = Math.min(...times);
      const last = Math.max(...times);
      const match: AlertMatch = {
        rule: m.rule.meta,
        events: m.events,
        joinKeys: m.joinKeys,
        host: hostOf(m.events, this.#options.host),
        collector: this.#collector,
        lostEvents: this.#options.lost.lostSince(first - this.#options.holdMs),
        timeMs: last,
      };
      this.writer.submit(match);
    }
  }

  /** Stores one alert and hands it to the sinks (engine matches and the agent's health alerts alike). */
  storeAlert(match: AlertMatch): void {
    this.writer.submit(match);
  }

  /** The store has failed for a while: one health alert per interval (notified at once, stored when it recovers). */
  #storeDown(down: StoreDown): void {
    const seconds = Math.round((Date.now() - down.sinceMs) / 1000);
    this.health.raise({
      check: 'store-down',
      subject: 'alert-store',
      message: `alert store down for ${seconds} s: ${down.waiting} alerts waiting in the spool`,
      details: { down_since: new Date(down.sinceMs).toISOString(), failures: down.failures, waiting: down.waiting, error: down.error },
    });
  }

  reorderStats(): ReorderBufferStats {
    return this.#reorder.stats();
  }

  /** When (epoch ms) the reorder buffer next has an event due, or null when it holds nothing. */
  nextDueMs(): number | null {
    return this.#reorder.nextDueMs();
  }

  stats(): Readonly<PipelineStats> {
    const w = this.writer.stats();
    return {
      ...this.#stats,
      alertsInserted: w.inserted,
      alertsDuplicate: w.duplicates,
      alertsAggregated: w.aggregated,
      alertsFailed: w.storeFailures,
      alertsLost: w.lost,
      lastAlert: w.lastAlert,
    };
  }
}
