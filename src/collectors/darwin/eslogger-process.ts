import { spawn, type ChildProcess } from 'node:child_process';
import { classifyEsloggerStderr, esloggerFailureMessage } from './eslogger-failure.js';
import { DEFAULT_ESLOGGER_PATH } from './eslogger-probe.js';
import { LineSplitter } from './line-splitter.js';

export interface EsloggerProcessOptions {
  readonly esloggerPath?: string;
  readonly esloggerArgs?: readonly string[];
  readonly attachMs?: number;
  readonly maxLineBytes?: number;
  readonly maxRestarts?: number;
  readonly restartBackoffMs?: number;
  /** Each line of stdout, decoded (line-splitter.ts). */
  readonly onLine: (line: string) => void;
  /** A new eslogger run starts (its `global_seq_num` starts over). */
  readonly onRun?: () => void;
  readonly log?: (level: 'info' | 'warn' | 'error', msg: string, data?: object) => void;
}

/**
 * Runs and supervises `eslogger`: start() resolves once it has stayed up `attachMs` (default 1000) and
 * rejects with the classified reason (eslogger-failure.ts) when it exits first; a later death restarts it
 * with doubling backoff (from `restartBackoffMs`, default 1000) up to `maxRestarts` (default 5) times.
 * stderr is kept up to 64 KiB per run, only to classify failures.
 */
export class EsloggerProcess {
  readonly #o: EsloggerProcessOptions;
  #child: ChildProcess | null = null;
  #splitter: LineSplitter;
  #stopping = false;
  #timer: NodeJS.Timeout | null = null;
  #restarts = 0;
  #oversizeBefore = 0;

  constructor(options: EsloggerProcessOptions) {
    this.#o = options;
    this.#splitter = new LineSplitter(options.maxLineBytes);
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get restarts(): number {
    return this.#restarts;
  }

  /** Lines longer than maxLineBytes, skipped, over all runs. */
  get oversize(): number {
    return this.#oversizeBefore + this.#splitter.oversize;
  }

  start(): Promise<void> {
    this.#stopping = false;
    return this.#spawn();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const child = this.#child;
    if (child !== null && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
    this.#child = null;
  }

  #spawn(): Promise<void> {
    const child = spawn(this.#o.esloggerPath ?? DEFAULT_ESLOGGER_PATH, (this.#o.esloggerArgs ?? ['exec', 'fork', 'exit']) as string[], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#oversizeBefore += this.#splitter.oversize;
    const splitter = (this.#splitter = new LineSplitter(this.#o.maxLineBytes));
    this.#o.onRun?.();
    return new Promise((resolve, reject) => {
      let stderr = '';
      let attached = false;
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (d: string) => {
        if (stderr.length < 65536) stderr += d;
      });
      child.stdout!.on('data', (chunk: Buffer) => {
        for (const line of splitter.push(chunk)) this.#o.onLine(line);
      });
      const timer = setTimeout(() => {
        attached = true;
        resolve();
      }, this.#o.attachMs ?? 1000);
      child.once('error', (err) => {
        clearTimeout(timer);
        if (!attached) reject(new Error(`VIGIL_ESLOGGER_UNAVAILABLE: ${esloggerFailureMessage('failed', err.message)}`));
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        for (const line of splitter.end()) this.#o.onLine(line);
        const first = stderr.trim().split('\n')[0] ?? '';
        const reason = esloggerFailureMessage(classifyEsloggerStderr(stderr), first || `exited ${String(code ?? signal)}`);
        if (!attached) return reject(new Error(`VIGIL_ESLOGGER_UNAVAILABLE: ${reason}`));
        if (!this.#stopping && this.#child === child) this.#restart(reason);
      });
    });
  }

  #restart(reason: string): void {
    const max = this.#o.maxRestarts ?? 5;
    if (this.#restarts >= max) {
      this.#o.log?.('error', 'eslogger died; no restarts left', { reason, restarts: this.#restarts });
      return;
    }
    const delay = (this.#o.restartBackoffMs ?? 1000) * 2 ** this.#restarts;
    this.#restarts++;
    this.#o.log?.('warn', 'eslogger died; restarting', { reason, delayMs: delay });
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#stopping) return;
      this.#spawn().catch((err: Error) => this.#restart(err.message));
    }, delay);
  }
}
