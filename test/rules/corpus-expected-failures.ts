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

const SINGLE_STAGE_RUNS =
  'single-stage sequence repeated with `with runs=N` (N >= 2): Elasticsearch accepts it (the stage expands to N stages); the EQL checker counts stages before expanding runs';

export const CORPUS_EXPECTED_FAILURES: readonly ExpectedFailure[] = [
  ['linux/credential_access_potential_linux_ssh_bruteforce_external.toml'],
  ['linux/credential_access_potential_linux_ssh_bruteforce_internal.toml'],
  ['linux/discovery_unusual_user_enumeration_via_id.toml'],
  ['linux/impact_data_encrypted_via_openssl.toml'],
  ['linux/privilege_escalation_looney_tunables_cve_2023_4911.toml'],
  ['macos/credential_access_high_volume_of_pbpaste.toml'],
].map(([file]) => ({ file: file!, code: 'EQL_SYNTAX', message: 'a sequence needs at least 2 stages', reason: SINGLE_STAGE_RUNS }));
