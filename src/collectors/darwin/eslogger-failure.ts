/** Why eslogger cannot run, as a closed set, each with the sentence `vigil doctor` and the fallback chain show. */
export const ESLOGGER_FAILURES = ['not-macos', 'missing', 'not-root', 'no-full-disk-access', 'too-many-clients', 'not-entitled', 'failed'] as const;
export type EsloggerFailure = (typeof ESLOGGER_FAILURES)[number];

/** How to grant what eslogger needs; `vigil doctor` prints it when the failure is `no-full-disk-access`. */
export const FULL_DISK_ACCESS_ADVICE =
  'eslogger is refused by TCC: Endpoint Security clients need Full Disk Access. Open System Settings > Privacy & ' +
  'Security > Full Disk Access and enable it for the program that starts Vigil (Terminal or iTerm for `sudo vigil`, ' +
  'or the node binary the LaunchDaemon runs), then restart Vigil. Until then Vigil falls back to ps + lsof polling, ' +
  'which misses short-lived processes.';

const MESSAGES: Readonly<Record<EsloggerFailure, string>> = {
  'not-macos': 'eslogger exists only on macOS 13 (Ventura) and later',
  missing: 'eslogger not found (it ships with macOS 13 Ventura and later, at /usr/bin/eslogger)',
  'not-root': 'eslogger must run as root (ES_NEW_CLIENT_RESULT_ERR_NOT_PRIVILEGED)',
  'no-full-disk-access': 'eslogger lacks Full Disk Access (ES_NEW_CLIENT_RESULT_ERR_NOT_PERMITTED): grant it in System Settings > Privacy & Security > Full Disk Access',
  'too-many-clients': 'too many Endpoint Security clients are connected (ES_NEW_CLIENT_RESULT_ERR_TOO_MANY_CLIENTS)',
  'not-entitled': 'eslogger is not entitled to Endpoint Security (ES_NEW_CLIENT_RESULT_ERR_NOT_ENTITLED)',
  failed: 'eslogger failed to start',
};

export function esloggerFailureMessage(kind: EsloggerFailure, detail?: string): string {
  return detail !== undefined && detail !== '' ? `${MESSAGES[kind]}: ${detail}` : MESSAGES[kind];
}

/** Patterns in eslogger's stderr, checked in order; es_new_client()'s result names come first. */
const PATTERNS: ReadonlyArray<readonly [RegExp, EsloggerFailure]> = [
  [/ERR_NOT_PERMITTED|\bTCC\b|Full Disk Access|not permitted/i, 'no-full-disk-access'],
  [/ERR_NOT_PRIVILEGED|must be run as root|requires root|not privileged/i, 'not-root'],
  [/ERR_TOO_MANY_CLIENTS|too many clients/i, 'too-many-clients'],
  [/ERR_NOT_ENTITLED|not entitled|entitlement/i, 'not-entitled'],
];

/** Classifies an eslogger that exited early from its stderr (and exit code). */
export function classifyEsloggerStderr(stderr: string): EsloggerFailure {
  for (const [re, kind] of PATTERNS) if (re.test(stderr)) return kind;
  return 'failed';
}

const FIXES: Readonly<Record<EsloggerFailure, string | null>> = {
  'not-macos': null,
  missing: 'eslogger needs macOS 13 (Ventura) or later; until then Vigil polls ps + lsof',
  'not-root': 'run Vigil as root (sudo, or the LaunchDaemon `vigil install` writes)',
  'no-full-disk-access': FULL_DISK_ACCESS_ADVICE,
  'too-many-clients': 'stop another Endpoint Security client (or eslogger session) and restart Vigil',
  'not-entitled': null,
  failed: null,
};

/**
 * What `vigil doctor` should tell the user to do about a probe reason (a sentence from
 * esloggerFailureMessage), or null when there is nothing to do here (not macOS, unknown failure).
 */
export function esloggerFix(reason: string): string | null {
  for (const kind of ESLOGGER_FAILURES) if (reason.startsWith(MESSAGES[kind])) return FIXES[kind];
  return null;
}
