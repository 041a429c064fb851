import type { EcsEvent } from '../ecs/ecs-event.js';
import { parseTimestamp } from '../ecs/event-order.js';
import { compileFieldGetter } from '../ecs/field-getter.js';
import type { SequenceHit } from '../sequence/batch.js';
import { textTable, type TableRow } from './text-table.js';

export const HUNT_OUTPUTS = ['ndjson', 'table'] as const;
export type HuntOutput = (typeof HUNT_OUTPUTS)[number];

/** A hunt result: an event (event query) or a sequence/sample (events null for missing-event placeholders). */
export type HuntHit = { readonly kind: 'event'; readonly event: EcsEvent } | { readonly kind: 'sequence'; readonly hit: SequenceHit };

/** One hit as Elasticsearch's EQL response shapes it: `{"_source"}` or `{"join_keys", "events"}`. */
export function hitToJson(hit: HuntHit): unknown {
  if (hit.kind === 'event') return { _source: hit.event };
  return {
    join_keys: hit.hit.joinKeys,
    events: hit.hit.events.map((e) => (e === null ? { missing: true } : { _source: e })),
  };
}

export interface TableLayout {
  readonly timestampField: string;
  readonly categoryField: string;
  /** Fields the query reads, shown after time and category. */
  readonly fields: readonly string[];
  /** The query's kind, which names the hits ("sequence 1", "(2 samples)"); without it, told from the hits. */
  readonly kind?: 'event' | 'sequence' | 'sample';
}

const MAX_CELL = 48;
const MAX_EXTRA_COLUMNS = 5;

function cell(v: unknown): string {
  if (v === undefined || v === null) return '-';
  const scalars = Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
  return typeof v === 'string' ? v : scalars ? (v as unknown[]).join(',') : JSON.stringify(v);
}

/** Renders hits as an aligned text table for people (sequences as indented groups). */
export function renderTable(hits: readonly HuntHit[], layout: TableLayout): string {
  const extra = layout.fields.filter((f) => f !== layout.timestampField && f !== layout.categoryField).slice(0, MAX_EXTRA_COLUMNS);
  const columns = [layout.timestampField, layout.categoryField, ...extra];
  const getters = columns.map((c) => compileFieldGetter(c));
  const kind = layout.kind ?? (hits.some((h) => h.kind === 'sequence') ? 'sequence' : 'event');
  const time = (v: unknown): string => {
    const ms = typeof v === 'number' ? parseTimestamp(v) : null;
    return ms === null ? cell(v) : new Date(ms).toISOString();
  };
  const row = (e: EcsEvent | null): string[] =>
    e === null ? columns.map((_, i) => (i === 0 ? '(missing event)' : '')) : getters.map((g, i) => (i === 0 ? time(g(e)) : cell(g(e))));
  const rows: TableRow[] = [];
  hits.forEach((h, i) => {
    if (h.kind === 'event') rows.push(row(h.event));
    else rows.push({ title: `${kind} ${i + 1}  join keys: ${JSON.stringify(h.hit.joinKeys)}` }, ...h.hit.events.map(row));
  });
  const table = textTable(
    columns.map((header) => ({ header, max: MAX_CELL })),
    rows,
    { indent: kind === 'event' ? '' : '  ', underline: true },
  );
  return `${table}(${hits.length} ${kind}${hits.length === 1 ? '' : 's'})\n`;
}
