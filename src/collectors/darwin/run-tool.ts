import { execFile } from 'node:child_process';

export interface RunToolOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** Exit codes that still mean "here is the output" (lsof: 1 = nothing matched). Default [0]. */
  readonly okExitCodes?: readonly number[];
  /** Output cap in bytes (default 64 MiB): past it the run fails with TOOL_OUTPUT_TOO_LARGE. */
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
}

export type ToolErrorCode = 'TOOL_NOT_FOUND' | 'TOOL_FAILED' | 'TOOL_OUTPUT_TOO_LARGE' | 'TOOL_TIMEOUT';

export class ToolError extends Error {
  readonly code: ToolErrorCode;
  constructor(code: ToolErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'ToolError';
    this.code = code;
  }
}

/**
 * Runs the collectors' helper commands (ps, lsof): no shell, bounded in bytes and time. Remembers the pids of
 * its children while they run, so the process poll can leave the collector's own ps/lsof runs out.
 */
export class ToolRunner {
  readonly #live = new Set<number>();
  /** Pids of the last helper runs that ended (a ring of RECENT), so a list taken by ps still names ps itself. */
  readonly #recent: number[] = [];
  static readonly RECENT = 64;
  /** Pids of helpers spawned since the last takeSpawned() (bounded: the oldest are dropped past SPAWN_LOG). */
  #spawnLog: number[] = [];
  static readonly SPAWN_LOG = 4096;
  #lastPid: number | undefined;

  /** The pid of the most recently spawned helper: the newest pid allocation this process knows of. */
  get lastPid(): number | undefined {
    return this.#lastPid;
  }

  /** Pids spawned since the previous call (each took a pid: the process poll leaves them out of pid gaps). */
  takeSpawned(): number[] {
    const out = this.#spawnLog;
    this.#spawnLog = [];
    return out;
  }

  /** Whether `pid` is (or very recently was) one of this runner's helper commands. */
  isOwn(pid: number): boolean {
    return this.#live.has(pid) || this.#recent.includes(pid);
  }

  async run(command: string, args: readonly string[], options: RunToolOptions = {}): Promise<string> {
    let pid: number | undefined;
    const p = runTool(command, args, options, (child) => {
      pid = child;
      this.#lastPid = child;
      this.#spawnLog.push(child);
      if (this.#spawnLog.length > ToolRunner.SPAWN_LOG) this.#spawnLog.shift();
      this.#live.add(child);
    });
    try {
      return await p;
    } finally {
      if (pid !== undefined) {
        this.#live.delete(pid);
        this.#recent.push(pid);
        if (this.#recent.length > ToolRunner.RECENT) this.#recent.shift();
      }
    }
  }
}

/** Runs a command (no shell) and resolves with its stdout; bounded in bytes and time. */
export function runTool(command: string, args: readonly string[], options: RunToolOptions = {}, onSpawn?: (pid: number) => void): Promise<string> {
  const ok = options.okExitCodes ?? [0];
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args as string[],
      {
        env: { ...process.env, ...options.env },
        maxBuffer: options.maxBytes ?? 64 * 1024 * 1024,
        timeout: options.timeoutMs ?? 10_000,
        encoding: 'utf8',
        windowsHide: true,
      },
      (err, stdout, stderr) => {
        if (err === null) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { code?: string | number; killed?: boolean; signal?: string };
        if (e.code === 'ENOENT') return reject(new ToolError('TOOL_NOT_FOUND', `${command} not found`));
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return reject(new ToolError('TOOL_OUTPUT_TOO_LARGE', `${command} wrote more than ${options.maxBytes ?? 64 * 1024 * 1024} bytes`));
        if (e.killed === true && e.signal === 'SIGTERM') return reject(new ToolError('TOOL_TIMEOUT', `${command} took longer than ${options.timeoutMs ?? 10_000} ms`));
        if (typeof e.code === 'number' && ok.includes(e.code)) return resolve(stdout);
        reject(new ToolError('TOOL_FAILED', `${command} ${args.join(' ')} exited ${String(e.code ?? e.signal)}: ${String(stderr).trim().split('\n')[0] ?? ''}`));
      },
    );
    if (child.pid !== undefined) onSpawn?.(child.pid);
  });
}
