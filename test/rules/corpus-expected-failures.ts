/**
 * Elastic detection-rules corpus (../shared/rule-corpus/detection-rules): the non-deprecated EQL rules that do
 * not compile yet, each with the code and the feature/bug that stops it. The corpus test fails when this list
 * and reality differ in either direction, so it stays honest.
 */
export interface ExpectedFailure {
  /** Path relative to the corpus root. */
  readonly file: string;
  readonly code: string;
  /** What is missing, in words (the EQL engine's message must contain `message`). */
  readonly message: string;
  readonly reason: string;
}

/** Every non-deprecated EQL rule of the corpus compiles today; a new failure must be added here with its reason. */
export const CORPUS_EXPECTED_FAILURES: readonly ExpectedFailure[] = [];
