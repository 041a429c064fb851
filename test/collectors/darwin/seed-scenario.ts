import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { darwinStartKey } from '../../../src/collectors/darwin/darwin-start-key.js';
import { parseEsloggerLine } from '../../../src/collectors/darwin/eslogger-parser.js';
import { LsofNetworkPoller } from '../../../src/collectors/darwin/lsof-network-poller.js';
import { parsePsExecutables, parsePsProcesses } from '../../../src/collectors/darwin/ps-parser.js';
import { rawProcessFromPs } from '../../../src/collectors/darwin/ps-process-reader.js';
import { ToolRunner } from '../../../src/collectors/darwin/run-tool.js';
import type { HostIdentity } from '../../../src/collectors/host-identity.js';
import type { RawEvent, RawProcess } from '../../../src/collectors/raw-event.js';
import type { EcsEvent } from '../../../src/ecs/ecs-event.js';
import { deriveAgentId } from '../../../src/normalize/agent-fields.js';
import { Normalizer } from '../../../src/normalize/normalizer.js';
import type { UserDirectory } from '../../../src/normalize/user-directory.js';
import { FIXTURES, fixtureLines } from './darwin-test-helpers.js';

/** The Mac the scenario was recorded on (macOS 15 on Apple silicon). */
export const MAC_HOST: HostIdentity = {
  platform: 'macos',
  hostId: 'C3F1B2A4-5D6E-4F70-8A91-B2C3D4E5F607',
  bootId: '1795852800',
  bootTimeMs: 1_795_852_800_000,
  clockTicksPerSecond: 100,
  hostname: 'devs-macbook-pro',
  architecture: 'arm64',
  os: { type: 'macos', family: 'darwin', name: 'macOS', platform: 'darwin', version: '15.1', full: 'macOS 15.1', kernel: '24.1.0' },
};

const MAC_USERS: UserDirectory = {
  userName: (uid) => ({ 0: 'root', 501: 'dev' } as Record<number, string>)[uid],
  groupName: (gid) => ({ 0: 'wheel', 20: 'staff' } as Record<number, string>)[gid],
};

const SNAPSHOT_MS = Date.parse('2026-11-28T09:12:29.500Z');
const LSOF_POLLS_MS = [Date.parse('2026-11-28T09:12:29.600Z'), Date.parse('2026-11-28T09:12:30.600Z')];

/**
 * The recorded macOS scenario as the eslogger collector would have produced it: the ps snapshot taken after
 * eslogger attached (claude already running), eslogger's fork/exec/exec of `python3 -c "...base64..."`
 * under claude, a base64 run that never connects, and two lsof polls where python3's SYN_SENT to a public
 * address appears. Every step goes through the real parsers; events are ordered by time.
 */
export function seedScenarioRawEvents(): RawEvent[] {
  const events: RawEvent[] = [];
  const { rows } = parsePsProcesses(readFileSync(join(FIXTURES, 'seed-scenario.ps.txt'), 'utf8'));
  const exes = parsePsExecutables(readFileSync(join(FIXTURES, 'seed-scenario.ps-comm.txt'), 'utf8'));
  const table = new Map<number, RawProcess>();
  for (const row of rows) {
    const p = rawProcessFromPs(row, darwinStartKey(row.startSeconds), exes.get(row.pid));
    table.set(p.pid, p);
    events.push({ kind: 'snapshot', timeMs: SNAPSHOT_MS, backend: 'eslogger', platform: 'macos', process: p });
  }
  const es: RawEvent[] = [];
  for (const line of fixtureLines('seed-scenario.eslogger.jsonl')) {
    const r = parseEsloggerLine(line, { startKeyOf: (pid) => table.get(pid)?.startKey });
    if (!r.ok || r.event === null) throw new Error(`seed scenario line did not parse: ${JSON.stringify(r)}`);
    es.push(r.event);
  }
  const net: RawEvent[] = [];
  const poller = new LsofNetworkPoller({
    runner: new ToolRunner(), backend: 'eslogger', platform: 'macos',
    resolve: (pid) => table.get(pid),
    emit: (e) => net.push(e),
  });
  // each lsof poll sees the table as it was at its time
  const timeline = [...es].sort((a, b) => a.timeMs - b.timeMs);
  LSOF_POLLS_MS.forEach((at, i) => {
    for (const e of timeline) if (e.timeMs <= at && e.kind !== 'exit') table.set(e.process.pid, { ...table.get(e.process.pid), ...e.process });
    poller.ingest(readFileSync(join(FIXTURES, `seed-scenario.lsof-${i}.txt`), 'utf8'), at);
  });
  events.push(...es, ...net);
  return events.map((e, i) => [e, i] as const).sort((a, b) => a[0].timeMs - b[0].timeMs || a[1] - b[1]).map(([e]) => e);
}

/** The scenario as ECS documents (deterministic but for `event.id`, which carries a per-run random prefix). */
export function seedScenarioDocs(version: string): EcsEvent[] {
  let now = SNAPSHOT_MS;
  const n = new Normalizer({ host: MAC_HOST, agent: { id: deriveAgentId(MAC_HOST.hostId), version }, users: MAC_USERS, nowMs: () => now });
  const docs: EcsEvent[] = [];
  for (const raw of seedScenarioRawEvents()) {
    now = Math.floor(raw.timeMs) + 1;
    const d = n.normalize(raw);
    if (d !== null) docs.push(d);
  }
  return docs;
}
