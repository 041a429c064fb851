import { readFileSync } from 'node:fs';
import { parse, TomlError } from 'smol-toml';
import { BACKEND_CHOICES } from '../collectors/select-collector.js';
import { DEFAULT_CONFIG, type AgentConfig } from './agent-config.js';

/** A config problem, naming the key (`engine.reorder_hold_ms`) and, for syntax errors, the position. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly key: string | null,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Check = (value: unknown) => string | null;

/**
 * An integer in min..max. Every number the agent turns into a timer stays within Node's timer limit
 * (2^31-1 ms, about 24.8 days: beyond it setTimeout/setInterval fire after 1 ms and spin the CPU); counts
 * stay within what memory and dates can hold.
 */
const intIn =
  (min: number, max: number): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? null : `must be an integer in ${min}..${max}`;
/** Node's largest timer delay, in seconds (whole). */
const TIMER_MAX_S = Math.floor(2 ** 31 / 1000) - 1;
const MAX_COUNT = 10_000_000;
const str: Check = (v) => (typeof v === 'string' ? null : 'must be a string');
const bool: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');
const strList: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? null : 'must be an array of strings');
const oneOf =
  (...allowed: string[]): Check =>
  (v) =>
    typeof v === 'string' && allowed.includes(v) ? null : `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`;

/** `[collector.files]`: a table of its own, merged over its defaults key by key. */
const FILES_SCHEMA: Readonly<Record<string, Check>> = {
  enabled: bool,
  sensitive: (v) =>
    strList(v) ?? ((v as string[]).every((x) => /^(name|path|extension)\s+\S/.test(x)) ? null : 'entries must read `name|path|extension PATTERN`'),
  exclude_prefixes: (v) => strList(v) ?? ((v as string[]).every((x) => x.startsWith('/') && !x.includes('\n')) ? null : 'entries must be absolute paths'),
};

const filesTable: Check = (v) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'must be a table ([collector.files])';
  for (const [key, x] of Object.entries(v as Record<string, unknown>)) {
    const check = FILES_SCHEMA[key];
    if (check === undefined) return `has an unknown key ${key} (known: ${Object.keys(FILES_SCHEMA).join(', ')})`;
    const problem = check(x);
    if (problem !== null) return `${key}: ${problem}`;
  }
  return null;
};

/** Every key the file may hold, with its check; the shape mirrors AgentConfig. */
const SCHEMA: { readonly [S in keyof AgentConfig]: { readonly [K in keyof AgentConfig[S]]: Check } } = {
  collector: {
    backend: oneOf(...BACKEND_CHOICES),
    poll_interval_ms: intIn(1, 60_000),
    ring_buffer_bytes: (v) =>
      intIn(4096, 2 ** 30)(v) === null && Number.isInteger(Math.log2(v as number)) ? null : 'must be a power of two in 4096..1073741824',
    helper_stop_grace_ms: intIn(0, 60_000),
    files: filesTable,
  },
  engine: {
    reorder_hold_ms: intIn(0, 60_000),
    reorder_max_events: intIn(1, MAX_COUNT),
    max_sequences_per_rule: intIn(1, MAX_COUNT),
    default_sequence_lifetime_s: intIn(1, TIMER_MAX_S),
    rule_budget_ms: intIn(0, 60_000),
  },
  rules: { paths: strList, allow_empty: bool },
  storage: { db: str, retention_days: intIn(0, 36_500), retention_max_alerts: intIn(0, 100_000_000), aggregate_after: intIn(0, 1_000_000), down_alert_after_s: intIn(1, 86_400), allow_db_symlink: bool },
  notifications: { enabled: bool, per_rule_per_minute: intIn(1, 1_000_000) },
  outputs: { alerts_ndjson: str, events_ndjson: str },
  health: { alert_interval_s: intIn(1, TIMER_MAX_S) },
  status: { dir: str, interval_s: intIn(1, 86_400) },
  ai_agents: { enabled: bool, table: str },
  journal: {
    enabled: bool,
    max_processes_per_session: intIn(1, 100_000_000),
    max_files_per_session: intIn(1, 100_000_000),
    max_connections_per_session: intIn(1, 100_000_000),
    retention_days: intIn(0, 36_500),
    max_mb: intIn(0, 1_000_000),
  },
};

/** Validates a parsed TOML table against the schema and merges it over the defaults. */
export function configFromTable(table: Record<string, unknown>, file: string): AgentConfig {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const [section, defaults] of Object.entries(DEFAULT_CONFIG)) merged[section] = { ...(defaults as object) };
  for (const [section, value] of Object.entries(table)) {
    const checks = (SCHEMA as Record<string, Record<string, Check>>)[section];
    if (checks === undefined) {
      throw new ConfigError(`${file}: unknown section [${section}] (known: ${Object.keys(SCHEMA).join(', ')})`, file, section);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ConfigError(`${file}: ${section} must be a table ([${section}])`, file, section);
    }
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const check = checks[key];
      const path = `${section}.${key}`;
      if (check === undefined) {
        throw new ConfigError(`${file}: unknown key ${path} (known in [${section}]: ${Object.keys(checks).join(', ')})`, file, path);
      }
      const problem = check(v);
      if (problem !== null) throw new ConfigError(`${file}: ${path} ${problem} (got ${JSON.stringify(v)})`, file, path);
      merged[section]![key] = section === 'collector' && key === 'files' ? { ...DEFAULT_CONFIG.collector.files, ...(v as object) } : v;
    }
  }
  return merged as unknown as AgentConfig;
}

/** Reads and validates a TOML config file. Throws ConfigError naming the file and the offending key. */
export function loadConfig(file: string | undefined): AgentConfig {
  if (file === undefined) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: cannot read config: ${(err as Error).message}`, file, null);
  }
  let table: Record<string, unknown>;
  try {
    table = parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      throw new ConfigError(`${file}:${err.line}:${err.column}: TOML syntax error: ${err.message.split('\n')[0]}`, file, null);
    }
    throw err;
  }
  return configFromTable(table, file);
}
