/**
 * Estimates processes a poller never saw from pid allocation. macOS and Linux hand out pids in increasing
 * order until they wrap, so between two markers (the pid of the poll's own `ps` run, the newest allocation at
 * that moment) every pid in between was allocated. Those neither seen as new processes nor taken by the
 * collector's own helper commands belonged to processes that started and ended between two polls: `missed`.
 * An upper bound on Linux, where threads take pids too. A poll where pids wrapped around is not counted
 * (`wraps`).
 */
export class PidGapCounter {
  #marker: number | undefined;
  /** Own helper pids above the current marker: they count against the next interval. Bounded by OWN_CAP. */
  #ownAhead: number[] = [];
  static readonly OWN_CAP = 4096;
  #missed = 0;
  #wraps = 0;

  /**
   * `marker`: the pid of this poll's ps run; `newPids`: pids seen for the first time in this poll;
   * `ownPids`: pids the collector's own helpers took since the previous call (any order, before or after the
   * marker: those after it are kept for the next interval).
   */
  update(marker: number, newPids: readonly number[], ownPids: readonly number[]): void {
    const prev = this.#marker;
    this.#marker = marker;
    const own = [...this.#ownAhead, ...ownPids];
    this.#ownAhead = own.filter((p) => p > marker).slice(-PidGapCounter.OWN_CAP);
    if (prev === undefined) return;
    if (marker <= prev) {
      this.#wraps++;
      return;
    }
    const between = (p: number): boolean => p > prev && p < marker;
    const allocated = marker - prev - 1;
    const accounted = newPids.filter(between).length + new Set(own.filter(between)).size;
    this.#missed += Math.max(0, allocated - accounted);
  }

  get missed(): number {
    return this.#missed;
  }

  get wraps(): number {
    return this.#wraps;
  }
}
