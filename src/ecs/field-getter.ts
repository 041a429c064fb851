import { NORMALIZED_ECS, type EcsEvent } from './ecs-event.js';

/** Whether `event` was built by the normalizer (see NORMALIZED_ECS). */
export function nestedOnly(event: EcsEvent): boolean {
  return event['ecs'] === NORMALIZED_ECS;
}

/** Reads one field of an ECS document. Returns `undefined` when the field is absent. */
export type FieldGetter = (event: EcsEvent) => unknown;

/**
 * Compiles a dotted field path into a getter, once, so that the hot path does no string work.
 *
 * Resolution follows Elasticsearch's view of `_source`: `a.b.c` is found through nested objects
 * (`{a: {b: {c: 1}}}`), through literal dotted keys (`{"a.b": {c: 1}}`, `{"a.b.c": 1}`), and through arrays of
 * objects, whose values are flattened (`{a: [{b: 1}, {b: 2}]}` gives `[1, 2]` for `a.b`).
 */
export function compileFieldGetter(path: string): FieldGetter {
  const parts = path.split('.');
  if (parts.length === 1) {
    const key = parts[0]!;
    if (key in Object.prototype) return (event) => (Object.hasOwn(event, key) ? event[key] : undefined);
    return (event) => event[key];
  }
  // joined[i][j] is parts[i..j] joined with dots: the literal key that covers segments i through j.
  const joined: string[][] = parts.map((_, i) => parts.map((__, j) => (j >= i ? parts.slice(i, j + 1).join('.') : '')));
  const last = parts.length - 1;

  const resolve = (value: unknown, i: number): unknown => {
    if (i > last) return value;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const item of value) {
        const v = resolve(item, i);
        if (v === undefined) continue;
        if (Array.isArray(v)) out.push(...v);
        else out.push(v);
      }
      return out.length > 0 ? out : undefined;
    }
    if (value === null || typeof value !== 'object') return undefined;
    const obj = value as Record<string, unknown>;
    const row = joined[i]!;
    // Nested first (the common shape), then ever longer literal dotted keys.
    for (let j = i; j <= last; j++) {
      const key = row[j]!;
      if (Object.hasOwn(obj, key)) {
        const v = resolve(obj[key], j + 1);
        if (v !== undefined) return v;
      }
    }
    return undefined;
  };

  // A segment that names an inherited property (`constructor`, `toString`, `__proto__`) must only match own
  // properties: such paths always take the general walk (own properties only).
  if (parts.some((p) => p in Object.prototype)) return (event) => resolve(event, 0);

  // Fast path for the common fully nested shape; falls back to the general walk.
  const [p0, p1, p2] = parts as [string, string, string | undefined];
  if (parts.length === 2) {
    return (event) => {
      const a = event[p0];
      if (a !== null && typeof a === 'object' && !Array.isArray(a)) {
        const v = (a as Record<string, unknown>)[p1];
        if (v !== undefined || nestedOnly(event)) return v;
      } else if (!Array.isArray(a) && nestedOnly(event)) return undefined;
      return resolve(event, 0);
    };
  }
  if (parts.length === 3) {
    const k2 = p2!;
    return (event) => {
      const a = event[p0];
      if (a !== null && typeof a === 'object' && !Array.isArray(a)) {
        const b = (a as Record<string, unknown>)[p1];
        if (b !== null && typeof b === 'object' && !Array.isArray(b)) {
          const v = (b as Record<string, unknown>)[k2];
          if (v !== undefined || nestedOnly(event)) return v;
        } else if (!Array.isArray(b) && nestedOnly(event)) return undefined;
      } else if (!Array.isArray(a) && nestedOnly(event)) return undefined;
      return resolve(event, 0);
    };
  }
  return (event) => resolve(event, 0);
}
