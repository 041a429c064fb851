import { CIDR_MATCH_FUNCTION } from './cidr-match.js';
import type { FunctionSpec } from './function-spec.js';
import { LEGACY_PATTERN_FUNCTIONS } from './legacy-functions.js';
import { MATH_FUNCTIONS } from './math-functions.js';
import { NUMBER_FUNCTION } from './number-function.js';
import { STRING_FUNCTIONS } from './string-functions.js';

/** Function lookup by case-insensitive name. Registering a name twice throws. */
export class FunctionRegistry {
  readonly #byName = new Map<string, FunctionSpec>();

  constructor(specs: readonly FunctionSpec[]) {
    for (const s of specs) this.register(s);
  }

  register(spec: FunctionSpec): void {
    const key = spec.name.toLowerCase();
    if (this.#byName.has(key)) throw new Error(`EQL function registered twice: ${spec.name}`);
    this.#byName.set(key, spec);
  }

  get(name: string): FunctionSpec | undefined {
    return this.#byName.get(name.toLowerCase());
  }

  names(): string[] {
    return [...this.#byName.values()].map((s) => s.name);
  }
}

export const FUNCTIONS = new FunctionRegistry([
  ...MATH_FUNCTIONS, ...STRING_FUNCTIONS, NUMBER_FUNCTION, CIDR_MATCH_FUNCTION, ...LEGACY_PATTERN_FUNCTIONS,
]);
