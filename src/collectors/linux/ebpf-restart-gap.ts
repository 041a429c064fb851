import { readFileSync } from 'node:fs';
import { parseKernelStat } from './proc-kernel-stat.js';

/** Where the agent stood when its helper died: wall time, clock ticks since boot, forks since boot. */
export interface GapStart {
  readonly atMs: number;
  readonly ticks: number;
  readonly forks: number | null;
}

/** What one helper restart cost: how long the agent was blind and how many forks happened meanwhile. */
export interface GapCost {
  readonly blindMs: number;
  /** Forks the kernel counted during the gap (/proc/stat `processes`): events that can never be seen. */
  readonly forks: number;
  /** Processes started at or after this (clock ticks since boot, like `startKey`) were born in the gap. */
  readonly sinceTicks: number;
}

function forksSinceBoot(procRoot: string): number | null {
  try {
    return parseKernelStat(readFileSync(`${procRoot}/stat`, 'utf8')).processes;
  } catch {
    return null;
  }
}

function ticksSinceBoot(procRoot: string, clkTck: number): number {
  try {
    return Math.floor(Number(readFileSync(`${procRoot}/uptime`, 'utf8').split(' ')[0]) * clkTck);
  } catch {
    return 0;
  }
}

/**
 * The blind window of the eBPF collector between a helper's death and its replacement attaching: `open` at the
 * death, `close` at the new hello. Forks in between are counted from /proc/stat (the kernel's own counter), so
 * alerts raised around the gap carry it in their lost count.
 */
export class EbpfRestartGap {
  readonly #procRoot: string;
  #open: GapStart | null = null;

  constructor(procRoot = '/proc') {
    this.#procRoot = procRoot;
  }

  /**
   * The helper died (noticed now). `lastHeardMs`: when it last wrote anything; processes started from a second
   * before that are reconciled (the helper may have died any time after it last wrote; reconciling a process
   * the agent already knows only merges, it emits nothing).
   */
  open(clkTck: number, lastHeardMs: number, nowMs: number = Date.now()): void {
    const sinceSeconds = Math.max(0, nowMs - lastHeardMs) / 1000 + 1;
    this.#open ??= { atMs: nowMs, ticks: Math.max(0, ticksSinceBoot(this.#procRoot, clkTck) - Math.ceil(sinceSeconds * clkTck)), forks: forksSinceBoot(this.#procRoot) };
  }

  /** The cost of the gap that just closed, or null when none was open. */
  close(nowMs: number = Date.now()): GapCost | null {
    const g = this.#open;
    if (g === null) return null;
    this.#open = null;
    const forksNow = forksSinceBoot(this.#procRoot);
    const forks = g.forks !== null && forksNow !== null ? Math.max(0, forksNow - g.forks) : 0;
    return { blindMs: Math.max(0, nowMs - g.atMs), forks, sinceTicks: g.ticks };
  }

  get isOpen(): boolean {
    return this.#open !== null;
  }
}
