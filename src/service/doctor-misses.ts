/**
 * What each collector cannot see, said by `vigil doctor` whenever it will be used (the report's `misses`).
 * Polling backends are honest about polling: what lives between two polls is never seen.
 */

/** Linux /proc polling. */
export function procfsMisses(pollIntervalMs: number): string[] {
  return [
    `processes that start and exit between two polls (every ${pollIntervalMs} ms) are never seen, nor their arguments and connections; counted as \`missed\` (forks in /proc/stat vs processes seen)`,
    'connections are seen only while the socket is in /proc/net: a connect() that fails at once (ENETUNREACH, refused) leaves no trace',
    'event times are poll times, not the kernel\'s; exit codes are unknown',
    'files: no file events at all (creation, modification, deletion, rename, sensitive opens need the eBPF helper); rules on `file` events cannot fire',
  ];
}

/** Connections on macOS come from lsof polling, whichever process backend runs. */
function lsofConnectionMiss(lsofIntervalMs: number): string {
  return `connections are seen only while lsof lists the socket (polled every ${lsofIntervalMs} ms): one opened and closed between two polls, or a connect() that fails at once (ENETUNREACH, refused), leaves no trace`;
}

/** macOS ps + lsof polling (no eslogger). */
export function psLsofMisses(psIntervalMs: number, lsofIntervalMs: number): string[] {
  return [
    `short-lived processes: those that start and exit between two ps polls (every ${psIntervalMs} ms) are never seen, nor their arguments and connections; counted as \`missed\` (pids allocated between two ps runs that were never seen)`,
    lsofConnectionMiss(lsofIntervalMs),
    'exit codes are unknown (ps cannot know them); event times are poll times, not the kernel\'s',
    'files: ps and lsof cannot see file activity (creations, modifications, deletions, renames, sensitive opens), so no file events and no file rule can fire; eslogger (Endpoint Security) reports them',
  ];
}

/** macOS eslogger: Endpoint Security reports every exec, fork and exit; only connections are polled. */
export function esloggerMisses(lsofIntervalMs: number): string[] {
  return [lsofConnectionMiss(lsofIntervalMs)];
}
