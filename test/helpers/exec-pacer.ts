import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { projectRoot } from './agent-process.js';

const build = join(projectRoot, 'native', 'linux', 'build');

export interface PacerResult {
  readonly rate: number;
  readonly seconds: number;
  readonly spawned: number;
  readonly failed: number;
  readonly achieved: number;
}

/**
 * Runs native/linux's exec-pacer (`exec-nop vigil-storm TOKEN N` at RATE/s for SECONDS; /bin/true off x86-64),
 * building it if needed.
 */
export async function runExecPacer(rate: number, seconds: number, token: string): Promise<PacerResult> {
  if (!existsSync(join(build, 'exec-pacer')) || !existsSync(join(build, 'exec-nop'))) {
    const make = spawnSync('make', ['-C', join(projectRoot, 'native', 'linux'), 'bench'], { encoding: 'utf8' });
    if (make.status !== 0) throw new Error(`cannot build exec-pacer: ${make.stderr}`);
  }
  const child = spawn(join(build, 'exec-pacer'), [String(rate), String(seconds), token, process.arch === 'x64' ? join(build, 'exec-nop') : '/bin/true'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  await once(child, 'exit');
  return JSON.parse(out.trim()) as PacerResult;
}

/** Commit latency of every alert in `db`: created (committed) minus its match time, ms. */
export function alertLatencies(db: string): { count: number; avgMs: number; p99Ms: number; maxMs: number } {
  const c = new Database(db, { readonly: true });
  try {
    const lat = (c.prepare('SELECT created_ms - time_ms AS l FROM alerts ORDER BY l').all() as Array<{ l: number }>).map((r) => r.l);
    const avg = lat.reduce((a, b) => a + b, 0) / Math.max(1, lat.length);
    return { count: lat.length, avgMs: Math.round(avg), p99Ms: lat[Math.floor(lat.length * 0.99)] ?? 0, maxMs: lat.at(-1) ?? 0 };
  } finally {
    c.close();
  }
}
