import type { Pipe } from './compiled-query.js';

/** Applies a query's `head` / `tail` pipes, in order, to its results. */
export function applyPipes<T>(items: T[], pipes: readonly Pipe[]): T[] {
  let out = items;
  for (const p of pipes) out = p.kind === 'head' ? out.slice(0, p.count) : out.slice(Math.max(0, out.length - p.count));
  return out;
}
