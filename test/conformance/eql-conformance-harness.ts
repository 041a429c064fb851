import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { runHunt } from '../../src/cli/hunt.js';

/** The project root (holds package.json), found from this compiled file's location. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('no package.json above the test');
    dir = up;
  }
  return dir;
}

export const CONFORMANCE_DIR = join(projectRoot(), '..', 'shared', 'eql-conformance');
export const SPEC_FILES = ['test_queries.toml', 'additional_test_queries.toml', 'test_queries_date.toml'] as const;

export interface Spec {
  readonly file: string;
  readonly name: string;
  readonly query: string;
  /** One accepted id list, or several (any one accepted). */
  readonly expected: readonly (readonly number[])[];
  readonly joinKeys?: readonly string[];
  readonly size: number;
  readonly kind: 'event' | 'sequence' | 'sample';
}

export function loadSpecs(): Spec[] {
  const specs: Spec[] = [];
  for (const file of SPEC_FILES) {
    const doc = parseToml(readFileSync(join(CONFORMANCE_DIR, file), 'utf8')) as { queries?: Array<Record<string, unknown>> };
    for (const q of doc.queries ?? []) {
      const ids = q.expected_event_ids as unknown[];
      const expected = ids.length > 0 && Array.isArray(ids[0]) ? (ids as number[][]) : [ids as number[]];
      const query = String(q.query);
      const head = query.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '').trim();
      const kind = head.startsWith('sequence') ? 'sequence' : head.startsWith('sample') ? 'sample' : 'event';
      specs.push({
        file, name: String(q.name), query, expected, kind,
        ...(q.join_keys === undefined ? {} : { joinKeys: (q.join_keys as unknown[]).map(String) }),
        size: typeof q.size === 'number' ? q.size : 50,
      });
    }
  }
  return specs;
}

/**
 * The endgame data as Elasticsearch indexes it for these specs: `@timestamp` = FILETIME // 10000 - 11644473600000
 * (computed exactly: the FILETIME values exceed 2^53, so they are rewritten in the text before JSON parsing).
 */
export function endgameNdjson(): string {
  const raw = readFileSync(join(CONFORMANCE_DIR, 'endgame-140.json'), 'utf8');
  const withTs = raw.replace(/"timestamp":\s*(\d+)/g, (_m, ft: string) => {
    const ms = BigInt(ft) / 10000n - 11644473600000n;
    return `"timestamp": ${ft}, "@timestamp": ${ms}`;
  });
  const events = JSON.parse(withTs) as unknown[];
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
}

export interface SpecRun {
  readonly exitCode: number;
  readonly ids: number[];
  readonly joinKeys: string[];
  readonly stderr: string;
}

/** Runs one spec through `vigil hunt`'s code path (in-process, captured output). */
export async function runSpec(spec: Spec, ndjson: string): Promise<SpecRun> {
  let out = '';
  let err = '';
  const summary = await runHunt(
    { query: spec.query, events: '-', categoryField: 'event_type', tiebreakerField: 'serial_event_id', size: spec.size, output: 'ndjson' },
    { stdin: Readable.from([ndjson]), stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s), isTTY: false } },
  );
  const ids: number[] = [];
  const joinKeys: string[] = [];
  for (const line of out.split('\n')) {
    if (line.length === 0) continue;
    const hit = JSON.parse(line) as { _source?: { serial_event_id: number }; join_keys?: unknown[]; events?: Array<{ _source?: { serial_event_id: number }; missing?: boolean }> };
    if (hit._source !== undefined) ids.push(hit._source.serial_event_id);
    else {
      for (const k of hit.join_keys ?? []) joinKeys.push(String(k));
      for (const e of hit.events ?? []) ids.push(e.missing === true ? -1 : e._source!.serial_event_id);
    }
  }
  return { exitCode: summary.exitCode, ids, joinKeys, stderr: err };
}

/** Why a run does not satisfy its spec, or null when it does. */
export function mismatch(spec: Spec, run: SpecRun): string | null {
  if (run.exitCode !== 0) return `exit ${run.exitCode}: ${run.stderr.trim()}`;
  const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!spec.expected.some((e) => same(e, run.ids))) return `ids ${JSON.stringify(run.ids)}, expected ${JSON.stringify(spec.expected.length === 1 ? spec.expected[0] : spec.expected)}`;
  if (spec.joinKeys !== undefined) {
    const want = spec.joinKeys;
    if (!(want.length === run.joinKeys.length && want.every((k, i) => k === run.joinKeys[i]))) {
      return `join keys ${JSON.stringify(run.joinKeys)}, expected ${JSON.stringify(want)}`;
    }
  }
  return null;
}
