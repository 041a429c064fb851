import type { BackendChoice } from '../collectors/select-collector.js';

export interface FilesConfig {
  /** Attach the file programs (default on; procfs cannot see files whatever this says). */
  readonly enabled: boolean;
  /** Extra sensitive-open patterns, as config/sensitive-files.txt writes them: `name|path|extension PATTERN`. */
  readonly sensitive: readonly string[];
  /** Directories whose subtrees produce no file events (checked in the kernel). */
  readonly exclude_prefixes: readonly string[];
}

/**
 * The agent's configuration. Every key is optional in the TOML file (config/vigil.toml documents each);
 * absent keys take the defaults below.
 */
export interface AgentConfig {
  readonly collector: {
    readonly backend: BackendChoice;
    /** procfs poll interval. */
    readonly poll_interval_ms: number;
    /** eBPF ring buffer size. */
    readonly ring_buffer_bytes: number;
    /** On stop, how long the eBPF helper may take to drain before it is killed (what it still holds is counted lost). */
    readonly helper_stop_grace_ms: number;
    /** `[collector.files]`: file telemetry (eBPF only; docs/file-telemetry.md). */
    readonly files: FilesConfig;
  };
  readonly engine: {
    /** How long the reorder buffer holds events before releasing them in time order. */
    readonly reorder_hold_ms: number;
    /** Reorder buffer capacity; beyond it the oldest events are released early (counted). */
    readonly reorder_max_events: number;
    /** In-flight partial sequences kept per rule; the oldest is evicted beyond it (counted). */
    readonly max_sequences_per_rule: number;
    /** Lifetime of a partial sequence whose rule has no maxspan. */
    readonly default_sequence_lifetime_s: number;
    /** CPU time one rule may take on one event (ms, 0: no budget); a rule over it 3 times within a minute is disabled (health alert). */
    readonly rule_budget_ms: number;
  };
  readonly rules: {
    /** Rule files or directories; empty means the bundled config/rules. */
    readonly paths: readonly string[];
    /** Start even when no rule loads (a deliberately empty set); otherwise `vigil run` exits 2. */
    readonly allow_empty: boolean;
  };
  readonly storage: {
    /** Alert database; empty means the per-user default (or /var/lib/vigil/alerts.db for the service). */
    readonly db: string;
    /** Alerts older than this are deleted (0 keeps them forever). */
    readonly retention_days: number;
    /** At most this many alerts are kept, oldest deleted first (0 = no cap). */
    readonly retention_max_alerts: number;
    /** Per rule and user per minute, alerts beyond this many are folded into one aggregate alert (0: never). */
    readonly aggregate_after: number;
    /** Store failing this long (seconds): a `store-down` health alert. */
    readonly down_alert_after_s: number;
    /** Accept a database path that is a symbolic link (refused by default). */
    readonly allow_db_symlink: boolean;
  };
  readonly notifications: {
    readonly enabled: boolean;
    /** Notifications per rule per minute before they are summarized. */
    readonly per_rule_per_minute: number;
  };
  readonly outputs: {
    /** ECS NDJSON alert log for Filebeat / Elastic Agent; empty disables it. */
    readonly alerts_ndjson: string;
    /** ECS NDJSON log of every normalized event; empty disables it. */
    readonly events_ndjson: string;
  };
  readonly health: {
    /** At most one health alert (e.g. "detection degraded: rule X evicted N partial sequences") per rule and cause in this many seconds. */
    readonly alert_interval_s: number;
  };
  readonly status: {
    /** Directory for status.json; empty means the per-user state directory. */
    readonly dir: string;
    /** How often health counters are written. */
    readonly interval_s: number;
  };
  readonly ai_agents: {
    /** Whether process.ai_agent.* is filled (the bundled config/ai-agents.toml table). */
    readonly enabled: boolean;
    /** A user table (config/ai-agents.toml format) whose entries add to the bundled ones; empty: none. */
    readonly table: string;
  };
  readonly journal: {
    /** The AI-agent activity journal (`vigil ai`), beside the alert database. */
    readonly enabled: boolean;
    /** Per session: process starts kept; the rest are counted. */
    readonly max_processes_per_session: number;
    /** Per session: file changes and sensitive opens kept; the rest are counted. */
    readonly max_files_per_session: number;
    /** Per session: connections kept; the rest are counted. */
    readonly max_connections_per_session: number;
    /** Sessions that ended longer ago than this are deleted (0 keeps them). */
    readonly retention_days: number;
    /** Past this size the oldest sessions are deleted (0: no cap). */
    readonly max_mb: number;
  };
}

export const DEFAULT_CONFIG: AgentConfig = {
  collector: {
    backend: 'auto',
    poll_interval_ms: 100,
    ring_buffer_bytes: 8 * 1024 * 1024,
    helper_stop_grace_ms: 5000,
    files: { enabled: true, sensitive: [], exclude_prefixes: [] },
  },
  engine: { reorder_hold_ms: 250, reorder_max_events: 100_000, max_sequences_per_rule: 10_000, default_sequence_lifetime_s: 300, rule_budget_ms: 50 },
  rules: { paths: [], allow_empty: false },
  storage: { db: '', retention_days: 90, retention_max_alerts: 100_000, aggregate_after: 100, down_alert_after_s: 30, allow_db_symlink: false },
  notifications: { enabled: true, per_rule_per_minute: 5 },
  outputs: { alerts_ndjson: '', events_ndjson: '' },
  health: { alert_interval_s: 300 },
  status: { dir: '', interval_s: 5 },
  ai_agents: { enabled: true, table: '' },
  journal: { enabled: true, max_processes_per_session: 5000, max_files_per_session: 5000, max_connections_per_session: 5000, retention_days: 30, max_mb: 256 },
};
