/**
 * Alert insert throughput: realistic 2-event seed alerts (about 2.5 KB of ECS JSON each) into a real SQLite
 * file (WAL) on the local disk, in the store's modes. Each case runs for a fixed time; prints a table and
 * writes bench/results/alerts-insert.json.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NdjsonAlertLog } from '../src/alerts/ndjson-alert-log.js';
import { SqliteAlertStore } from '../src/alerts/sqlite-alert-store.js';
import { sampleMatch } from '../test/alerts/sample-match.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? '3');

interface Case {
  readonly name: string;
  readonly synchronous: 'full' | 'normal';
  readonly batch: number;
  readonly ndjson: boolean;
  readonly duplicates: boolean;
}

const CASES: readonly Case[] = [
  { name: 'default: 1 alert/commit, synchronous=FULL', synchronous: 'full', batch: 1, ndjson: false, duplicates: false },
  { name: '1 alert/commit, synchronous=NORMAL', synchronous: 'normal', batch: 1, ndjson: false, duplicates: false },
  { name: '16 alerts/commit (insertMany), FULL', synchronous: 'full', batch: 16, ndjson: false, duplicates: false },
  { name: 'default + NDJSON log (fsync per alert)', synchronous: 'full', batch: 1, ndjson: true, duplicates: false },
  { name: 'duplicates only (dedup path), FULL', synchronous: 'full', batch: 1, ndjson: false, duplicates: true },
];

function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const r2 = (x: number): number => Math.round(x * 100) / 100;

function run(c: Case, dir: string) {
  const path = join(dir, `${c.name.replace(/\W+/g, '-')}.db`);
  const store = SqliteAlertStore.open(path, { synchronous: c.synchronous, pruneEvery: 0 });
  const log = c.ndjson ? new NdjsonAlertLog(join(dir, 'alerts.ndjson')) : null;
  const matches = Array.from({ length: 1000 }, (_, i) => sampleMatch(i));
  if (c.duplicates) store.insertMany(matches);
  const latencies: number[] = [];
  let n = 0;
  let jsonBytes = 0;
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  while (performance.now() < end) {
    const batch = c.duplicates
      ? [matches[n % matches.length]!]
      : Array.from({ length: c.batch }, (_, i) => sampleMatch(1000 + n + i));
    const t = performance.now();
    const results = c.batch === 1 ? [store.insert(batch[0]!)] : store.insertMany(batch);
    if (log !== null) for (const r of results) log.append(r.alert);
    latencies.push(performance.now() - t);
    if (n < 100) jsonBytes += batch.reduce((s, m) => s + JSON.stringify(m.events).length, 0);
    n += batch.length;
  }
  const secs = (performance.now() - t0) / 1000;
  log?.close();
  const stats = store.stats();
  const count = store.count();
  store.close();
  latencies.sort((a, b) => a - b);
  const size = statSync(path).size; // the WAL is checkpointed into the file at close
  return {
    name: c.name,
    alerts: n,
    seconds: r2(secs),
    alertsPerSec: Math.round(n / secs),
    commitP50Ms: r2(pct(latencies, 50)),
    commitP99Ms: r2(pct(latencies, 99)),
    stored: count,
    inserted: stats.inserted,
    duplicates: stats.duplicates,
    eventsJsonBytesPerAlert: Math.round(jsonBytes / Math.min(n, 100 * c.batch)),
    dbBytesPerAlert: c.duplicates ? null : Math.round(size / Math.max(1, count)),
  };
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-alerts-'));
  try {
    const results = CASES.map((c) => run(c, dir));
    const headers = ['case', 'alerts/s', 'commit p50 ms', 'commit p99 ms', 'alerts', 'DB bytes/alert'];
    const rows = results.map((r) => [r.name, String(r.alertsPerSec), String(r.commitP50Ms), String(r.commitP99Ms), String(r.alerts), String(r.dbBytesPerAlert ?? '-')]);
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    console.log(`alerts-insert benchmark (${SECONDS} s per case, 2-event alerts, ext4 via ${tmpdir()})`);
    for (const r of [headers, ...rows]) console.log('  ' + r.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  '));
    const outDir = join(root, 'bench', 'results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'alerts-insert.json'), JSON.stringify({ secondsPerCase: SECONDS, results, node: process.version, at: new Date().toISOString() }, null, 2) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
