/** The sequence package's public surface: batch entry points and the live matcher. */
export { runSequenceBatch, runSampleBatch } from './batch.js';
export type { SequenceHit, BatchOptions } from './batch.js';
export { SequenceMatcher } from './sequence-matcher.js';
export type { CompletedSequence } from './sequence-matcher.js';
export type { MatcherOptions } from './matcher-options.js';
export { DEFAULT_LIFETIME_MS, DEFAULT_MAX_IN_FLIGHT } from './matcher-options.js';
export type { MatcherStats } from './matcher-stats.js';
export { SequenceError } from './sequence-error.js';
