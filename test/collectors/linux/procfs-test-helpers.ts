import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { RawEvent } from '../../../src/collectors/raw-event.js';

export const PYTHON = '/usr/bin/python3';

/** Field 22 of /proc/<pid>/stat, read directly (independent of the code under test). */
export function startTicksOf(pid: number): string {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return s.slice(s.lastIndexOf(')') + 2).split(' ')[19]!;
}

/** Collects raw events and waits for one matching a predicate. */
export class EventLog {
  readonly events: RawEvent[] = [];
  readonly sink = (e: RawEvent): void => {
    this.events.push(e);
  };

  async waitFor(pred: (e: RawEvent) => boolean, timeoutMs = 5000, what = 'event'): Promise<RawEvent> {
    const t0 = Date.now();
    for (;;) {
      const found = this.events.find(pred);
      if (found) return found;
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}; ${this.events.length} events seen`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Spawns a long-running child; `dispose` kills it by pid and waits for it. */
export function startChild(cmd: string, args: string[]): { child: ChildProcess; pid: number; dispose: () => Promise<void> } {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.pid === undefined) throw new Error(`cannot spawn ${cmd}`);
  const pid = child.pid;
  return {
    child,
    pid,
    dispose: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** Reads the first line a child prints. */
export function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const i = buf.indexOf('\n');
      if (i >= 0) resolve(buf.slice(0, i));
    });
    child.once('exit', () => reject(new Error('child exited before printing')));
  });
}

/** A TCP server on `host`, port 0, that accepts and holds connections; prints its port. */
export const PY_SERVER = `
import socket, sys, time
fam = socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.bind((sys.argv[1], 0)); s.listen(16)
print(s.getsockname()[1], flush=True)
held = []
while True:
    c, _ = s.accept(); held.append(c)
`;

/** Connects to host:port, prints "ok", then holds the connection. */
export const PY_CLIENT = `
import socket, sys, time
c = socket.create_connection((sys.argv[1], int(sys.argv[2])))
print('ok', flush=True)
time.sleep(60)
`;

export const NODE_CLIENT = `
const net = require('node:net');
const [host, port] = process.argv.slice(1);
const c = net.connect({ host, port: Number(port) }, () => console.log('ok'));
setTimeout(() => {}, 60000);
`;
