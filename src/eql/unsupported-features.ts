import { eqlErrorAt } from './eql-position.js';

/** Pipes of the legacy Python EQL / Endgame dialect that Elasticsearch EQL does not run. */
export const LEGACY_PIPES = ['count', 'unique', 'unique_count', 'filter', 'sort', 'window'] as const;

/** Functions of the legacy dialect (protections-artifacts still uses some) that Elasticsearch EQL lacks. */
export const LEGACY_FUNCTIONS = [
  '_arraysearch', 'arraysearch', 'arraycontains', 'arraycount', 'safe', 'matchlite', 'wildcard_insensitive',
] as const;

/**
 * Throws EQL_UNSUPPORTED_FEATURE naming the feature: syntax Elastic's protections-artifacts use that
 * Elasticsearch EQL does not have. Rule loaders rely on this code to skip such rules with a clear reason.
 */
export function unsupported(text: string, feature: string, offset: number): never {
  throw eqlErrorAt(text, 'EQL_UNSUPPORTED_FEATURE', `unsupported feature: ${feature} (not part of Elasticsearch EQL)`, offset);
}
