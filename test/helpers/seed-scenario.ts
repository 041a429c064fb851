import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The seed rule's scenario, for real: a parent process named PARENT (a copy of bash under that name) starts
 * `python3 -c "...base64...; connect(...)"`. For a public destination the python process runs inside a fresh
 * network namespace with no interface up and no route (`unshare -n`), so connect() fails at once with
 * ENETUNREACH and no packet exists. Loopback destinations run in the host namespace (nothing listens on the
 * port: ECONNREFUSED).
 */
export interface ScenarioResult {
  /** pid of the python3 process (it printed it). */
  readonly pid: number;
  /** When the connect returned (epoch ms). */
  readonly connectedAtMs: number;
  /** What connect() raised. */
  readonly error: string;
}

export function runSeedScenario(parentName: string, destination: string, port = 443): ScenarioResult {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-seed-'));
  try {
    const parent = join(dir, parentName);
    copyFileSync('/bin/bash', parent);
    const script = [
      'import base64, os, socket, sys, time',
      'payload = base64.b64encode(b"chunk of data")',
      `family = socket.AF_INET6 if ":" in ${JSON.stringify(destination)} else socket.AF_INET`,
      's = socket.socket(family, socket.SOCK_STREAM)',
      's.settimeout(2)',
      'err = "connected"',
      'try:',
      `    s.connect((${JSON.stringify(destination)}, ${port}))`,
      'except OSError as e:',
      '    err = e.strerror or str(e)',
      'print(os.getpid(), int(time.time() * 1000), err)',
    ].join('\n');
    const isLoopback = destination.startsWith('127.') || destination === '::1';
    const inner = `${isLoopback ? '' : 'unshare -n '}python3 -c '${script.replace(/'/g, `'\\''`)}'; true`;
    const result = spawnSync(parent, ['-c', inner], { encoding: 'utf8', timeout: 20000 });
    if (result.status !== 0) throw new Error(`scenario failed (${result.status}): ${result.stderr}`);
    const [pid, at, ...error] = result.stdout.trim().split(' ');
    return { pid: Number(pid), connectedAtMs: Number(at), error: error.join(' ') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
