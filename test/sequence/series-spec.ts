/**
 * Reader for Elasticsearch's `sequences.series-spec` format: a name line, one line of events per stage
 * (`A1`, or `k|A1` with a join key; the digits are the event's time and identity), `;`, the expected
 * sequences one per line (`A1 B2`, or `k|A1 B2`), `;`. `//` lines are comments.
 */
export interface SeriesEvent {
  readonly name: string;
  readonly ts: number;
  readonly stage: number;
  readonly key: string | null;
}

export interface SeriesSpec {
  readonly name: string;
  readonly line: number;
  readonly hasKeys: boolean;
  readonly stages: number;
  readonly events: readonly SeriesEvent[];
  readonly expected: readonly (readonly string[])[];
}

type ReaderState = 'name' | 'events' | 'results';

export function parseSeriesSpec(text: string): SeriesSpec[] {
  const specs: SeriesSpec[] = [];
  let state: ReaderState = 'name';
  let cur: { name: string; line: number; hasKeys: boolean; stages: number; events: SeriesEvent[]; expected: string[][] } | null = null;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!.trim();
    if (line === '' || line.startsWith('//')) continue;
    if (state === 'name') {
      cur = { name: line, line: n + 1, hasKeys: false, stages: 0, events: [], expected: [] };
      state = 'events';
      continue;
    }
    if (cur === null) throw new Error(`line ${n + 1}: no spec open`);
    if (state === 'events') {
      if (line.endsWith(';')) {
        line = line.slice(0, -1).trim();
        state = 'results';
        if (line === '') continue;
      }
      const stage = cur.stages++;
      for (const token of line.split(/\s+/)) {
        const bar = token.indexOf('|');
        const key = bar > 0 ? token.slice(0, bar) : null;
        const name = bar > 0 ? token.slice(bar + 1) : token;
        if (key !== null) cur.hasKeys = true;
        const digits = name.replace(/\D/g, '');
        if (digits === '') throw new Error(`line ${n + 1}: event ${token} has no number`);
        cur.events.push({ name, ts: Number(digits), stage, key });
      }
      continue;
    }
    // results
    let done = false;
    if (line.endsWith(';')) {
      line = line.slice(0, -1).trim();
      done = true;
    }
    if (line !== '') cur.expected.push(line.split(/\s+/));
    if (done) {
      specs.push(cur);
      cur = null;
      state = 'name';
    }
  }
  if (state !== 'name') throw new Error('series spec ends inside a spec');
  return specs;
}
