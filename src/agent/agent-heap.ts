import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/**
 * V8 heap sizing for the long-running agent, set while the process runs (V8 flags are process-wide: the entry
 * point decides, as for the linear regexp engine). Two knobs, each measured with `agent-vs-bpftrace`
 * (docs/agent-cost.md, "Memory"); an operator's own setting of either on the node command line or in
 * NODE_OPTIONS wins.
 *
 * Old generation: V8 lets it grow to up to 4x what survived the last full GC before it collects again (the
 * factor depends on the heap limit, which follows the machine's memory, and on GC speed); under a storm most of
 * what is promoted (exited processes leaving the cache after 5 s, documents that outlived the reorder hold) is
 * garbage by then. `--heap-growing-percent=50` (read at every full GC) makes the next limit 1.5x the live size.
 *
 * Young generation:
 * V8 sizes the young generation (two semi-spaces, both resident) from the heap limit: on a 64-bit machine with
 * a few GB it may reach 2 x 16 MiB. It starts at 2 x 1 MiB and doubles whenever more than its capacity has
 * survived scavenges since it last grew; under an exec storm the documents in the reorder hold and the process
 * cache's new entries survive, so it grows to its maximum and stays there until an idle GC shrinks it (measured
 * with `agent-vs-bpftrace`: 32 MiB of the ~125 MB peak at 1600 execs/s).
 *
 * `--max-semi-space-size` bounds it, but V8 reads it once, when the heap is made: set from JavaScript it changes
 * nothing (measured), so it would have to be on the node command line of every way the agent is started. What V8
 * reads each time it grows the young generation is `--semi-space-growth-factor`. After each GC (a `gc`
 * performance observer: no timer, nothing to do at idle) this sets that factor so that the next growth lands on
 * the cap, and to 1 (no growth) once the young generation is at the cap; when an idle GC has shrunk it, growth is
 * allowed again. A growth can pass the cap only if two happen before the observer runs (one long task): the
 * young generation is then one doubling over the cap until an idle GC shrinks it, never larger than without it.
 */

const MIB = 1024 * 1024;

/** Old generation growth between full GCs, percent of the live size (V8 `--heap-growing-percent`). */
export const AGENT_HEAP_GROWING_PERCENT = 50;

/** Young generation ceiling of the agent: both semi-spaces, bytes (2 x 4 MiB). */
export const AGENT_YOUNG_GENERATION_BYTES = 8 * MIB;

/** V8's default growth factor (restored by `stop`). */
const V8_DEFAULT_GROWTH_FACTOR = 2;

export interface YoungGenerationCap {
  readonly capBytes: number;
  /** Times the growth factor was changed (to allow growth up to the cap, or to stop it at the cap). */
  readonly adjustments: number;
  /** Disconnects the observer and gives V8 its default growth back. */
  stop(): void;
}

/** The young generation's size now, bytes: both semi-spaces (one semi-space's capacity, twice). */
export function youngGenerationBytes(): number {
  for (const s of v8.getHeapSpaceStatistics()) {
    // `space_size` counts only the committed semi-spaces (one until the first scavenge, or after an idle GC
    // uncommitted the other); used + available is one semi-space's allocatable capacity (a little under its
    // size: page headers), rounded here to the whole MiB V8 sizes semi-spaces in.
    if (s.space_name === 'new_space') return 2 * MIB * Math.round((s.space_used_size + s.space_available_size) / MIB);
  }
  return 0;
}

/** What `tuneAgentHeap` set: null for a knob the command line had set already. */
export interface AgentHeap {
  readonly heapGrowingPercent: number | null;
  readonly youngGeneration: YoungGenerationCap | null;
}

/** Both knobs, for `vigil run`. */
export function tuneAgentHeap(): AgentHeap {
  let heapGrowingPercent: number | null = null;
  if (!onCommandLine(['heap-growing-percent'])) {
    v8.setFlagsFromString(`--heap-growing-percent=${AGENT_HEAP_GROWING_PERCENT}`);
    heapGrowingPercent = AGENT_HEAP_GROWING_PERCENT;
  }
  return { heapGrowingPercent, youngGeneration: capYoungGeneration() };
}

/**
 * Caps the young generation at `capBytes` for this process. Returns null, changing nothing, when the node
 * command line or NODE_OPTIONS already sizes the young generation.
 */
export function capYoungGeneration(capBytes: number = AGENT_YOUNG_GENERATION_BYTES): YoungGenerationCap | null {
  if (onCommandLine(['max-semi-space-size', 'min-semi-space-size', 'semi-space-growth-factor'])) return null;
  let factor = 0;
  let adjustments = 0;
  const adjust = (): void => {
    const size = youngGenerationBytes();
    // V8 multiplies a semi-space's capacity by the factor (never past its own maximum): one growth to the cap.
    const want = size >= capBytes || size === 0 ? 1 : Math.max(2, Math.floor(capBytes / size));
    if (want === factor) return;
    v8.setFlagsFromString(`--semi-space-growth-factor=${want}`);
    factor = want;
    adjustments++;
  };
  adjust();
  const observer = new PerformanceObserver(adjust);
  observer.observe({ entryTypes: ['gc'] });
  return {
    capBytes,
    get adjustments() {
      return adjustments;
    },
    stop() {
      observer.disconnect();
      v8.setFlagsFromString(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH_FACTOR}`);
    },
  };
}

/** One of these V8 flags (dashes or underscores) is on the node command line or in NODE_OPTIONS. */
function onCommandLine(flags: readonly string[]): boolean {
  const words = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)];
  return words.some((w) => flags.some((f) => w.replace(/_/g, '-').startsWith(`--${f}`)));
}
