/**
 * Nesting bound for events read from outside (recordings, replays): ECS documents nest a handful of levels;
 * one nested 100 000 levels deep overflows the stack of every recursive reader (JSON.stringify, the alert
 * dedup key), so readers count and skip it instead.
 */
export const MAX_EVENT_DEPTH = 64;

/** Whether `value` nests objects/arrays deeper than `max` levels. Iterative: never recurses itself. */
export function nestsDeeperThan(value: unknown, max: number = MAX_EVENT_DEPTH): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: Array<[object, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) return true;
    const children: unknown[] = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
