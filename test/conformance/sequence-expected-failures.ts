/** Endgame sequence/sample specs that do not pass yet: name -> reason. Keep it empty when possible. */
export const SEQUENCE_EXPECTED_FAILURES: Readonly<Record<string, string>> = {};
