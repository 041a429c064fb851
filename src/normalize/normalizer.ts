import { randomBytes } from 'node:crypto';
import { NORMALIZED_ECS, type EcsEvent, type EcsObject } from '../ecs/ecs-event.js';
import type { HostFacts } from '../collectors/host-facts.js';
import type { HostIdentity } from '../collectors/host-identity.js';
import type {
  RawAccept, RawConnect, RawDisconnect, RawEvent, RawEventKind, RawExec, RawExit, RawFile, RawFork, RawSnapshot,
} from '../collectors/raw-event.js';
import { agentFields, type AgentInfo } from './agent-fields.js';
import { AiAgentTable } from './ai-agent-table.js';
import { entityIdFor } from './entity-id.js';
import { dataStreamFields } from './data-stream-fields.js';
import { connectOutcome, eventFields, type EventOutcome } from './event-fields.js';
import { FILE_SHAPES, PLATFORM_EVENT_SHAPES, type EventShape } from './event-shapes.js';
import { assignFileFields, fileOutcome } from './file-fields.js';
import { hostFields } from './host-fields.js';
import { assignNetworkFields } from './network-fields.js';
import { ProcessCache, type ProcessCacheStats } from './process-cache.js';
import type { ProcessEntry } from './process-entry.js';
import { processFields, processGateView, thinGateView, thinProcessFields, type ProcessEnd } from './process-fields.js';
import { ProcessTracker } from './process-tracker.js';
import { isoTime } from './iso-time.js';
import { assignUserFields } from './user-fields.js';
import { PasswdUserDirectory, type UserDirectory } from './user-directory.js';

/** Exited processes are expired at most this often (retention is seconds; per-event checks would be waste). */
const EXPIRE_EVERY_MS = 100;

export interface NormalizerOptions {
  readonly host: HostIdentity;
  /** The current host facts (host.ip, host.mac, ...), refreshed elsewhere; absent: identity fields only. */
  readonly hostFacts?: () => HostFacts | null;
  readonly agent: AgentInfo;
  /** Resolves uid/gid to names when the collector does not (default: /etc/passwd + /etc/group). */
  readonly users?: UserDirectory;
  /** Process cache bounds (see ProcessCache). */
  readonly cacheCapacity?: number;
  readonly exitRetentionMs?: number;
  readonly cacheMaxBytes?: number;
  /**
   * Recognises AI-agent tools (process.ai_agent.*); default: the bundled config/ai-agents.toml. null turns
   * the recognition off.
   */
  readonly aiAgents?: AiAgentTable | null;
  /** Wall clock for event.created and cache expiry. */
  readonly nowMs?: () => number;
}

export interface NormalizerStats {
  /** Raw events in, per kind. */
  readonly in: Readonly<Record<RawEventKind, number>>;
  /** ECS documents out. */
  readonly out: number;
  /** Startup snapshots merged into an entity a live event had already introduced (no document emitted). */
  readonly snapshotsMerged: number;
  /** Raw events that only updated the process cache: nothing downstream reads their document (`track`). */
  readonly cacheOnly: number;
  /** Documents not built: the probe (DocumentDemand) found no stage that could take them. */
  readonly probedOut: number;
  readonly cache: ProcessCacheStats;
}

/**
 * Tests of an event run before its document is built (DocumentDemand.probe); false means no consumer wants
 * the document.
 */
export interface DocumentProbe {
  /**
   * On the gate view: `ecs` and the gate fields of the process set the document carries, each as the whole
   * document has it (processGateView for process events, thinGateView for network and file events). False
   * when no stage can take the event.
   */
  readonly gateOpen: (view: EcsEvent) => boolean;
  /**
   * Process events only, once a gate is open: on the partial document (`ecs`, the shape's constant `event.*`
   * fields, `process.*`, `user.*`, `group.*`).
   */
  readonly accepts: (partial: EcsEvent) => boolean;
}

/** The `event.*` fields a probe's partial document holds, each with the value the whole document has. */
export const LITE_EVENT_FIELDS: ReadonlySet<string> = new Set(['event.kind', 'event.category', 'event.type', 'event.action', 'event.module', 'event.dataset']);

/** Per shape: the constant part of its `event.*` fields (one frozen object; id, sequence and time left out). */
const LITE_EVENTS = new Map<EventShape, EcsObject>();
function liteEvent(shape: EventShape): EcsObject {
  let e = LITE_EVENTS.get(shape);
  if (e === undefined) {
    const full = eventFields(shape, '', 0, 0);
    e = Object.freeze(Object.fromEntries([...LITE_EVENT_FIELDS].map((f) => f.slice('event.'.length)).filter((k) => k in full).map((k) => [k, full[k]])));
    LITE_EVENTS.set(shape, e);
  }
  return e;
}

type Handler<K extends RawEventKind> = (n: Normalizer, raw: Extract<RawEvent, { kind: K }>) => EcsEvent | null;

/** One handler per raw kind: a kind without a handler does not compile. */
const HANDLERS: { readonly [K in RawEventKind]: Handler<K> } = {
  exec: (n, raw: RawExec) => n.processDoc(raw, n.tracker.exec(raw.process, raw.platform, raw.timeMs)),
  fork: (n, raw: RawFork) => n.processDoc(raw, n.tracker.fork(raw.process, raw.platform, raw.timeMs)),
  exit: (n, raw: RawExit) => {
    const e = n.tracker.exit(raw.process, raw.platform, raw.timeMs);
    const end: ProcessEnd = raw.exitCode === undefined ? { endMs: raw.timeMs } : { endMs: raw.timeMs, exitCode: raw.exitCode };
    return n.processDoc(raw, e, end);
  },
  snapshot: (n, raw: RawSnapshot) => {
    const { entry, merged } = n.tracker.snapshot(raw.process, raw.platform);
    return merged ? null : n.processDoc(raw, entry);
  },
  connect: (n, raw: RawConnect) => n.networkDoc(raw, connectOutcome(raw.result)),
  accept: (n, raw: RawAccept) => n.networkDoc(raw, 'success'),
  disconnect: (n, raw: RawDisconnect) => n.networkDoc(raw, undefined),
  file: (n, raw: RawFile) => n.fileDoc(raw),
};

/**
 * RawEvent -> ECS document, as Elastic Defend writes it. Platform-neutral: the platform comes from each raw
 * event; host, agent and the user directory are passed in. Not thread-safe, and not meant to be: one
 * normalizer per collector stream, so `event.sequence` follows arrival order.
 */
export class Normalizer {
  readonly cache: ProcessCache;
  readonly tracker: ProcessTracker;
  readonly #users: UserDirectory;
  readonly #host: () => EcsObject;
  readonly #agent: () => EcsObject;
  readonly #now: () => number;
  readonly #idPrefix: string;
  #sequence = 0;
  /** The wall clock read once per normalize() call (event.created). */
  #nowMs = 0;
  #lastExpireMs = -Infinity;
  #out = 0;
  #cacheOnly = 0;
  /** False inside `track`: the handlers update the cache and build no document. */
  #build = true;
  /** Inside `track`: build the document all the same for a process of an AI-agent session (the journal's). */
  #buildAiAgent = false;
  /** Inside `normalize` with a probe: a document is built only when it passes. */
  #probe: DocumentProbe | null = null;
  #probedOut = 0;
  readonly #in: Record<RawEventKind, number> = { exec: 0, fork: 0, exit: 0, snapshot: 0, connect: 0, accept: 0, disconnect: 0, file: 0 };

  constructor(options: NormalizerOptions) {
    this.cache = new ProcessCache({
      ...(options.cacheCapacity !== undefined ? { capacity: options.cacheCapacity } : {}),
      ...(options.exitRetentionMs !== undefined ? { exitRetentionMs: options.exitRetentionMs } : {}),
      ...(options.cacheMaxBytes !== undefined ? { maxBytes: options.cacheMaxBytes } : {}),
    });
    const aiAgents = options.aiAgents === undefined ? AiAgentTable.load() : options.aiAgents;
    this.tracker = new ProcessTracker(this.cache, entityIdFor(options.host.hostId, options.host.bootId), options.host, aiAgents);
    this.#users = options.users ?? new PasswdUserDirectory();
    this.#host = hostFields(options.host, options.hostFacts);
    this.#agent = agentFields(options.agent);
    this.#now = options.nowMs ?? Date.now;
    this.#idPrefix = randomBytes(9).toString('base64');
  }

  /**
   * Normalizes one raw event; null when it produces no document (a snapshot merged into a live entity, or an
   * event `probe` rejects: `event.sequence` still advances). With
   * `aiAgentDocuments`, the documents of AI-agent processes are built whatever the probe says.
   */
  normalize(raw: RawEvent, probe: DocumentProbe | null = null, aiAgentDocuments = false): EcsEvent | null {
    this.#build = true;
    this.#probe = probe;
    this.#buildAiAgent = aiAgentDocuments;
    const doc = this.#handle(raw);
    this.#probe = null;
    this.#buildAiAgent = false;
    return doc;
  }

  /**
   * Keeps the process cache in step with `raw` without building its document, for events no consumer reads
   * (no loaded rule can match their kind and no output logs every event). `event.sequence` still advances.
   * With `aiAgentDocuments`, the documents of AI-agent processes are built and returned (the activity journal
   * reads them); null otherwise.
   */
  track(raw: RawEvent, aiAgentDocuments = false): EcsEvent | null {
    this.#build = false;
    this.#buildAiAgent = aiAgentDocuments;
    this.#cacheOnly++;
    const doc = this.#handle(raw);
    this.#build = true;
    this.#buildAiAgent = false;
    return doc;
  }

  /** Whether a handler builds the document of this process's event (always, except inside `track`). */
  #builds(e: ProcessEntry): boolean {
    return this.#build || (this.#buildAiAgent && e.aiAgent !== undefined);
  }

  #handle(raw: RawEvent): EcsEvent | null {
    this.#in[raw.kind]++;
    const now = (this.#nowMs = this.#now());
    if (now - this.#lastExpireMs >= EXPIRE_EVERY_MS) {
      this.#lastExpireMs = now;
      this.cache.expire(now);
    }
    const doc = (HANDLERS[raw.kind] as Handler<RawEventKind>)(this, raw as never);
    if (doc !== null) this.#out++;
    return doc;
  }

  #base(raw: RawEvent, outcome: EventOutcome | undefined): EcsObject {
    const seq = ++this.#sequence;
    const shape = raw.kind === 'file' ? FILE_SHAPES[raw.action] : PLATFORM_EVENT_SHAPES[raw.platform][raw.kind];
    return {
      '@timestamp': isoTime(raw.timeMs),
      agent: this.#agent(),
      data_stream: dataStreamFields(shape),
      ecs: NORMALIZED_ECS,
      event: eventFields(shape, `${this.#idPrefix}${seq.toString(36)}`, seq, this.#nowMs, outcome),
      host: this.#host(),
    };
  }

  /** @internal used by the handlers */
  processDoc(raw: RawEvent, e: ProcessEntry, end?: ProcessEnd): EcsEvent | null {
    if (!this.#builds(e)) return this.#skip();
    const probe = this.#probeFor(e);
    if (probe !== null && !probe.gateOpen({ ecs: NORMALIZED_ECS, process: processGateView(e, this.cache) })) return this.#probedOutSkip();
    const process = processFields(e, this.cache, this.#users, end);
    if (probe !== null) {
      const shape = PLATFORM_EVENT_SHAPES[raw.platform][raw.kind as Exclude<RawEventKind, 'file'>];
      const partial: EcsObject = { ecs: NORMALIZED_ECS, event: liteEvent(shape), process };
      assignUserFields(partial, e, this.#users);
      if (!probe.accepts(partial)) return this.#probedOutSkip();
    }
    const doc = this.#base(raw, undefined);
    doc['process'] = process;
    assignUserFields(doc, e, this.#users);
    return doc;
  }

  /** @internal used by the handlers */
  networkDoc(raw: RawConnect | RawAccept | RawDisconnect, outcome: EventOutcome | undefined): EcsEvent | null {
    const e = this.tracker.network(raw.process, raw.platform);
    if (!this.#builds(e)) return this.#skip();
    if (this.#gatedOutThin(e)) return this.#probedOutSkip();
    const doc = this.#base(raw, outcome);
    assignNetworkFields(doc, raw);
    doc['process'] = thinProcessFields(e, this.cache);
    assignUserFields(doc, e, this.#users);
    return doc;
  }

  /** @internal used by the handlers: file events carry the thin process set plus the leaders, as Defend's do. */
  fileDoc(raw: RawFile): EcsEvent | null {
    const e = this.tracker.network(raw.process, raw.platform);
    if (!this.#builds(e)) return this.#skip();
    if (this.#gatedOutThin(e)) return this.#probedOutSkip();
    const doc = this.#base(raw, fileOutcome(raw.result));
    assignFileFields(doc, raw, this.#users);
    const p = thinProcessFields(e, this.cache);
    if (raw.threadId !== undefined) p['thread'] = { id: raw.threadId };
    doc['process'] = p;
    assignUserFields(doc, e, this.#users);
    return doc;
  }

  /** The probe this process's event must pass: none outside `normalize`, nor for an AI-agent process the journal reads. */
  #probeFor(e: ProcessEntry): DocumentProbe | null {
    return this.#buildAiAgent && e.aiAgent !== undefined ? null : this.#probe;
  }

  /** Whether the probe's gates reject a network or file event (they carry the thin process set). */
  #gatedOutThin(e: ProcessEntry): boolean {
    const probe = this.#probeFor(e);
    return probe !== null && !probe.gateOpen({ ecs: NORMALIZED_ECS, process: thinGateView(e) });
  }

  /** A document the probe rejected: counted, and its sequence number used all the same. */
  #probedOutSkip(): null {
    this.#probedOut++;
    return this.#skip();
  }

  /** A document not built (inside `track`): its sequence number is used all the same. */
  #skip(): null {
    this.#sequence++;
    return null;
  }

  stats(): NormalizerStats {
    return {
      in: { ...this.#in },
      out: this.#out,
      snapshotsMerged: this.tracker.snapshotsMerged,
      cacheOnly: this.#cacheOnly,
      probedOut: this.#probedOut,
      cache: this.cache.stats(),
    };
  }
}
