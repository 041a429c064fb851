/**
 * The agent's per-event path in one process, without the kernel: generated exec-storm raw events (fork, exec,
 * exit per process, a connect every 8th) -> DocumentDemand -> Normalizer -> Pipeline (reorder buffer, the
 * bundled rules, a real SQLite alert store), with the clock driven by event time and a tick every 10 ms (the
 * helper's drain interval). Reports CPU per raw event (process.cpuUsage: this process, every thread) and the
 * projected share of a core at 1600 execs/s. Frame decoding is not included (see agent-vs-bpftrace for the
 * whole agent). Run: node dist/bench/pipeline-loop.js   (BENCH_EVENTS=N, default 400000 per round).
 */
// An entry point: rule regexes run on V8's linear-time fallback, as under the CLI.
import '../test/helpers/linear-regex-engine.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DocumentDemand } from '../src/agent/document-demand.js';
import { eventTime } from '../src/agent/agent.js';
import { LostWindow } from '../src/agent/lost-window.js';
import { Pipeline } from '../src/agent/pipeline.js';
import { SqliteAlertStore } from '../src/alerts/sqlite-alert-store.js';
import { readHostIdentity } from '../src/collectors/host-identity.js';
import type { RawEvent } from '../src/collectors/raw-event.js';
import { Normalizer } from '../src/normalize/normalizer.js';
import { RuleSet } from '../src/rules/rule-set.js';
import { RATE, storm } from './storm-events.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultPath = join(root, 'bench', 'results', 'pipeline-loop.json');
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 400_000);
const TICK_MS = 10;
/** BENCH_ALL_DOCS=1: build every document, as when [outputs] events_ndjson is set. */
const ALL_DOCS = process.env['BENCH_ALL_DOCS'] === '1';

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-pipeline-'));
try {
  const host = readHostIdentity('linux');
  const clock = { now: Date.now() };
  const normalizer = new Normalizer({ host, agent: { id: 'bench', version: '0' }, nowMs: () => clock.now });
  const ruleSet = RuleSet.load([join(root, 'config', 'rules')], { os: 'linux' });
  const demand = new DocumentDemand(ruleSet, { logsEveryEvent: ALL_DOCS, ruleBudgetMs: 50 });
  const store = SqliteAlertStore.open(join(dir, 'alerts.db'));
  const pipeline = new Pipeline({
    ruleSet, store, host: { name: host.hostname, id: host.hostId, os: 'linux' }, holdMs: 250, maxHeld: 100_000,
    maxSequencesPerRule: 10_000, defaultLifetimeMs: 300_000, timestamp: eventTime, lost: new LostWindow(), sinks: [], log: () => undefined,
  });
  const source = storm(clock.now);
  let nextTick = clock.now + TICK_MS;

  /** The agent's #onRaw, plus its tick: returns CPU us over `count` events (generated outside the measured spans). */
  const run = (count: number): number => {
    const batch: RawEvent[] = new Array<RawEvent>(1024);
    let cpuUs = 0;
    for (let done = 0; done < count; done += batch.length) {
      for (let i = 0; i < batch.length; i++) batch[i] = source.next().value as RawEvent;
      const before = process.cpuUsage();
      for (const raw of batch) {
        clock.now = raw.timeMs;
        if (clock.now >= nextTick) {
          pipeline.tick(clock.now);
          nextTick = clock.now + TICK_MS;
        }
        if (!demand.wants(raw.platform, raw.kind)) {
          normalizer.track(raw);
          continue;
        }
        const doc = normalizer.normalize(raw, demand.probe(raw));
        if (doc !== null) pipeline.ingest(doc, clock.now);
      }
      const used = process.cpuUsage(before);
      cpuUs += used.user + used.system;
    }
    return cpuUs;
  };

  run(100_000); // JIT warm-up, not measured
  const rows: Array<{ events: number; usPerEvent: number; pctCoreAt1600: number }> = [];
  for (let round = 0; round < 3; round++) {
    const us = run(EVENTS) / EVENTS;
    // 3.125 raw events per exec (fork, exec, exit, 1/8 connect)
    rows.push({ events: EVENTS, usPerEvent: Math.round(us * 1000) / 1000, pctCoreAt1600: Math.round((us * 3.125 * RATE) / 100) / 100 });
  }
  const best = Math.min(...rows.map((r) => r.usPerEvent));
  console.log(`pipeline-loop: generated exec storm -> normalize -> reorder -> ${ruleSet.rules.length} bundled rules -> store check (CPU, this process)`);
  console.log('| round | raw events | us per raw event | % of a core at 1600 execs/s |');
  console.log('|---|---|---|---|');
  rows.forEach((r, i) => console.log(`| ${i + 1} | ${r.events} | ${r.usPerEvent} | ${r.pctCoreAt1600} |`));
  console.log(`best ${best} us per raw event; pipeline ${JSON.stringify(pipeline.stats())}; ${normalizer.stats().out} documents built, ${normalizer.stats().cacheOnly} raw events only tracked, ${normalizer.stats().probedOut} probed out`);
  mkdirSync(dirname(resultPath), { recursive: true });
  writeFileSync(resultPath, JSON.stringify({ bench: 'pipeline-loop', when: new Date().toISOString(), node: process.version, rules: ruleSet.rules.length, allDocuments: ALL_DOCS, rows, bestUsPerEvent: best }, null, 2) + '\n');
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
