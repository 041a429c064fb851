import type { Collector, RawEventSink } from './collector.js';
import type { EsloggerCollectorOptions } from './darwin/eslogger-collector.js';
import type { PsLsofCollectorOptions } from './darwin/ps-lsof-collector.js';
import type { HostIdentity } from './host-identity.js';
import type { EbpfCollectorOptions } from './linux/ebpf-collector.js';
import type { ProcfsCollectorOptions } from './linux/procfs-collector.js';
import { scanProcfsSnapshot } from './linux/procfs-snapshot.js';
import type { Backend, Platform } from './raw-event.js';
import type { EtwCollectorOptions } from './win32/etw-collector.js';

/** What `--backend` accepts: `auto` walks the platform's chain; a backend name tries only that one. */
export const BACKEND_CHOICES = ['auto', 'ebpf', 'procfs', 'eslogger', 'ps-lsof', 'etw'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface CollectorOptions {
  readonly host: HostIdentity;
  readonly ebpf?: EbpfCollectorOptions;
  readonly procfs?: ProcfsCollectorOptions;
  readonly etw?: EtwCollectorOptions;
  readonly eslogger?: EsloggerCollectorOptions;
  readonly psLsof?: PsLsofCollectorOptions;
  readonly log?: (level: 'info' | 'warn' | 'error', msg: string, data?: object) => void;
}

/** What a chain link needs of its backend's collector class. */
interface ChainLink {
  /** null when it can run here, else why not. */
  probe(options: CollectorOptions): Promise<string | null>;
  create(options: CollectorOptions): Collector;
}

/**
 * One link of a fallback chain. Its collector module is imported when the chain reaches it, not with this
 * file: an agent loads the code of the backends it tries, not the other platforms' (the macOS and Windows
 * collectors are ~140 kB of modules a Linux agent would otherwise hold in memory for nothing).
 */
interface Candidate {
  readonly backend: Backend;
  load(): Promise<ChainLink>;
  /**
   * Live backends see only what happens after they attach: the processes already running come from one /proc
   * scan taken right after attaching. Polling backends report already-running processes themselves.
   */
  readonly snapshotAfterAttach: ((options: CollectorOptions) => ReturnType<typeof scanProcfsSnapshot>) | null;
}

const EBPF: Candidate = {
  backend: 'ebpf',
  load: async () => {
    const { EbpfCollector } = await import('./linux/ebpf-collector.js');
    return {
      probe: (o) => EbpfCollector.probe(o.ebpf?.helperPath),
      create: (o) =>
        new EbpfCollector({
          ...o.ebpf,
          ...(o.log ? { log: o.log } : {}),
          // After a helper restart: what started in the gap and still runs, from one /proc scan.
          reconcile: (sinceTicks) => scanProcfsSnapshot(o.host).filter((e) => Number(e.process.startKey) >= sinceTicks),
        }),
    };
  },
  snapshotAfterAttach: (o) => scanProcfsSnapshot(o.host),
};

const PROCFS: Candidate = {
  backend: 'procfs',
  load: async () => {
    const { ProcfsCollector } = await import('./linux/procfs-collector.js');
    return {
      probe: (o) => ProcfsCollector.probe(o.procfs?.procRoot),
      create: (o) => new ProcfsCollector({ host: o.host, ...o.procfs, ...(o.log ? { log: o.log } : {}) }),
    };
  },
  snapshotAfterAttach: null,
};

const ETW: Candidate = {
  backend: 'etw',
  load: async () => {
    const { EtwCollector } = await import('./win32/etw-collector.js');
    return {
      probe: (o) => EtwCollector.probe(o.etw?.addonPath),
      create: (o) => new EtwCollector({ ...o.etw, ...(o.log ? { log: o.log } : {}) }),
    };
  },
  // the addon scans running processes itself once its session is live
  snapshotAfterAttach: null,
};

const ESLOGGER: Candidate = {
  backend: 'eslogger',
  load: async () => {
    const { EsloggerCollector } = await import('./darwin/eslogger-collector.js');
    return {
      probe: (o) => EsloggerCollector.probe(o.eslogger?.esloggerPath !== undefined ? { esloggerPath: o.eslogger.esloggerPath } : {}),
      create: (o) => new EsloggerCollector({ ...o.eslogger, ...(o.log ? { log: o.log } : {}) }),
    };
  },
  // the collector takes its own ps snapshot once eslogger is attached
  snapshotAfterAttach: null,
};

const PS_LSOF: Candidate = {
  backend: 'ps-lsof',
  load: async () => {
    const { PsLsofCollector } = await import('./darwin/ps-lsof-collector.js');
    return {
      probe: (o) => PsLsofCollector.probe(o.psLsof ?? {}),
      create: (o) => new PsLsofCollector({ host: o.host, platform: o.host.platform, ...o.psLsof, ...(o.log ? { log: o.log } : {}) }),
    };
  },
  snapshotAfterAttach: null,
};

/**
 * The fallback chain per platform, best first (quark's `bpf_queue_open() != 0 && kprobe_queue_open() != 0`).
 * darwin (eslogger, then ps + lsof) plugs in here.
 */
const CHAINS: Readonly<Record<Platform, readonly Candidate[]>> = {
  linux: [EBPF, PROCFS, PS_LSOF],
  macos: [ESLOGGER, PS_LSOF],
  windows: [ETW],
};

export interface FallbackReason {
  readonly backend: Backend;
  readonly reason: string;
}

export interface OpenedCollector {
  readonly collector: Collector;
  readonly backend: Backend;
  /** Every backend tried before the one in use, and why it could not run. */
  readonly fallbacks: readonly FallbackReason[];
  /** already_running snapshot events handed to the sink after attaching (0 for polling backends). */
  readonly snapshotEvents: number;
}

export class NoCollectorError extends Error {
  readonly code = 'VIGIL_NO_COLLECTOR';
  readonly fallbacks: readonly FallbackReason[];
  constructor(platform: Platform, fallbacks: readonly FallbackReason[]) {
    super(
      fallbacks.length === 0
        ? `VIGIL_NO_COLLECTOR: no collector for ${platform} yet`
        : `VIGIL_NO_COLLECTOR: no collector can run: ${fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ')}`,
    );
    this.name = 'NoCollectorError';
    this.fallbacks = fallbacks;
  }
}

/** One line for logs, `vigil doctor` and `agent.collector`: "procfs (ebpf: not root)". */
export function describeCollector(opened: Pick<OpenedCollector, 'backend' | 'fallbacks'>): string {
  if (opened.fallbacks.length === 0) return opened.backend;
  return `${opened.backend} (${opened.fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ')})`;
}

/**
 * Picks and starts the collector. Startup order, so that nothing falls in a gap between "already running"
 * and "started later":
 *   1. attach the live collector (eBPF) and wait until it is attached;
 *   2. only then scan /proc and hand every running process to the sink as a `snapshot` (already_running).
 * A process that starts between 1 and 2 is seen twice (exec, then snapshot); the normalizer merges the two
 * by entity id and emits no already_running for it. A polling backend (procfs) does its own first scan.
 * Each backend that cannot run is skipped with its reason, kept in `fallbacks`.
 */
export async function openCollector(choice: BackendChoice, platform: Platform, sink: RawEventSink, options: CollectorOptions): Promise<OpenedCollector> {
  const chain = CHAINS[platform].filter((c) => choice === 'auto' || c.backend === choice);
  const fallbacks: FallbackReason[] = [];
  for (const candidate of chain) {
    const link = await candidate.load();
    const why = await link.probe(options);
    if (why !== null) {
      fallbacks.push({ backend: candidate.backend, reason: why });
      options.log?.('warn', `collector ${candidate.backend} unavailable`, { reason: why });
      continue;
    }
    const collector = link.create(options);
    try {
      await collector.start(sink);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      fallbacks.push({ backend: candidate.backend, reason });
      options.log?.('warn', `collector ${candidate.backend} failed to start`, { reason });
      continue;
    }
    let snapshotEvents = 0;
    if (candidate.snapshotAfterAttach !== null) {
      for (const ev of candidate.snapshotAfterAttach(options)) {
        sink(ev);
        snapshotEvents++;
      }
    }
    return { collector, backend: candidate.backend, fallbacks, snapshotEvents };
  }
  if (choice !== 'auto' && chain.length === 0) fallbacks.push({ backend: choice, reason: `not available on ${platform}` });
  throw new NoCollectorError(platform, fallbacks);
}
