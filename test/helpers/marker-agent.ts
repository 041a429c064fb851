import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startAgent, type RunningAgent } from './agent-process.js';

/**
 * A live agent (real eBPF) with one rule, "Marker": every `/bin/true <marker> <tag>` is an alert. Flood
 * folding is off (every alert its own row) and status.json is written every second, so store-fault tests can
 * count alerts exactly and see whether the event loop keeps running.
 */
export interface MarkerAgent {
  readonly agent: RunningAgent;
  readonly db: string;
  readonly stateDir: string;
  /** Runs `/bin/true MARKER <tag>-<i>` n times (sequentially); resolves when all have exited. */
  fire(n: number, tag: string): Promise<void>;
  /** Alerts in the database with this tag in their command line, or with this rule id (a fresh read-only connection). */
  stored(tag?: string, by?: 'tag' | 'rule'): number;
  status(): Record<string, any>;
  /** Polls `fn` every 50 ms until it is true or `ms` pass; returns its last value. */
  until(fn: () => boolean, ms: number): Promise<boolean>;
}

export async function startMarkerAgent(
  dir: string,
  marker: string,
  options: { dbDir?: string; extraConfig?: string; storageConfig?: string; extraRules?: Record<string, string> } = {},
): Promise<MarkerAgent> {
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const db = join(options.dbDir ?? dir, 'alerts.db');
  const rules = join(dir, 'rules');
  mkdirSync(rules);
  writeFileSync(join(rules, 'marker.eql'), `// name: Marker\n// severity: low\nprocess where event.action == "exec" and process.args == "${marker}"\n`);
  for (const [name, text] of Object.entries(options.extraRules ?? {})) writeFileSync(join(rules, name), text);
  const config = join(dir, 'vigil.toml');
  writeFileSync(config, `[storage]\naggregate_after = 0\n${options.storageConfig ?? ''}[status]\ninterval_s = 1\n${options.extraConfig ?? ''}`);
  const agent = await startAgent(['--config', config, '--db', db, '--state-dir', stateDir, '--rules', rules, '--backend', 'ebpf', '--log-format', 'json', '--no-notify']);
  return {
    agent,
    db,
    stateDir,
    async fire(n, tag) {
      const p = spawn('sh', ['-c', `i=0; while [ $i -lt ${n} ]; do /bin/true ${marker} ${tag}-$i; i=$((i+1)); done`], { stdio: 'ignore' });
      await once(p, 'exit');
    },
    stored(tag, by = 'tag') {
      const c = new Database(db, { readonly: true, fileMustExist: true });
      try {
        if (tag === undefined) return (c.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n;
        const sql = by === 'rule' ? 'SELECT count(*) AS n FROM alerts WHERE rule_id = ?' : "SELECT count(*) AS n FROM alerts WHERE instr(events, ? || '-') > 0";
        return (c.prepare(sql).get(tag) as { n: number }).n;
      } finally {
        c.close();
      }
    },
    status() {
      return JSON.parse(readFileSync(join(stateDir, 'status.json'), 'utf8')) as Record<string, any>;
    },
    async until(fn, ms) {
      const deadline = Date.now() + ms;
      // A read may fail while the file is being replaced under the agent: that is "not yet".
      const ok = (): boolean => {
        try {
          return fn();
        } catch {
          return false;
        }
      };
      while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return ok();
    },
  };
}
