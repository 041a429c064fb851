import type { Backend, Platform, RawEvent, RawProcess } from '../raw-event.js';
import { LsofConnectionTracker, type LsofTrackerStats } from './lsof-connection-tracker.js';
import { LSOF_ARGS, parseLsofFields, type LsofSocket } from './lsof-parser.js';
import type { ToolRunner } from './run-tool.js';

export interface LsofPollerOptions {
  readonly runner: ToolRunner;
  readonly backend: Backend;
  readonly platform: Platform;
  /** The process a socket's pid names now (the collector's process table), or undefined. */
  readonly resolve: (pid: number) => RawProcess | undefined;
  readonly emit: (event: RawEvent) => void;
  readonly lsofPath?: string;
  readonly maxConnections?: number;
  readonly timeoutMs?: number;
}

export interface LsofPollerStats {
  readonly polls: number;
  /** lsof runs that failed (not found, timed out, exited >1). */
  readonly failures: number;
  /** File sets lsof printed that could not be read. */
  readonly malformed: number;
  /** New connections whose pid was not in the process table (gone already, or started and gone between polls). */
  readonly unattributed: number;
  readonly connections: LsofTrackerStats;
}

/**
 * Polls `lsof -nP -w -i -F pcRuftPTn0` and turns new sockets into connect/accept RawEvents and reported
 * sockets that vanished into disconnects. What it misses is structural: a connection opened and closed
 * between two polls is never seen, and `result` is always 0 (lsof shows sockets, not connect()'s return:
 * a SYN_SENT socket is an attempt that went out, which Defend reports as success too).
 */
export class LsofNetworkPoller {
  readonly #o: LsofPollerOptions;
  readonly #tracker: LsofConnectionTracker<RawProcess>;
  #polls = 0;
  #failures = 0;
  #malformed = 0;
  #unattributed = 0;
  lastError: string | null = null;

  constructor(options: LsofPollerOptions) {
    this.#o = options;
    this.#tracker = new LsofConnectionTracker<RawProcess>(options.maxConnections ?? 16384);
  }

  /** Runs lsof once; resolves after the events are emitted. Rejects only when lsof cannot run at all. */
  async poll(nowMs: () => number): Promise<void> {
    let text: string;
    try {
      text = await this.#o.runner.run(this.#o.lsofPath ?? 'lsof', LSOF_ARGS, { okExitCodes: [0, 1], timeoutMs: this.#o.timeoutMs ?? 10_000 });
    } catch (err) {
      this.#failures++;
      this.lastError = (err as Error).message;
      throw err;
    }
    this.ingest(text, nowMs());
  }

  /** Feeds one lsof output (a live poll, or a recorded one in tests) and emits what changed since the last. */
  ingest(text: string, now: number): void {
    this.#polls++;
    const { sockets, malformed } = parseLsofFields(text);
    this.#malformed += malformed;
    const { opened, closed } = this.#tracker.update(sockets);
    const { backend, platform } = this.#o;
    for (const { kind, socket } of opened) {
      const process = this.#o.resolve(socket.pid);
      if (process === undefined) {
        this.#unattributed++;
        this.#tracker.unreport(socket);
        continue;
      }
      this.#tracker.attach(socket, process);
      if (kind === 'connect') this.#o.emit({ kind, timeMs: now, backend, platform, process, ...network(socket, false), result: 0 });
      else this.#o.emit({ kind, timeMs: now, backend, platform, process, ...network(socket, true) });
    }
    for (const socket of closed) {
      const process = socket.owner ?? this.#o.resolve(socket.pid);
      if (process === undefined) continue;
      this.#o.emit({ kind: 'disconnect', timeMs: now, backend, platform, process, ...network(socket, false) });
    }
  }

  stats(): LsofPollerStats {
    return { polls: this.#polls, failures: this.#failures, malformed: this.#malformed, unattributed: this.#unattributed, connections: this.#tracker.stats() };
  }
}

/** Endpoints as RawEvents carry them: for an accepted connection the peer is the source. */
function network(s: LsofSocket, accepted: boolean) {
  const local = { ip: s.local!.ip, port: s.local!.port };
  const remote = { ip: s.remote!.ip, port: s.remote!.port };
  return {
    transport: s.transport,
    family: s.family,
    source: accepted ? remote : local,
    destination: accepted ? local : remote,
  };
}
