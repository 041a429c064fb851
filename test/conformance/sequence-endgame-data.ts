/**
 * The endgame-140 conformance data and spec files, loaded as Elasticsearch's QA harness does
 * (../shared/eql-conformance/README.md): `@timestamp` = FILETIME // 10000 - 11644473600000 (computed with BigInt:
 * the FILETIME values are beyond double precision), ordered by (`@timestamp`, `serial_event_id`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';

export const conformanceDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared', 'eql-conformance');
export const conformancePresent = existsSync(join(conformanceDir, 'endgame-140.json'));

export interface ConformanceSpec {
  readonly file: string;
  readonly name: string;
  readonly query: string;
  /** One or more accepted id lists (flattened, -1 for a missing-event placeholder). */
  readonly expected: readonly (readonly number[])[];
  readonly joinKeys: readonly string[] | null;
  readonly size: number | null;
  readonly maxSamplesPerKey: number | null;
}

export function loadEndgameEvents(): EcsEvent[] {
  const text = readFileSync(join(conformanceDir, 'endgame-140.json'), 'utf8');
  const events = JSON.parse(text) as EcsEvent[];
  // Exact FILETIME per serial_event_id from the raw text (keys are sorted: serial_event_id before timestamp).
  const exact = new Map<number, bigint>();
  const re = /"serial_event_id":\s*(\d+)[\s\S]*?"timestamp":\s*(\d+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) exact.set(Number(m[1]), BigInt(m[2]!));
  for (const e of events) {
    const ft = exact.get(e['serial_event_id'] as number) ?? BigInt(Math.trunc(e['timestamp'] as number));
    e['@timestamp'] = Number(ft / 10000n - 11644473600000n);
  }
  events.sort((a, b) => (a['@timestamp'] as number) - (b['@timestamp'] as number) || (a['serial_event_id'] as number) - (b['serial_event_id'] as number));
  return events;
}

export function loadSpecs(files: readonly string[]): ConformanceSpec[] {
  const out: ConformanceSpec[] = [];
  for (const file of files) {
    const doc = parseToml(readFileSync(join(conformanceDir, file), 'utf8')) as { queries?: Record<string, unknown>[] };
    for (const q of doc.queries ?? []) {
      const raw = q['expected_event_ids'] as unknown[];
      const expected = Array.isArray(raw[0]) ? (raw as number[][]) : [raw as number[]];
      out.push({
        file,
        name: String(q['name']),
        query: String(q['query']),
        expected: expected.map((l) => l.map(Number)),
        joinKeys: Array.isArray(q['join_keys']) ? (q['join_keys'] as unknown[]).map(String) : null,
        size: typeof q['size'] === 'number' ? q['size'] : null,
        maxSamplesPerKey: typeof q['max_samples_per_key'] === 'number' ? q['max_samples_per_key'] : null,
      });
    }
  }
  return out;
}
