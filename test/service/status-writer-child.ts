/**
 * A stand-in for the agent in tests: a real process that writes its status with StatusFileWriter every
 * `intervalMs`, counters growing each tick, until SIGTERM (then a final `stopped` write, exit 0).
 * Usage: node status-writer-child.js STATE_DIR INTERVAL_MS
 */
import { hostname } from 'node:os';
import { mkdirSync } from 'node:fs';
import { pidStartKey, statusFilePath, StatusFileWriter, STATUS_SCHEMA, STATUS_STAGES, type AgentStatus, type StageCounters } from '../../src/agent/status-file.js';

const [stateDir, intervalArg] = process.argv.slice(2);
if (stateDir === undefined) throw new Error('usage: status-writer-child STATE_DIR [INTERVAL_MS]');
const intervalMs = Number(intervalArg ?? '100');
mkdirSync(stateDir, { recursive: true });
const writer = new StatusFileWriter(statusFilePath(stateDir));
const started = new Date().toISOString();
const startKey = pidStartKey(process.pid);
let tick = 0;

function snapshot(): AgentStatus {
  tick++;
  const c = (n: number): StageCounters => ({ in: n, out: n, lost: 0, late: 0, dropped: 0, malformed: 0 });
  const stages = Object.fromEntries(STATUS_STAGES.map((s) => [s, c(tick * 10)])) as Record<(typeof STATUS_STAGES)[number], StageCounters>;
  stages.collector = { ...stages.collector, lost: tick };
  return {
    schema: STATUS_SCHEMA,
    pid: process.pid,
    ...(startKey !== undefined ? { pidStartKey: startKey } : {}),
    started,
    updated: new Date().toISOString(),
    intervalMs,
    version: '0.0.0-test',
    mode: 'foreground',
    hostname: hostname(),
    backend: 'procfs',
    fallbackReason: 'eBPF: test stand-in',
    rules: { loaded: 12, errors: 1, skipped: 2 },
    stages,
    sequences: { inFlight: tick % 7 },
    alerts: { total: tick },
    db: `${stateDir}/alerts.db`,
  };
}

writer.every(intervalMs, snapshot);
// The timer is unref'd (the real agent has other handles): keep this stand-in alive.
const keepAlive = setInterval(() => undefined, 1 << 30);
process.on('SIGTERM', () => {
  writer.cancel(snapshot());
  clearInterval(keepAlive);
  process.stdout.write(`stopped after ${writer.writes} writes\n`);
});
process.stdout.write('ready\n');
