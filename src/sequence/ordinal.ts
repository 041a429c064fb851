/**
 * Where an event sits in the stream: its timestamp (epoch ms) and a tiebreaker (position in the sorted input in
 * batch mode, arrival number in live mode). Ordinals are compared as (ts, seq), as Elasticsearch compares
 * (timestamp, tiebreaker).
 */
export interface Ordinal {
  readonly ts: number;
  readonly seq: number;
}

/** True when (aTs, aSeq) is strictly before (bTs, bSeq). */
export function ordinalBefore(aTs: number, aSeq: number, bTs: number, bSeq: number): boolean {
  return aTs < bTs || (aTs === bTs && aSeq < bSeq);
}
