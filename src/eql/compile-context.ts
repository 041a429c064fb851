import type { EcsEvent } from '../ecs/ecs-event.js';
import { compileFieldGetter, type FieldGetter } from '../ecs/field-getter.js';
import type { FieldNode } from './ast.js';

export type Evaluator = (event: EcsEvent) => unknown;
/** Three-valued condition: true, false, or null (unknown; never true). */
export type Condition = (event: EcsEvent) => boolean | null;

/** Per-query compile state: options, the shared getter cache and the fields the query reads. */
export class CompileContext {
  readonly fields = new Set<string>();
  readonly #getters = new Map<string, FieldGetter>();

  constructor(
    readonly text: string,
    readonly categoryField: string,
    readonly timestampField: string,
  ) {}

  getter(path: string): FieldGetter {
    this.fields.add(path);
    let g = this.#getters.get(path);
    if (g === undefined) {
      g = compileFieldGetter(path);
      this.#getters.set(path, g);
    }
    return g;
  }

  /** A field reference: dotted names resolved once; `[n]` indexes pick one element of an array. */
  field(node: FieldNode): Evaluator {
    let ev: Evaluator | null = null;
    let names: string[] = [];
    const flush = (): void => {
      if (names.length === 0) return;
      const path = names.join('.');
      const prev = ev;
      if (prev === null) ev = this.getter(path);
      else {
        this.fields.add(path);
        const sub = compileFieldGetter(path);
        ev = (e) => {
          const v = prev(e);
          return v !== null && typeof v === 'object' && !Array.isArray(v) ? sub(v as EcsEvent) : undefined;
        };
      }
      names = [];
    };
    for (const part of node.parts) {
      if (typeof part === 'string') {
        names.push(part);
        continue;
      }
      flush();
      const prev: Evaluator = ev ?? ((e: EcsEvent) => e);
      ev = (e: EcsEvent): unknown => {
        const v: unknown = prev(e);
        return Array.isArray(v) ? v[part] : undefined;
      };
    }
    flush();
    return ev!;
  }
}
