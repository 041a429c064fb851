import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface EbpfHelperHandlers {
  /** A chunk of the helper's stdout (frames). */
  onChunk(chunk: Buffer): void;
  /** One line the helper wrote on stderr (its reasons and libbpf warnings). */
  onStderr(line: string): void;
  /** The helper is gone and its stdout fully delivered. Called once. */
  onClose(code: number | null, signal: NodeJS.Signals | null, spawnError?: Error): void;
}

export const DEFAULT_STOP_GRACE_MS = 5_000;
/** Beyond the grace, how long a helper that has not yet reported its final counters may still take to. */
const STOP_REPORT_WAIT_MS = 2_000;
const STDERR_LINE_MAX = 2_000;

/** One running vigil-ebpf process: spawned with pipes, stopped by closing stdin + SIGTERM, SIGKILL as a last resort. */
export class EbpfHelperProcess {
  readonly startedAt = Date.now();
  readonly #child: ChildProcess;
  readonly #closed: Promise<void>;
  #done = false;

  constructor(path: string, args: readonly string[], handlers: EbpfHelperHandlers) {
    this.#child = spawn(path, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderrCarry = '';
    this.#closed = new Promise((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null, error?: Error): void => {
        if (this.#done) return;
        this.#done = true;
        if (stderrCarry !== '') handlers.onStderr(stderrCarry);
        handlers.onClose(code, signal, error);
        resolve();
      };
      this.#child.on('error', (error) => finish(null, null, error));
      this.#child.on('close', (code, signal) => finish(code, signal));
    });
    this.#child.stdout?.on('data', (chunk: Buffer) => handlers.onChunk(chunk));
    this.#child.stderr?.setEncoding('utf8');
    this.#child.stderr?.on('data', (text: string) => {
      const lines = (stderrCarry + text).split('\n');
      stderrCarry = (lines.pop() ?? '').slice(0, STDERR_LINE_MAX);
      for (const line of lines) if (line.trim() !== '') handlers.onStderr(line.slice(0, STDERR_LINE_MAX));
    });
    // The helper treats stdin EOF as "the agent is gone"; a write error here only means it already exited.
    this.#child.stdin?.on('error', () => undefined);
  }

  /** Writes to the helper's stdin (its start-up input; stdin is otherwise kept open only to signal EOF). */
  write(text: string): void {
    this.#child.stdin?.write(text);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Kills the helper without waiting (its close handler still runs). */
  kill(): void {
    if (!this.#done) this.#child.kill('SIGKILL');
  }

  /**
   * Asks the helper to detach and exit; resolves once it is gone and its output delivered. A helper still
   * draining after `graceMs` is killed (the collector counts what it never delivered as lost), but not before
   * `reported()` says its final counters arrived, for at most 2 s more.
   */
  async stop(graceMs: number = DEFAULT_STOP_GRACE_MS, reported: () => boolean = () => true): Promise<void> {
    if (this.#done) return this.#closed;
    this.#child.stdin?.end();
    this.#child.kill('SIGTERM');
    const deadline = Date.now() + graceMs;
    let timer: NodeJS.Timeout | undefined;
    const check = (): void => {
      const now = Date.now();
      if (now >= deadline + STOP_REPORT_WAIT_MS || (now >= deadline && reported())) this.kill();
      else timer = setTimeout(check, 20);
    };
    timer = setTimeout(check, graceMs);
    try {
      await this.#closed;
    } finally {
      clearTimeout(timer);
    }
  }
}
