// Shared by the storm benchmarks: runs an exec-pacer (directly or through a wrapper such as a shell named
// claude) and reads the JSON summary it prints on stdout.
import { spawn } from 'node:child_process';

export interface PacerResult {
  readonly spawned: number;
  readonly achieved: number;
}

/** Spawns `file args`, whose stdout is exec-pacer's JSON summary, and resolves with it (`R`: the fields a caller reads). */
export function runPacer<R extends PacerResult = PacerResult>(file: string, args: readonly string[]): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s: string) => (out += s));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(out) as R);
      } catch {
        reject(new Error(`exec-pacer printed ${JSON.stringify(out)}`));
      }
    });
  });
}
