import type { Collector, CollectorStats, RawEventSink } from '../collector.js';
import type { SensitiveFilePolicy } from '../../sensitive-file-policy.js';
import { loadEtwAddon } from './etw-addon.js';
import { EtwAddonError } from './etw-addon-error.js';
import type { EtwAddon, EtwRecord, EtwStartOptions } from './etw-record.js';
import { etwRecordToRaw, ETW_SKIP_REASONS, type EtwSkipReason } from './etw-record-to-raw.js';

export interface EtwCollectorOptions {
  /** The addon file; default: native/win32/build/vigil_etw.node, then node-gyp's build/Release. */
  readonly addonPath?: string;
  /** Passed to the addon's start() (session name, queue capacity, batch size, ...). */
  readonly session?: EtwStartOptions;
  /**
   * File telemetry: the session adds Microsoft-Windows-Kernel-File and hands the policy's patterns to the addon,
   * which reports only file changes and the opens they name (filtered in C++); JS re-checks each open exactly.
   */
  readonly files?: { readonly policy: SensitiveFilePolicy };
  readonly log?: (level: 'info' | 'warn' | 'error', msg: string, data?: object) => void;
}

export interface EtwCollectorStats extends CollectorStats {
  /** Records that gave no RawEvent, by reason (their sum is `malformed`). */
  readonly skipped: Readonly<Record<EtwSkipReason, number>>;
  /** Exceptions thrown by the sink (counted, logged, never allowed into the addon's thread-safe callback). */
  readonly sinkErrors: number;
  /** Opens the addon passed (ASCII case folding only) that the exact policy then refused. */
  readonly opensUnmatched: number;
  /** The addon's own counters (queue, decoder, enrichment, ETW's lost events) while it runs. */
  readonly addon?: ReturnType<EtwAddon['stats']>;
}

/**
 * The Windows collector: a real-time ETW session (Microsoft-Windows-Kernel-Process, Microsoft-Windows-Kernel-
 * Network, and Microsoft-Windows-Kernel-File when `files` is given) run by the native addon, whose records etw-record-to-raw.ts turns into RawEvents. The addon scans
 * the processes already running right after its session is live and emits them as snapshots, so this backend
 * needs no separate snapshot pass (select-collector: `snapshotAfterAttach: null`).
 * `lost` adds the addon's queue drops to what ETW itself reports lost (events and real-time buffers);
 * `malformed` counts records the mapping refused (by reason in `skipped`) and events TDH could not decode.
 */
export class EtwCollector implements Collector {
  readonly backend = 'etw' as const;
  readonly #options: EtwCollectorOptions;
  #addon: EtwAddon | null = null;
  #sink: RawEventSink | null = null;
  #events = 0;
  #sinkErrors = 0;
  #opensUnmatched = 0;
  readonly #skipped: Record<EtwSkipReason, number> = Object.fromEntries(ETW_SKIP_REASONS.map((r) => [r, 0])) as Record<EtwSkipReason, number>;
  #final: ReturnType<EtwAddon['stats']> | undefined;

  constructor(options: EtwCollectorOptions = {}) {
    this.#options = options;
  }

  /** null when the collector can run here, else why not (for the fallback chain and `vigil doctor`). */
  static async probe(addonPath?: string): Promise<string | null> {
    try {
      loadEtwAddon(addonPath !== undefined ? { path: addonPath } : {});
      return null;
    } catch (err) {
      return err instanceof EtwAddonError ? err.message : String(err);
    }
  }

  async start(sink: RawEventSink): Promise<void> {
    if (this.#addon !== null) throw new Error('EtwCollector: already started');
    const addon = loadEtwAddon(this.#options.addonPath !== undefined ? { path: this.#options.addonPath } : {});
    this.#sink = sink;
    try {
      // throws with code ETW_START_FAILED (and the Win32 error and step) when Windows refuses the session
      addon.start(this.#sessionOptions(), (records) => this.#onRecords(records));
    } catch (err) {
      this.#sink = null;
      throw err;
    }
    this.#addon = addon;
    this.#options.log?.('info', 'etw: session started', { session: this.#options.session?.sessionName ?? 'Vigil-ETW' });
  }

  #sessionOptions(): EtwStartOptions {
    const files = this.#options.files;
    if (files === undefined) return this.#options.session ?? {};
    const sensitive = files.policy.patterns.map((p) => ({ field: p.field, value: p.value, wildcard: p.wildcard, insensitive: p.insensitive }));
    return { ...this.#options.session, files: true, sensitive };
  }

  #onRecords(records: readonly EtwRecord[]): void {
    const sink = this.#sink;
    if (sink === null) return;
    for (const record of records) {
      const mapped = etwRecordToRaw(record);
      if (!mapped.ok) {
        this.#skipped[mapped.reason]++;
        continue;
      }
      const e = mapped.event;
      if (e.kind === 'file' && e.action === 'open' && this.#options.files?.policy.match(e.path) === undefined) {
        this.#opensUnmatched++;
        continue;
      }
      this.#events++;
      try {
        sink(mapped.event);
      } catch (err) {
        this.#sinkErrors++;
        this.#options.log?.('error', 'etw: sink threw', { error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  async stop(): Promise<void> {
    const addon = this.#addon;
    if (addon === null) return;
    addon.stop(); // delivers what is still queued before it returns
    this.#final = addon.stats();
    this.#addon = null;
    this.#sink = null;
  }

  stats(): EtwCollectorStats {
    const addon = this.#addon?.stats() ?? this.#final;
    // malformed: records the mapping refused, plus events TDH could not decode in the addon
    const malformed = ETW_SKIP_REASONS.reduce((sum, r) => sum + this.#skipped[r], 0) + (addon?.schemaErrors ?? 0);
    // lost: the addon's queue overflow, events ETW itself dropped (and whole real-time buffers), handler failures
    const lost = addon === undefined ? 0 : addon.lost + addon.etwEventsLost + addon.etwRealTimeBuffersLost + addon.handlerErrors;
    return {
      backend: this.backend,
      events: this.#events,
      lost,
      malformed,
      restarts: 0,
      skipped: { ...this.#skipped },
      sinkErrors: this.#sinkErrors,
      opensUnmatched: this.#opensUnmatched,
      ...(addon !== undefined ? { addon } : {}),
    };
  }
}
