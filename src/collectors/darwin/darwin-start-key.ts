/**
 * `startKey` on macOS (see RawProcess): the process start time in microseconds since the epoch, as a decimal
 * string, at ONE-SECOND precision (the microseconds are always 000000).
 *
 * Why one second: the two macOS sources must name a process identically, and `ps -o lstart` (the only start
 * time ps prints) has whole seconds, while eslogger's `start_time` has microseconds. Both are truncated to the
 * second here, so eslogger, a ps rescan and an agent restart compute the same `process.entity_id`. The cost:
 * two processes with the same pid started within the same second would share an id; macOS hands out pids
 * sequentially up to 99999, so a pid comes back within a second only under a fork storm that wraps the space.
 * The precise start time still reaches `process.start` through `RawProcess.startTimeMs`.
 */
export function darwinStartKey(epochSeconds: number): string {
  const whole = Math.floor(epochSeconds);
  // seconds * 1e6 stays below 2^53 until the year 2255: exact in a double
  return String(whole * 1_000_000);
}
