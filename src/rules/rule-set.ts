import type { EcsEvent } from '../ecs/ecs-event.js';
import type { LoadedRule } from './loaded-rule.js';
import { loadRules, type LoadOptions, type LoadResult } from './rule-loader.js';
import type { RuleEntry } from './rule-entry.js';
import { RuleIndex, type Candidates, type RuleIndexOptions } from './rule-index.js';

/**
 * The rules the agent runs: loaded from files or directories, indexed for dispatch. A bad rule never stops
 * the others; `errors` and `skipped` say what was left out and why.
 */
export class RuleSet {
  readonly index: RuleIndex;
  readonly #ids: ReadonlyMap<string, LoadedRule>;

  constructor(
    readonly rules: readonly LoadedRule[],
    readonly skipped: readonly RuleEntry[] = [],
    readonly errors: readonly RuleEntry[] = [],
    indexOptions: RuleIndexOptions = {},
  ) {
    this.index = new RuleIndex(rules, indexOptions);
    this.#ids = new Map(rules.map((r) => [r.meta.id, r]));
  }

  /** Loads every rule under `paths` for the host OS (`{os}`), skipping rules meant for other systems. */
  static load(paths: readonly string[], options: LoadOptions & { index?: RuleIndexOptions } = {}): RuleSet {
    const result: LoadResult = loadRules(paths, options);
    return new RuleSet(result.rules, result.skipped, result.errors, options.index ?? categoryOption(options));
  }

  /** The stages and rules `event` may match (each stage's filter still decides). */
  candidates(event: EcsEvent): Candidates {
    return this.index.candidates(event);
  }

  byId(id: string): LoadedRule | undefined {
    return this.#ids.get(id);
  }
}

function categoryOption(options: LoadOptions): RuleIndexOptions {
  const field = options.compile?.categoryField;
  return field !== undefined ? { categoryField: field } : {};
}
