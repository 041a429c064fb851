import { spawnSync } from 'node:child_process';
import { cliPath } from './agent-process.js';

/** The stored alerts, through the public `vigil alerts list --format json` contract. */
export interface AlertJson {
  readonly id: number;
  readonly time: string;
  readonly createdAt: string;
  readonly rule: { readonly id: string; readonly name: string; readonly severity: string };
  readonly host: { readonly name: string; readonly id: string; readonly os: string };
  readonly collector: string;
  readonly joinKeys: readonly unknown[];
  readonly lostEvents: number;
  readonly events: ReadonlyArray<Record<string, any> | null>;
}

export function listAlerts(db: string): AlertJson[] {
  const r = spawnSync(process.execPath, [cliPath, 'alerts', 'list', '--db', db, '--format', 'json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vigil alerts list failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as AlertJson[];
}
