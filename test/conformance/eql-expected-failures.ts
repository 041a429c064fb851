/**
 * Conformance specs that do not pass yet, each with the reason. The conformance test fails if one of these
 * starts passing (take it out) or if a spec not listed here fails (a regression).
 * Keys are `<file>:<name>`.
 */
export const EXPECTED_FAILURES: Readonly<Record<string, string>> = {
};
