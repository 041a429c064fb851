import { compileLuceneRegex } from '../lucene-regex.js';
import { compileWildcards } from '../wildcard.js';
import type { FunctionSpec } from './function-spec.js';

const patternsOf = (constants: readonly unknown[]): string[] => constants.slice(1).filter((c): c is string => typeof c === 'string');

/**
 * `match(s, regex...)` and `wildcard(s, pattern...)`: functions of the EQL function fold specs
 * (test_string_functions.toml); equivalent to `regex` and `like` with a pattern list.
 */
export const LEGACY_PATTERN_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'match', minArgs: 2, maxArgs: Infinity, argTypes: ['string', 'string'], returns: 'boolean', caseInsensitive: true, constantFrom: 1,
    make: (ctx) => {
      const tests = patternsOf(ctx.constants).map((p) => compileLuceneRegex(p, ctx.insensitive));
      return (a) => (typeof a[0] === 'string' ? tests.some((t) => t(a[0] as string)) : null);
    },
  },
  {
    name: 'wildcard', minArgs: 2, maxArgs: Infinity, argTypes: ['string', 'string'], returns: 'boolean', caseInsensitive: true, constantFrom: 1,
    make: (ctx) => {
      const test = compileWildcards(patternsOf(ctx.constants), ctx.insensitive);
      return (a) => (typeof a[0] === 'string' ? test(a[0]) : null);
    },
  },
];
