import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { classifyEsloggerStderr, esloggerFailureMessage } from './eslogger-failure.js';

export const DEFAULT_ESLOGGER_PATH = '/usr/bin/eslogger';

export interface EsloggerProbeOptions {
  readonly esloggerPath?: string;
  /** Host checks, overridable for tests (default: this process's platform and uid). */
  readonly platform?: NodeJS.Platform;
  readonly isRoot?: boolean;
  /**
   * Also start eslogger for `trialMs` to see whether Endpoint Security accepts it (TCC / Full Disk Access is
   * only known by trying). `vigil doctor` asks for this; the fallback chain does not (start() detects it).
   */
  readonly trial?: boolean;
  readonly trialMs?: number;
}

/**
 * null when eslogger can run here, else a sentence saying why not (esloggerFailureMessage): not macOS,
 * missing (macOS < 13), not root, or, with `trial`, what es_new_client() refused (Full Disk Access...).
 */
export async function probeEslogger(options: EsloggerProbeOptions = {}): Promise<string | null> {
  const platform = options.platform ?? process.platform;
  if (platform !== 'darwin') return esloggerFailureMessage('not-macos', `this is ${platform}`);
  const path = options.esloggerPath ?? DEFAULT_ESLOGGER_PATH;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return esloggerFailureMessage('missing', path);
  }
  const root = options.isRoot ?? (typeof process.getuid === 'function' && process.getuid() === 0);
  if (!root) return esloggerFailureMessage('not-root');
  if (options.trial !== true) return null;
  return trialRun(path, options.trialMs ?? 1500);
}

/** Runs `eslogger exec` briefly: still running after `ms` = accepted; an early exit is classified from stderr. */
export function trialRun(path: string, ms: number, args: readonly string[] = ['exec']): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(path, args as string[], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      if (stderr.length < 65536) stderr += d;
    });
    const timer = setTimeout(() => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve(null));
      child.kill('SIGTERM');
    }, ms);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve(esloggerFailureMessage('failed', err.message));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const first = stderr.trim().split('\n')[0] ?? '';
      resolve(esloggerFailureMessage(classifyEsloggerStderr(stderr), first || `exited ${String(code ?? signal)}`));
    });
  });
}
