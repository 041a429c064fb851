/**
 * Estimates processes a poller never saw from gaps in pid allocation. Both macOS and Linux hand out pids in
 * increasing order until they wrap, so between two polls the pids above the previous maximum up to the new
 * one were all allocated; those not seen (and not taken by the collector's own helper commands) belonged to
 * processes that started and ended between polls. An upper bound on Linux, where threads take pids too. A
 * poll where the pids wrapped around is not counted (`wraps`).
 */
export class PidGapCounter {
  #maxPid = -1;
  #missed = 0;
  #wraps = 0;

  /**
   * `newPids`: pids seen for the first time in this poll; `maxPid`: the largest pid alive now;
   * `ownSpawns`: pids the collector's own helpers took since the previous poll.
   */
  update(newPids: readonly number[], maxPid: number, ownSpawns: number): void {
    const prev = this.#maxPid;
    this.#maxPid = Math.max(prev, maxPid);
    if (prev < 0) return;
    if (newPids.some((p) => p < prev)) {
      this.#wraps++;
      return;
    }
    const allocated = Math.max(0, maxPid - prev);
    const seen = newPids.filter((p) => p > prev).length;
    this.#missed += Math.max(0, allocated - seen - ownSpawns);
  }

  get missed(): number {
    return this.#missed;
  }

  get wraps(): number {
    return this.#wraps;
  }
}
