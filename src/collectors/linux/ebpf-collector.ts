import type { Collector, CollectorStats, RawEventSink } from '../collector.js';
import type { RawEvent } from '../raw-event.js';
import { ebpfFilePolicyText, type EbpfFileOptions } from './ebpf-file-policy.js';
import { EbpfBackoff } from './ebpf-backoff.js';
import { EbpfFrameError } from './ebpf-frame-error.js';
import { EbpfFrameReader } from './ebpf-frame-reader.js';
import type { EbpfHelperHello, EbpfHelperStats } from './ebpf-helper-info.js';
import { defaultHelperPath } from './ebpf-helper-path.js';
import { DEFAULT_STOP_GRACE_MS, EbpfHelperProcess } from './ebpf-helper-process.js';
import { FRAME_KIND_CODES } from './ebpf-layout.js';
import { probeEbpf } from './ebpf-probe.js';
import { EbpfRecordDecoder } from './ebpf-record-decoder.js';
import { EbpfRestartGap } from './ebpf-restart-gap.js';

export { defaultHelperPath } from './ebpf-helper-path.js';

export type EbpfLogLevel = 'info' | 'warn' | 'error';

export interface EbpfCollectorOptions {
  /** The vigil-ebpf binary; default native/linux/build/vigil-ebpf under the package root. */
  helperPath?: string;
  /** Kernel ring buffer size, a power of two (default 8 MiB). */
  ringBufferBytes?: number;
  /** How often the helper drains the ring buffer (records are submitted without wakeup), default 10 ms. */
  drainIntervalMs?: number;
  log?: (level: EbpfLogLevel, msg: string, data?: object) => void;
  /**
   * After a helper restart: the processes started since `sinceTicks` (clock ticks since boot) that are still
   * running, as already_running snapshot events (a /proc scan), so the gap does not hide them.
   */
  reconcile?: (sinceTicks: number) => RawEvent[];
  /** File telemetry (absent: no file programs are attached). */
  files?: EbpfFileOptions;
  /** On stop, how long the helper may drain before it is killed (default 5 s); what it never delivered is counted lost. */
  stopGraceMs?: number;
}

/** File-event counters of the collector (user space) and its helper (kernel). */
export interface EbpfFileState {
  readonly enabled: boolean;
  /** The helper attached the file programs. */
  readonly attached: boolean;
  /** File events delivered. */
  readonly events: number;
  /** Opens the kernel keys let through that the exact patterns then refused (a key is a superset). */
  readonly opensUnmatched: number;
  /** Multi-component names whose directory could not be resolved (kept as the lexical join). */
  readonly pathsUnresolved: number;
}

/** What the collector knows about its helper beyond CollectorStats (for `vigil doctor` and benchmarks). */
export interface EbpfHelperState {
  readonly pid: number | undefined;
  readonly hello: EbpfHelperHello | undefined;
  readonly stats: EbpfHelperStats | undefined;
  /** Frames that did not decode (also in CollectorStats.malformed). */
  readonly malformed: number;
  /** Times the stream could not be framed (bad magic/version): the helper was killed and restarted. */
  readonly streamErrors: number;
  readonly sinkErrors: number;
  readonly files: EbpfFileState;
}

const DEFAULT_RING_BYTES = 8 * 1024 * 1024;
const DEFAULT_DRAIN_MS = 10;
const STDERR_TAIL_LINES = 8;
/** The helper's last words on stop: every record the kernel submitted to the ring, and those it could not. */
const STOP_REPORT = /^vigil-ebpf: stop: submitted=(\d+) lost=(\d+)$/;

/**
 * The Linux eBPF collector: runs native/linux's vigil-ebpf helper, decodes its frames into RawEvents
 * (backend 'ebpf'), restarts it with backoff when it dies, and keeps counters (events, kernel-reported lost
 * records across restarts, malformed frames, restarts).
 */
export class EbpfCollector implements Collector {
  readonly backend = 'ebpf' as const;

  /** null when the helper can load here; otherwise the reason (not root, no BTF, helper not built, load failed). */
  static probe(helperPath: string = defaultHelperPath()): Promise<string | null> {
    return probeEbpf(helperPath);
  }

  readonly #helperPath: string;
  readonly #args: readonly string[];
  readonly #log: (level: EbpfLogLevel, msg: string, data?: object) => void;
  readonly #backoff = new EbpfBackoff();
  #sink: RawEventSink | undefined;
  #helper: EbpfHelperProcess | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #stopping = false;
  #events = 0;
  #lostBefore = 0;
  #malformed = 0;
  #restarts = 0;
  readonly #gap = new EbpfRestartGap();
  readonly #reconcile: ((sinceTicks: number) => RawEvent[]) | undefined;
  #blindMs = 0;
  #lastBlindMs = 0;
  #gapForks = 0;
  #reconciled = 0;
  /** When the running helper last wrote to us (its stats frame comes every second even when idle). */
  #lastHeardMs = Date.now();
  #streamErrors = 0;
  #sinkErrors = 0;
  #hello: EbpfHelperHello | undefined;
  #helperStats: EbpfHelperStats | undefined;
  readonly #files: EbpfFileOptions | undefined;
  #fileEvents = 0;
  #opensUnmatched = 0;
  #pathsUnresolved = 0;
  readonly #stopGraceMs: number;
  /** Records the kernel submitted that the stopped helper never delivered (killed after its grace). */
  #undelivered = 0;
  /** The running helper wrote its stop report (what it submitted in all), so it may be killed after its grace. */
  #stopReported = false;

  constructor(options: EbpfCollectorOptions = {}) {
    const ring = options.ringBufferBytes ?? DEFAULT_RING_BYTES;
    if (!Number.isInteger(ring) || ring < 4096 || (ring & (ring - 1)) !== 0) {
      throw new RangeError(`ringBufferBytes must be a power of two >= 4096, got ${ring}`);
    }
    const drain = options.drainIntervalMs ?? DEFAULT_DRAIN_MS;
    if (!Number.isInteger(drain) || drain < 1 || drain > 1000) {
      throw new RangeError(`drainIntervalMs must be an integer in 1..1000, got ${drain}`);
    }
    this.#helperPath = options.helperPath ?? defaultHelperPath();
    this.#args = ['--ring-bytes', String(ring), '--drain-ms', String(drain)];
    this.#log = options.log ?? (() => undefined);
    this.#reconcile = options.reconcile;
    this.#files = options.files;
    this.#stopGraceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
  }

  async start(sink: RawEventSink): Promise<void> {
    if (this.#sink !== undefined) throw new Error('EbpfCollector already started');
    this.#sink = sink;
    this.#stopping = false;
    try {
      await this.#launch();
    } catch (error) {
      this.#sink = undefined;
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#restartTimer !== undefined) clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    await this.#helper?.stop(this.#stopGraceMs, () => this.#stopReported);
    this.#helper = undefined;
    this.#sink = undefined;
  }

  stats(): CollectorStats {
    return {
      backend: 'ebpf',
      events: this.#events,
      // Forks during a restart gap were never seen: lost, so alerts around the gap say so.
      lost: this.#lostBefore + (this.#helperStats?.lost ?? 0) + this.#gapForks + this.#undelivered,
      restarts: this.#restarts,
      blindMs: this.#blindMs,
      lastBlindMs: this.#lastBlindMs,
      reconciled: this.#reconciled,
      malformed: this.#malformed,
    };
  }

  helperState(): EbpfHelperState {
    return {
      pid: this.#helper?.pid,
      hello: this.#hello,
      stats: this.#helperStats,
      malformed: this.#malformed,
      streamErrors: this.#streamErrors,
      sinkErrors: this.#sinkErrors,
      files: {
        enabled: this.#files !== undefined,
        attached: this.#hello?.files ?? false,
        events: this.#fileEvents,
        opensUnmatched: this.#opensUnmatched,
        pathsUnresolved: this.#pathsUnresolved,
      },
    };
  }

  /** The helper's arguments, and what it reads on stdin first (the file policy, up to a line `end`). */
  #helperArgs(): { args: string[]; stdin?: string } {
    if (this.#files === undefined) return { args: [...this.#args] };
    return { args: [...this.#args, '--files', '--file-policy', '-'], stdin: `${ebpfFilePolicyText(this.#files)}end\n` };
  }

  /** Spawns one helper; resolves on its hello frame (attached), rejects with its reason if it dies first. */
  #launch(): Promise<void> {
    const decoder = new EbpfRecordDecoder();
    const reader = new EbpfFrameReader();
    const stderrTail: string[] = [];
    this.#helperStats = undefined;
    const { args, stdin } = this.#helperArgs();
    const unresolvedBefore = this.#pathsUnresolved;
    return new Promise((resolve, reject) => {
      let attached = false;
      let fatal: string | undefined;
      /** Kernel records (not the helper's own hello/stats frames) received from this helper. */
      let received = 0;
      let stopReport: { submitted: number; lost: number } | undefined;
      this.#stopReported = false;
      const helper: EbpfHelperProcess = new EbpfHelperProcess(this.#helperPath, args, {
        onChunk: (chunk) => {
          this.#lastHeardMs = Date.now();
          try {
            reader.push(chunk, (frame) => {
              if (frame.kind < FRAME_KIND_CODES.hello) received++;
              const decoded = decoder.decode(frame.kind, frame.payload);
              switch (decoded.type) {
                case 'event':
                  if (decoded.event.kind === 'file' && !this.#keepFile(decoded.event)) break;
                  this.#deliver(decoded.event);
                  break;
                case 'stats':
                  this.#helperStats = decoded.stats;
                  break;
                case 'hello':
                  this.#hello = decoded.hello;
                  if (!attached) {
                    attached = true;
                    this.#log('info', 'eBPF helper attached', { pid: decoded.hello.helperPid, ringBytes: decoded.hello.ringBytes });
                    this.#closeGap();
                    resolve();
                  }
                  break;
                case 'malformed':
                  this.#malformed++;
                  if (this.#malformed <= 10) this.#log('warn', `eBPF frame skipped: ${decoded.reason}`);
                  break;
              }
            });
          } catch (error) {
            this.#streamErrors++;
            // Another frame version will not change by restarting: give up on this helper binary.
            if (error instanceof EbpfFrameError && error.code === 'VG_EBPF_BAD_VERSION') fatal = error.message;
            this.#log('error', `eBPF helper stream unreadable${fatal ? '' : ', restarting it'}: ${(error as Error).message}`);
            helper.kill();
          }
        },
        onStderr: (line) => {
          const stop = STOP_REPORT.exec(line);
          if (stop !== null) {
            stopReport = { submitted: Number(stop[1]), lost: Number(stop[2]) };
            this.#stopReported = true;
            return;
          }
          stderrTail.push(line);
          if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
          this.#log('warn', `vigil-ebpf: ${line}`);
        },
        onClose: (code, signal, spawnError) => {
          this.#pathsUnresolved = unresolvedBefore + decoder.paths.unresolved;
          const last = this.#helperStats;
          this.#lostBefore += Math.max(last?.lost ?? 0, stopReport?.lost ?? 0);
          this.#helperStats = undefined;
          // Without the stop report (killed before it could write it), the last stats frame gives a lower bound.
          if (this.#stopping && attached) this.#countUndelivered(received, stopReport?.submitted ?? last?.records ?? 0, stopReport !== undefined, signal);
          if (this.#helper === helper) this.#helper = undefined;
          const why = spawnError?.message ?? `exit code ${code}${signal ? `, signal ${signal}` : ''}`;
          const detail = stderrTail.filter((l) => l.startsWith('vigil-ebpf:')).at(-1) ?? stderrTail.at(-1) ?? '';
          if (!attached || fatal !== undefined) {
            const error = new Error(fatal ?? `eBPF helper did not attach (${why})${detail ? `: ${detail}` : ''}`);
            reject(Object.assign(error, { fatal: fatal !== undefined }));
            if (fatal !== undefined && attached && !this.#stopping) this.#log('error', `eBPF collector stopped: ${fatal}`);
            return;
          }
          if (this.#stopping) return;
          this.#gap.open(this.#hello?.clkTck ?? 100, this.#lastHeardMs);
          this.#log('warn', `eBPF helper died (${why}); restarting`, { detail });
          this.#scheduleRestart(Date.now() - helper.startedAt);
        },
      });
      if (stdin !== undefined) helper.write(stdin);
      this.#helper = helper;
    });
  }

  #scheduleRestart(ranForMs: number): void {
    const delay = this.#backoff.next(ranForMs);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (this.#stopping) return;
      this.#restarts++;
      const startedAt = Date.now();
      this.#launch().catch((error: Error & { fatal?: boolean }) => {
        this.#log('error', `eBPF helper restart failed${error.fatal ? ' for good' : ''}: ${error.message}`);
        if (!this.#stopping && error.fatal !== true) this.#scheduleRestart(Date.now() - startedAt);
      });
    }, delay);
    this.#restartTimer.unref?.();
  }

  /** A restarted helper attached: account for the blind gap and report the processes born in it. */
  #closeGap(): void {
    const cost = this.#gap.close();
    if (cost === null) return;
    this.#blindMs += cost.blindMs;
    this.#lastBlindMs = cost.blindMs;
    this.#gapForks += cost.forks;
    let found: RawEvent[] = [];
    try {
      found = this.#reconcile?.(cost.sinceTicks) ?? [];
    } catch (error) {
      this.#log('warn', `process table not reconciled after the restart: ${(error as Error).message}`);
    }
    for (const event of found) this.#deliver(event);
    this.#reconciled += found.length;
    this.#log('warn', `eBPF helper restarted: blind for ${cost.blindMs} ms, ${cost.forks} forks in the gap counted lost, ${found.length} processes born in it reported as already running`, {
      blind_ms: cost.blindMs,
      gap_forks: cost.forks,
      reconciled: found.length,
    });
  }

  /**
   * A stopped helper is gone: every record the kernel submitted and the collector did not receive (left in the
   * ring, in the helper's buffer when it was killed after its grace) is counted lost.
   */
  #countUndelivered(received: number, submitted: number, exact: boolean, signal: NodeJS.Signals | null): void {
    const missing = Math.max(0, submitted - received);
    if (!exact && signal === 'SIGKILL') {
      this.#log('error', 'eBPF helper killed before it reported its final counters: what it still held is counted only as far as its last stats frame', { submitted, received });
    }
    if (missing === 0) return;
    this.#undelivered += missing;
    const why = signal === 'SIGKILL' ? `killed after its ${this.#stopGraceMs} ms grace` : `exited${signal ? ` on ${signal}` : ''}`;
    this.#log('warn', `eBPF helper stopped (${why}) with ${exact ? '' : 'at least '}${missing} records it never delivered: counted lost`, {
      lost: missing,
      submitted,
      received,
      lost_total: this.stats().lost,
    });
  }

  /** An open is kept only when the exact patterns match (the kernel's keys are a superset). */
  #keepFile(event: Extract<RawEvent, { kind: 'file' }>): boolean {
    if (event.action === 'open' && this.#files !== undefined && this.#files.policy.match(event.path) === undefined) {
      this.#opensUnmatched++;
      return false;
    }
    this.#fileEvents++;
    return true;
  }

  #deliver(event: Parameters<RawEventSink>[0]): void {
    this.#events++;
    try {
      this.#sink?.(event);
    } catch (error) {
      this.#sinkErrors++;
      if (this.#sinkErrors <= 10) this.#log('error', `event sink threw: ${(error as Error).message}`);
    }
  }
}
