import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (compiled tests run from dist/test/...). */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const cliPath = join(projectRoot, 'dist', 'src', 'cli', 'main.js');

export interface RunningAgent {
  readonly child: ChildProcess;
  /** Every JSON log line the agent wrote on stderr so far. */
  readonly logs: Array<Record<string, unknown>>;
  /** The `ready` log line. */
  readonly ready: Record<string, unknown>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `vigil run ARGS` and resolves once it logs `ready` (rejects on exit or timeout). */
export async function startAgent(args: readonly string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; nodeArgs?: readonly string[] } = {}): Promise<RunningAgent> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), cliPath, 'run', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderrTail = '';
  let buffered = '';
  let resolveReady: (line: Record<string, unknown>) => void;
  let rejectReady: (err: Error) => void;
  const readyPromise = new Promise<Record<string, unknown>>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  child.stdout!.resume();
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4000);
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        const obj = JSON.parse(line) as Record<string, unknown>;
        logs.push(obj);
        if (typeof obj['message'] === 'string' && /\bready\b/.test(obj['message'])) resolveReady!(obj);
      } catch {
        // not a JSON line: kept in stderrTail for diagnostics
      }
    }
  });
  child.once('exit', (code, signal) => rejectReady!(new Error(`agent exited (${code ?? signal}) before ready:\n${stderrTail}`)));
  const timer = setTimeout(() => rejectReady!(new Error(`agent not ready after ${options.timeoutMs ?? 30000} ms:\n${stderrTail}`)), options.timeoutMs ?? 30000);
  try {
    const ready = await readyPromise;
    return {
      child,
      logs,
      ready,
      async stop(signal: NodeJS.Signals = 'SIGTERM') {
        if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
        child.kill(signal);
        const [code] = (await once(child, 'exit')) as [number | null];
        return code;
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
