import type { CollectorStats } from '../collectors/collector.js';
import type { Backend } from '../collectors/raw-event.js';
import type { ReorderBufferStats } from '../normalize/reorder-buffer.js';
import type { NormalizerStats } from '../normalize/normalizer.js';
import { stageGateStats } from '../eql/stage-gate.js';
import type { RateLimiterStats } from '../notify/rule-rate-limiter.js';
import type { RuleSet } from '../rules/rule-set.js';
import type { DetectionEngineStats, SequenceRuleHealth } from './detection-engine.js';
import type { AlertWriterStats } from './alert-writer.js';
import type { PipelineStats } from './pipeline.js';
import { pidStartKey, STATUS_SCHEMA, type AgentMode, type AgentStatus, type StageCounters } from './status-file.js';

/** Everything the status document is computed from. */
export interface StatusSources {
  readonly started: Date;
  readonly intervalMs: number;
  readonly version: string;
  readonly mode: AgentMode;
  readonly hostname: string;
  readonly backend: string;
  readonly fallbackReason: string | null;
  readonly ruleSet: RuleSet;
  readonly collector: CollectorStats | null;
  readonly normalizer: NormalizerStats;
  readonly normalizeErrors: number;
  readonly reorder: ReorderBufferStats;
  readonly engine: Readonly<DetectionEngineStats>;
  readonly inFlight: number;
  readonly sequenceRules: readonly SequenceRuleHealth[];
  readonly pipeline: Readonly<PipelineStats>;
  readonly alertsTotal: number;
  readonly writer: Readonly<AlertWriterStats>;
  /** Alerts waiting for the store (memory + spool). */
  readonly alertsWaiting: number;
  readonly notifier: RateLimiterStats | null;
  readonly db: string;
}

const startKey = pidStartKey(process.pid);

function counters(c: Partial<StageCounters>): StageCounters {
  return { in: 0, out: 0, lost: 0, late: 0, dropped: 0, malformed: 0, ...c };
}

/** The health counters per stage, as `vigil status` shows them. */
export function agentStatus(s: StatusSources): AgentStatus {
  const rawIn = Object.values(s.normalizer.in).reduce((a, b) => a + b, 0);
  const collector = s.collector;
  return {
    schema: STATUS_SCHEMA,
    pid: process.pid,
    ...(startKey !== undefined ? { pidStartKey: startKey } : {}),
    started: s.started.toISOString(),
    updated: new Date().toISOString(),
    intervalMs: s.intervalMs,
    version: s.version,
    mode: s.mode,
    hostname: s.hostname,
    backend: s.backend === 'starting' ? null : (s.backend as Backend),
    fallbackReason: s.fallbackReason,
    rules: { loaded: s.ruleSet.rules.length, errors: s.ruleSet.errors.length, skipped: s.ruleSet.skipped.length, disabled: s.engine.rulesDisabled },
    stages: {
      collector: counters({
        in: collector?.events ?? 0,
        out: collector?.events ?? 0,
        lost: (collector?.lost ?? 0) + (collector?.missed ?? 0),
        malformed: collector?.malformed ?? 0,
      }),
      normalize: counters({ in: rawIn, out: s.normalizer.out, malformed: s.normalizeErrors }),
      reorder: counters({
        in: s.reorder.received,
        out: s.reorder.released,
        late: s.reorder.late,
        dropped: s.reorder.dropped + s.reorder.overflowReleased,
      }),
      engine: counters({ in: s.engine.events, out: s.engine.matches, malformed: s.pipeline.badTimestamp + s.engine.ruleErrors }),
      // Duplicates are dropped on purpose; store failures are not drops (the alerts wait in the spool): see alertStore.
      alerts: counters({ in: s.pipeline.matches, out: s.pipeline.alertsInserted, dropped: s.pipeline.alertsDuplicate, lost: s.pipeline.alertsLost }),
      notify: counters(s.notifier === null ? {} : notifierCounters(s.notifier)),
    },
    sequences: sequenceCounters(s),
    alerts: s.pipeline.lastAlert !== null ? { total: s.alertsTotal, last: s.pipeline.lastAlert } : { total: s.alertsTotal },
    ...(collector?.restarts !== undefined
      ? { collectorRestarts: { restarts: collector.restarts, blindMs: collector.blindMs ?? 0, lastBlindMs: collector.lastBlindMs ?? 0, reconciled: collector.reconciled ?? 0 } }
      : {}),
    alertStore: {
      commits: s.writer.commits,
      failures: s.writer.storeFailures,
      spooled: s.writer.spooled,
      replayed: s.writer.replayed,
      waiting: s.alertsWaiting,
      lost: s.writer.lost,
      aggregated: s.writer.aggregated,
      recoveries: s.writer.recoveries,
      ...(s.writer.downSinceMs !== null ? { downSince: new Date(s.writer.downSinceMs).toISOString() } : {}),
      ...(s.writer.lastError !== null ? { lastError: s.writer.lastError } : {}),
    },
    db: s.db,
    documents: { built: s.normalizer.out, tracked: s.normalizer.cacheOnly, probedOut: s.normalizer.probedOut, gateMemoClears: stageGateStats.memoClears },
    memory: { rssBytes: process.memoryUsage.rss(), heapUsedBytes: process.memoryUsage().heapUsed },
  };
}

/** In-flight partial sequences, and evictions in total and per rule name (rules that evicted none are left out). */
function sequenceCounters(s: StatusSources): AgentStatus['sequences'] {
  let evicted = 0;
  const evictedByRule: Record<string, number> = {};
  for (const r of s.sequenceRules) {
    if (r.evicted === 0) continue;
    evicted += r.evicted;
    evictedByRule[r.rule.meta.name] = (evictedByRule[r.rule.meta.name] ?? 0) + r.evicted;
  }
  return { inFlight: s.inFlight, evicted, evictedByRule };
}

function notifierCounters(n: RateLimiterStats): Partial<StageCounters> {
  return { in: n.admitted + n.suppressed, out: n.admitted, dropped: n.suppressed };
}
