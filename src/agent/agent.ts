import { dirname, join } from 'node:path';
import type { AlertHost } from '../alerts/alert-match.js';
import { AlertSpool } from '../alerts/alert-spool.js';
import type { AlertStore } from '../alerts/alert-store.js';
import { DEFAULT_FLOOD_POLICY } from '../alerts/flood-policy.js';
import { NdjsonAlertLog } from '../alerts/ndjson-alert-log.js';
import { ensurePrivateDir } from '../alerts/safe-files.js';
import { SqliteAlertStore } from '../alerts/sqlite-alert-store.js';
import type { Collector } from '../collectors/collector.js';
import { HostFactsSource } from '../collectors/host-facts.js';
import { currentPlatform, readHostIdentity, type HostIdentity } from '../collectors/host-identity.js';
import type { Platform } from '../collectors/raw-event.js';
import { describeCollector, openCollector, type BackendChoice as CollectorChoice } from '../collectors/select-collector.js';
import type { EbpfFileOptions } from '../collectors/linux/ebpf-file-policy.js';
import { buildFilePolicy } from './file-policy.js';
import type { EcsEvent, OsType } from '../ecs/ecs-event.js';
import { compileTimestampReader } from '../ecs/event-order.js';
import { nestsDeeperThan } from '../ecs/event-depth.js';
import { deriveAgentId } from '../normalize/agent-fields.js';
import { Normalizer } from '../normalize/normalizer.js';
import { AiAgentTable } from '../normalize/ai-agent-table.js';
import { ActivityJournal } from '../journal/activity-journal.js';
import { journalPathFor } from '../journal/journal-path.js';
import { AlertNotifier } from '../notify/alert-notifier.js';
import type { AiSessionRef } from '../notify/alert-notification.js';
import { NodeNotifierNotifier } from '../notify/node-notifier-notifier.js';
import { RuleSet } from '../rules/rule-set.js';
import type { AgentConfig } from './agent-config.js';
import { DocumentDemand } from './document-demand.js';
import { EventLog } from './event-log.js';
import type { LogFn } from './logger.js';
import { LostWindow } from './lost-window.js';
import { Pipeline, type AlertSink } from './pipeline.js';
import { agentStatus, type StatusSources } from './agent-status.js';
import { StatusFileWriter, statusFilePath, type AgentMode } from './status-file.js';

export interface AgentOptions {
  readonly config: AgentConfig;
  /** Resolved paths (CLI flags over config over defaults). */
  readonly dbPath: string;
  readonly rulePaths: readonly string[];
  readonly stateDir: string;
  readonly mode: AgentMode;
  readonly version: string;
  /** Notify directly (a desktop session); the service leaves it to `vigil notify`. */
  readonly notify: boolean;
  readonly log: LogFn;
}

const READ_TIMESTAMP = compileTimestampReader('@timestamp');
let lastEvent: EcsEvent | undefined;
let lastTime = Number.NaN;
/**
 * Event time for the engine; an unreadable one becomes NaN, which the pipeline counts and skips. The reorder
 * buffer and every sequence rule an event visits ask in turn: the answer for the last event is kept (the
 * agent never changes a document's `@timestamp` once built).
 */
export const eventTime = (event: EcsEvent): number => {
  if (event !== lastEvent) {
    lastTime = READ_TIMESTAMP(event) ?? Number.NaN;
    lastEvent = event;
  }
  return lastTime;
};

/**
 * The live clock. While the reorder buffer holds events the agent wakes when the earliest is due (at least
 * MIN_TICK_MS apart, so a burst costs one wake-up per few ms, not one per event); with nothing held it wakes
 * every IDLE_TICK_MS to expire sequence state and sample the collector's lost counter (LostWindow keeps one
 * sample per 250 ms at most, so busy periods, which tick often, are sampled finer).
 */
const MIN_TICK_MS = 5;
/** How long the agent's writes wait for another connection's lock before the batch goes to the spool. */
const STORE_BUSY_TIMEOUT_MS = 10;
/** Alerts waiting for the store (disk full, locked, deleted), in the state dir. */
export const ALERT_SPOOL_FILE = 'alert-spool.ndjson';
const IDLE_TICK_MS = 1000;
/** Journal rows are written in one transaction at most this often (or sooner when many are pending). */
const JOURNAL_FLUSH_MS = 250;

/**
 * The agent: opens the store and the rules, builds the pipeline, attaches a collector (or replays a file),
 * keeps health counters and writes them to status.json. `start` resolves once events flow; `stop` drains.
 */
export class Agent {
  readonly #o: AgentOptions;
  readonly host: HostIdentity;
  readonly ruleSet: RuleSet;
  readonly store: AlertStore;
  readonly pipeline: Pipeline;
  readonly #lost = new LostWindow(undefined, undefined, () => this.#collector?.stats().lost);
  readonly #notifier: AlertNotifier | null;
  readonly #alertLog: NdjsonAlertLog | null;
  readonly #eventLog: EventLog | null;
  readonly #status: StatusFileWriter;
  readonly #started = new Date();
  readonly #normalizer: Normalizer;
  /** The AI-agent activity journal (`vigil ai`), null when [journal] enabled = false. */
  readonly journal: ActivityJournal | null;
  #journalFlushedMs = 0;
  readonly #demand: DocumentDemand;
  /** host.ip, host.mac, ...: read at start, then refreshed in the background (systeminformation). */
  readonly #hostFacts = new HostFactsSource();
  #collector: Collector | null = null;
  #backend: string = 'starting';
  #fallbackReason: string | null = null;
  #timer: NodeJS.Timeout | null = null;
  /** When the pending timer fires (epoch ms), Infinity when none is pending. */
  #timerAt = Infinity;
  #normalizeErrors = 0;
  /** Replayed events nested too deep to handle (counted as malformed, skipped). */
  #tooDeep = 0;
  #eventLogFlushedMs = 0;
  #stopped = false;
  #lastTotal = 0;

  constructor(options: AgentOptions, platform: Platform = currentPlatform() ?? 'linux') {
    this.#o = options;
    const { config, log } = options;
    this.host = readHostIdentity(platform);
    this.ruleSet = RuleSet.load(options.rulePaths, {
      os: platform as OsType,
      log: (line) => log('error', 'rule load error', { diagnostic: line }),
    });
    ensurePrivateDir(options.stateDir);
    if (!config.storage.allow_db_symlink) ensurePrivateDir(dirname(options.dbPath));
    this.store = SqliteAlertStore.open(options.dbPath, {
      retention: { maxAgeDays: config.storage.retention_days, maxCount: config.storage.retention_max_alerts },
      ...(config.storage.aggregate_after > 0 ? { flood: { ...DEFAULT_FLOOD_POLICY, perInterval: config.storage.aggregate_after } } : {}),
      // The service's database is readable by the `vigil` group (the installer sets the group); a user's is private.
      fileMode: options.mode === 'service' ? 0o640 : 0o600,
      allowSymlink: config.storage.allow_db_symlink,
      // A locked database never holds the event loop: a short wait, then the batch waits in the spool.
      busyTimeoutMs: STORE_BUSY_TIMEOUT_MS,
    });
    this.journal = config.journal.enabled
      ? ActivityJournal.open(
          journalPathFor(options.dbPath),
          {
            maxProcessesPerSession: config.journal.max_processes_per_session,
            maxFilesPerSession: config.journal.max_files_per_session,
            maxConnectionsPerSession: config.journal.max_connections_per_session,
            retentionDays: config.journal.retention_days,
            maxBytes: config.journal.max_mb * 1024 * 1024,
            fileMode: options.mode === 'service' ? 0o640 : 0o600,
          },
          (err) => log('error', 'activity journal write failed (further failures counted)', { error: String(err) }),
        )
      : null;
    this.#normalizer = new Normalizer({
      host: this.host,
      hostFacts: () => this.#hostFacts.current(),
      agent: { id: deriveAgentId(this.host.hostId), version: options.version },
      aiAgents: config.ai_agents.enabled ? AiAgentTable.load(config.ai_agents.table) : null,
    });
    this.#notifier =
      options.notify && config.notifications.enabled
        ? new AlertNotifier(new NodeNotifierNotifier({ log }), { perRulePerMinute: config.notifications.per_rule_per_minute })
        : null;
    this.#alertLog = config.outputs.alerts_ndjson !== '' ? new NdjsonAlertLog(config.outputs.alerts_ndjson, { agentVersion: options.version }) : null;
    this.#eventLog = config.outputs.events_ndjson !== '' ? new EventLog(config.outputs.events_ndjson) : null;
    this.#demand = new DocumentDemand(this.ruleSet, {
      logsEveryEvent: this.#eventLog !== null,
      ruleBudgetMs: config.engine.rule_budget_ms,
      disabled: (rule) => this.pipeline.engine.isDisabled(rule),
    });
    const sinks: AlertSink[] = [];
    /** The AI-agent session of the alert the sinks are handling (set by the journal sink, read by the notifier's). */
    let session: AiSessionRef | null = null;
    if (this.journal !== null) {
      const journal = this.journal;
      // first, so that the notifier can name the session
      sinks.push((r) => {
        const linked = r.inserted ? journal.linkAlert(r.id, r.alert.rule.name, r.alert.rule.severity, r.alert.events, Date.parse(r.alert.time)) : null;
        session = linked === null ? null : { id: linked.sessionId, agent: linked.agent };
      });
    }
    if (this.#alertLog !== null) {
      const alertLog = this.#alertLog;
      sinks.push((r) => {
        try {
          alertLog.append(r.alert);
        } catch (err) {
          log('error', 'alert log write failed', { path: alertLog.path, error: String(err) });
        }
      });
    }
    if (this.#notifier !== null) {
      const notifier = this.#notifier;
      sinks.push((r) => notifier.alert(r.alert, session));
    }
    const alertHost: AlertHost = { name: this.host.hostname, id: this.host.hostId, os: this.host.os.type };
    this.pipeline = new Pipeline({
      ruleSet: this.ruleSet,
      store: this.store,
      host: alertHost,
      holdMs: config.engine.reorder_hold_ms,
      maxHeld: config.engine.reorder_max_events,
      maxSequencesPerRule: config.engine.max_sequences_per_rule,
      defaultLifetimeMs: config.engine.default_sequence_lifetime_s * 1000,
      timestamp: eventTime,
      lost: this.#lost,
      sinks,
      log,
      spool: new AlertSpool(join(options.stateDir, ALERT_SPOOL_FILE)),
      healthIntervalMs: config.health.alert_interval_s * 1000,
      ruleBudgetMs: config.engine.rule_budget_ms,
      storeDownAfterMs: config.storage.down_alert_after_s * 1000,
    });
    this.#status = new StatusFileWriter(statusFilePath(options.stateDir));
  }

  /** `[collector.files]` for the eBPF collector: the sensitive-open policy built from the bundled list, config and rules. */
  #fileOptions(): { files?: EbpfFileOptions } {
    const { log, config } = this.#o;
    const files = config.collector.files;
    if (!files.enabled) return {};
    const built = buildFilePolicy(this.ruleSet.rules, files);
    for (const e of built.errors) log('error', 'sensitive-path list', { error: e });
    for (const p of built.partial) log('warn', `file opens for rule "${p.rule}" not fully covered: ${p.why}`);
    return { files: { policy: built.policy, excludePrefixes: files.exclude_prefixes } };
  }

  /** Attaches the collector (the configured backend or the fallback chain) and starts the clock. */
  async start(choice: CollectorChoice): Promise<void> {
    const { log, config } = this.#o;
    // Addresses are known from the start; the OS facts and the domain are read in the background.
    void this.#hostFacts.refresh();
    const fileOptions = this.#fileOptions();
    const opened = await openCollector(choice, this.host.platform, (raw) => this.#onRaw(raw), {
      host: this.host,
      ebpf: { ringBufferBytes: config.collector.ring_buffer_bytes, stopGraceMs: config.collector.helper_stop_grace_ms, ...fileOptions },
      // the same sensitive-path policy for macOS (eslogger) and Windows (the ETW addon's Kernel-File tracker)
      ...(fileOptions.files !== undefined ? { eslogger: { files: { policy: fileOptions.files.policy } }, etw: { files: { policy: fileOptions.files.policy } } } : {}),
      procfs: { intervalMs: config.collector.poll_interval_ms, host: this.host },
      log: (level, msg, data) => log(level, msg, data as Record<string, unknown> | undefined),
    });
    this.#hostFacts.start();
    this.#collector = opened.collector;
    this.#backend = opened.backend;
    this.#fallbackReason = opened.fallbacks.length > 0 ? describeCollector(opened) : null;
    this.pipeline.setCollector(opened.backend);
    this.#schedule(Date.now() + IDLE_TICK_MS);
    this.#startStatus();
    log('info', `ready: collecting with ${describeCollector(opened)}, ${this.ruleSet.rules.length} rules loaded`, {
      backend: opened.backend,
      rules: this.ruleSet.rules.length,
      rule_errors: this.ruleSet.errors.length,
      rules_skipped: this.ruleSet.skipped.length,
      db: this.#o.dbPath,
      snapshot_events: opened.snapshotEvents,
      fallbacks: opened.fallbacks,
    });
  }

  #onRaw(raw: Parameters<Normalizer['normalize']>[0]): void {
    let doc: EcsEvent | null;
    try {
      if (!this.#demand.wants(raw.platform, raw.kind)) {
        // no rule reads this kind: only the journal wants its document, and only an AI-agent process's
        const aiDoc = this.#normalizer.track(raw, this.journal !== null);
        if (aiDoc !== null) this.journal!.ingest(aiDoc, eventTime(aiDoc));
        return;
      }
      // the journal reads every document of an AI-agent process, whether a rule could match it or not
      doc = this.#normalizer.normalize(raw, this.#demand.probe(raw), this.journal !== null);
    } catch (err) {
      if (this.#normalizeErrors++ === 0) this.#o.log('error', 'normalization failed (further failures counted)', { kind: raw.kind, error: String(err) });
      return;
    }
    if (doc === null) return;
    this.#eventLog?.write(doc);
    this.journal?.ingest(doc, eventTime(doc));
    const now = Date.now();
    this.pipeline.ingest(doc, now);
    const held = this.pipeline.nextDueMs();
    // Matches waiting to be stored are committed at the next tick, a few ms away.
    const due = this.pipeline.writer.queued > 0 ? now : held;
    if (due !== null && due < this.#timerAt) this.#schedule(Math.max(due, now + MIN_TICK_MS));
  }

  /** (Re)arms the agent's one timer for `atMs` (callers only move it earlier, or re-arm it after it fired). */
  #schedule(atMs: number): void {
    if (this.#stopped) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timerAt = atMs;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#timerAt = Infinity;
      this.#tick();
    }, Math.max(0, atMs - Date.now()));
  }

  #tick(): void {
    const now = Date.now();
    if (this.#eventLog !== null && now - this.#eventLogFlushedMs >= 1000) {
      this.#eventLogFlushedMs = now;
      this.#eventLog.flush();
    }
    if (this.journal !== null && now - this.#journalFlushedMs >= JOURNAL_FLUSH_MS) {
      this.#journalFlushedMs = now;
      this.journal.flush(now);
    }
    if (this.#collector !== null) this.#lost.record(now, this.#collector.stats().lost);
    this.pipeline.tick(now);
    this.pipeline.flushAlerts();
    const due = this.pipeline.nextDueMs();
    this.#schedule(due === null ? now + IDLE_TICK_MS : Math.max(due, now + MIN_TICK_MS));
  }

  /**
   * Replays recorded ECS events through the same pipeline (instead of a collector), with the clock driven by
   * event time, then drains. Events must be in time order within the reorder hold (as `vigil collect` writes
   * them); older ones are processed as late and counted.
   */
  async replay(events: AsyncIterable<EcsEvent>): Promise<void> {
    this.#backend = 'replay';
    this.pipeline.setCollector('replay');
    this.#startStatus();
    this.#o.log('info', `ready: replaying events, ${this.ruleSet.rules.length} rules loaded`, {
      backend: 'replay',
      rules: this.ruleSet.rules.length,
      rule_errors: this.ruleSet.errors.length,
      db: this.#o.dbPath,
    });
    for await (const event of events) {
      if (nestsDeeperThan(event)) {
        this.#tooDeep++;
        continue;
      }
      const ts = eventTime(event);
      this.#eventLog?.write(event);
      this.journal?.ingest(event, ts);
      this.pipeline.ingest(event, Number.isFinite(ts) ? ts : 0);
      if (Number.isFinite(ts)) this.pipeline.tick(ts);
    }
    this.pipeline.finish();
  }

  #startStatus(): void {
    this.#status.every(this.#o.config.status.interval_s * 1000, () => this.status());
  }

  /** The health counters as status.json holds them. */
  status(): ReturnType<typeof agentStatus> {
    const sources: StatusSources = {
      started: this.#started,
      intervalMs: this.#o.config.status.interval_s * 1000,
      version: this.#o.version,
      mode: this.#o.mode,
      hostname: this.host.hostname,
      backend: this.#backend,
      fallbackReason: this.#fallbackReason,
      ruleSet: this.ruleSet,
      collector: this.#collector?.stats() ?? null,
      normalizer: this.#normalizer.stats(),
      normalizeErrors: this.#normalizeErrors + this.#tooDeep,
      reorder: this.pipeline.reorderStats(),
      engine: this.pipeline.engine.stats(),
      inFlight: this.pipeline.engine.inFlight(),
      sequenceRules: this.pipeline.engine.sequenceRules(),
      pipeline: this.pipeline.stats(),
      alertsTotal: this.#alertsTotal(),
      writer: this.pipeline.writer.stats(),
      alertsWaiting: this.pipeline.writer.waiting(),
      notifier: this.#notifier?.stats() ?? null,
      db: this.#o.dbPath,
    };
    return agentStatus(sources);
  }

  /** Alerts in the database; while it cannot answer (locked, gone), the last count it gave. */
  #alertsTotal(): number {
    try {
      this.#lastTotal = this.store.count();
    } catch {
      /* keep the last count */
    }
    return this.#lastTotal;
  }

  /** Stops collecting, drains the reorder buffer and the engine, flushes outputs, closes the database. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#hostFacts.stop();
    if (this.#collector !== null) {
      try {
        await this.#collector.stop();
      } catch (err) {
        this.#o.log('warn', 'collector stop failed', { error: String(err) });
      }
    }
    this.pipeline.finish();
    await this.#notifier?.close();
    this.#eventLog?.close();
    this.#alertLog?.close();
    this.#status.cancel(this.status());
    if (this.journal !== null) {
      this.journal.close();
      this.#o.log('info', 'activity journal closed', { path: this.journal.path, ...this.journal.stats() });
    }
    this.store.close();
    const collector = this.#collector?.stats();
    this.#o.log('info', 'stopped', { ...this.pipeline.stats(), ...(collector ? { collector_events: collector.events, collector_lost: collector.lost } : {}) });
  }
}
