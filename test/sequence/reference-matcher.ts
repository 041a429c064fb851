/**
 * A literal, unoptimised reading of Elasticsearch's sequence algorithm, for differential tests only: every
 * group keeps all its entries and `trimBefore` scans them; `until` markers are checked at match time
 * (nearest marker before the event, between the sequence's last match and the event, inclusive); missing-event
 * stages are checked after completion by scanning the whole input, as ES's follow-up queries do.
 */
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import type { CompiledSequenceQuery } from '../../src/eql/compiled-query.js';
import { sequenceKeysOf } from '../../src/sequence/sequence-key.js';
import { buildStagePlan } from '../../src/sequence/stage-plan.js';
import type { SequenceHit } from '../../src/sequence/batch.js';

interface RefSeq {
  key: string;
  keyValues: readonly unknown[];
  events: (EcsEvent | null)[];
  idx: number[]; // per stage: input position (-1 none)
  current: number;
}

export function referenceSequences(query: CompiledSequenceQuery, events: readonly EcsEvent[], ts: (e: EcsEvent) => number): SequenceHit[] {
  const plan = buildStagePlan(query.stages);
  const maxspan = query.maxspanMs;
  const groups = new Map<string, RefSeq[]>(); // `${stage}/${key}`
  const untils = new Map<string, number[]>(); // key -> positions
  const toCheck: RefSeq[] = [];
  const before = (a: number, b: number): boolean => ts(events[a]!) < ts(events[b]!) || (ts(events[a]!) === ts(events[b]!) && a < b);

  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    for (let s = plan.size - 1; s >= 0; s--) {
      if (plan.missing[s]) continue;
      const st = plan.stages[s]!;
      if (!st.filter(e)) continue;
      for (const k of sequenceKeysOf(st, e)) {
        if (s === plan.firstPositive) {
          const seq: RefSeq = { key: k.id, keyValues: k.values, events: new Array(plan.size).fill(null), idx: new Array(plan.size).fill(-1), current: s };
          seq.events[s] = e;
          seq.idx[s] = i;
          if (s === plan.lastPositive) toCheck.push(seq);
          else push(groups, `${s}/${k.id}`, seq);
          continue;
        }
        const prev = plan.previousPositive[s]!;
        const g = groups.get(`${prev}/${k.id}`);
        if (g === undefined) continue;
        let m = -1;
        for (let j = 0; j < g.length; j++) if (before(g[j]!.idx[prev]!, i)) m = j;
        if (m < 0) continue;
        const seq = g[m]!;
        g.splice(0, m + 1);
        const start = seq.idx[plan.firstPositive]!;
        if (maxspan !== null && ts(e) - ts(events[start]!) > maxspan) continue;
        const us = untils.get(k.id) ?? [];
        let nearest = -1;
        for (const u of us) if (before(u, i)) nearest = u;
        if (nearest >= 0 && !before(nearest, seq.idx[prev]!)) continue;
        seq.events[s] = e;
        seq.idx[s] = i;
        seq.current = s;
        if (s === plan.lastPositive) toCheck.push(seq);
        else push(groups, `${s}/${k.id}`, seq);
      }
    }
    if (query.until !== null && query.until.filter(e)) for (const k of sequenceKeysOf(query.until, e)) push(untils, k.id, i);
  }

  const hasKey = (s: number, e: EcsEvent, key: string): boolean => plan.stages[s]!.filter(e) && sequenceKeysOf(plan.stages[s]!, e).some((k) => k.id === key);
  const big = (a: number | null, b: number | null): boolean => (a === null || b === null ? true : maxspan !== null && maxspan > 0 && b - a > maxspan);
  const accepted = toCheck.filter((seq) => {
    const startTs = ts(events[seq.idx[plan.firstPositive]!]!);
    const lastTs = ts(events[seq.idx[plan.lastPositive]!]!);
    let L: number | null = null;
    let T: number | null = null;
    for (let s = 0; s < plan.size; s++) {
      if (!plan.missing[s]) continue;
      const role = plan.role[s];
      for (const e of events) {
        if (!hasKey(s, e, seq.key)) continue;
        const t = ts(e);
        if (role === 'leading' && t < startTs) L = L === null ? t : Math.max(L, t);
        else if (role === 'trailing' && t > lastTs) T = T === null ? t : Math.min(T, t);
        else if (role === 'middle') {
          const lo = ts(events[seq.idx[plan.previousPositive[s]!]!]!);
          const hi = ts(events[seq.idx[plan.nextPositive[s]!]!]!);
          if (t > lo && t < hi) return false;
        }
      }
    }
    if (!plan.hasLeading && !plan.hasTrailing) return true;
    const lead = plan.hasLeading;
    const trail = plan.hasTrailing;
    return (
      (T === null && L === null) ||
      (L === null && lead) ||
      (T === null && trail) ||
      (lead && trail && big(L, T)) ||
      (lead && !trail && big(L, lastTs)) ||
      (!lead && trail && big(startTs, T))
    );
  });
  const lastIdx = (s: RefSeq): number => s.idx[plan.lastPositive]!;
  return accepted
    .map((s, order) => ({ s, order }))
    .sort((a, b) => lastIdx(a.s) - lastIdx(b.s) || a.order - b.order)
    .map(({ s }) => ({ joinKeys: s.keyValues, events: s.events }));
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const l = m.get(k);
  if (l === undefined) m.set(k, [v]);
  else l.push(v);
}
