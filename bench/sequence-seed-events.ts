/**
 * Generated Defend-shaped ECS events for the seed-rule benchmark: `processes` distinct process.entity_ids,
 * each with one exec and several network events; `starters` of them are encoding tools under a GenAI parent
 * (stage 1 of the seed rule), and half of those connect to a public address within 30 s (stage 2).
 * Deterministic (seeded PRNG); timestamps are epoch-ms numbers, sorted.
 */
import type { EcsEvent } from '../src/ecs/ecs-event.js';
import { seededRandom } from '../test/helpers/seeded-random.js';

export interface SeedEventsSpec {
  readonly events: number;
  readonly processes: number;
  readonly starterFraction: number;
  readonly seed: number;
  /** Time between process starts (ms): with maxspan 30 s, in-flight ~ starters in a 30 s window. */
  readonly spacingMs: number;
}


const T0 = Date.UTC(2026, 0, 1);
const PLAIN = ['bash', 'ls', 'git', 'node', 'python3', 'curl', 'make', 'cat'];
const ENCODERS = ['base64', 'gzip', 'tar', 'zip'];
const GENAI = ['claude', 'cursor', 'ollama', 'codex'];

export function generateSeedEvents(spec: SeedEventsSpec): { events: EcsEvent[]; starters: number; expectedAlerts: number } {
  const rand = seededRandom(spec.seed);
  const out: EcsEvent[] = [];
  const perProcessNet = Math.max(1, Math.round(spec.events / spec.processes) - 1);
  const starterEvery = Math.round(1 / spec.starterFraction);
  let starters = 0;
  let expectedAlerts = 0;
  for (let p = 0; p < spec.processes; p++) {
    const entity = `e${p.toString(36).padStart(6, '0')}`;
    const startTs = T0 + p * spec.spacingMs;
    const starter = p % starterEvery === 0;
    if (starter) starters++;
    const name = starter ? ENCODERS[p % ENCODERS.length]! : PLAIN[p % PLAIN.length]!;
    const parent = starter ? GENAI[p % GENAI.length]! : 'bash';
    out.push({
      '@timestamp': startTs,
      event: { category: ['process'], type: ['start'], action: 'exec', kind: 'event' },
      process: {
        entity_id: entity,
        pid: 1000 + p,
        name,
        executable: `/usr/bin/${name}`,
        command_line: `${name} --flag ${p}`,
        parent: { entity_id: `parent${p % 97}`, name: parent, command_line: parent },
      },
      host: { name: 'bench', os: { type: 'linux' } },
    });
    // Half of the starters reach a public address within maxspan; everything else talks to private ranges.
    const publicAt = starter && p % (2 * starterEvery) === 0 ? Math.floor(rand() * perProcessNet) : -1;
    for (let n = 0; n < perProcessNet; n++) {
      const isPublic = n === publicAt;
      const dt = isPublic ? 1 + Math.floor(rand() * 20_000) : Math.floor(rand() * 25_000);
      if (isPublic) expectedAlerts++;
      out.push({
        '@timestamp': startTs + dt,
        event: { category: ['network'], type: ['start'], action: 'connection_attempted', kind: 'event', outcome: 'success' },
        process: { entity_id: entity, pid: 1000 + p, name },
        source: { ip: '10.1.2.3', port: 40000 + n },
        destination: { ip: isPublic ? `93.184.${p % 200}.${n % 250}` : `10.0.${n % 250}.${p % 250}`, port: 443 },
        network: { transport: 'tcp', type: 'ipv4', direction: 'egress' },
      });
    }
  }
  out.sort((a, b) => (a['@timestamp'] as number) - (b['@timestamp'] as number));
  return { events: out, starters, expectedAlerts };
}
