import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { Alert } from '../alerts/alert.js';
import { alertDocument } from '../alerts/alert-document.js';
import type { AlertFilter } from '../alerts/alert-filter.js';
import { ALERT_STATES, isAlertState, type AlertState } from '../alerts/alert-state.js';
import { huntStoredEvents, storedEvents } from '../alerts/hunt-stored-events.js';
import { hitToJson } from './hunt-output.js';
import { parseSince } from '../alerts/parse-since.js';
import { AlertDatabaseError } from '../alerts/open-database.js';
import { runReadOnlyQuery } from '../alerts/read-only-query.js';
import { SEVERITIES } from '../alerts/severity.js';
import { SqliteAlertStore } from '../alerts/sqlite-alert-store.js';
import { textTable } from '../alerts/text-table.js';
import { compileFieldGetter } from '../ecs/field-getter.js';
import { compileQuery } from '../eql/index.js';
import { JournalReader, type SessionDetail } from '../journal/journal-reader.js';
import { journalPathFor } from '../journal/journal-path.js';
import { eventLineage, sessionLineage } from '../journal/lineage-tree.js';
import { treeLines } from '../journal/session-tree-text.js';
import { readerDatabasePath, SYSTEM_DATABASE_PATH } from './default-paths.js';
import { VERSION } from './version.js';
import { out, terminalWidth } from './stdout.js';

interface DbOption {
  db?: string;
}
interface FilterOptions extends DbOption {
  since?: string;
  rule?: string;
  severity?: string;
  state?: string;
  limit: string;
}
interface FormatOption {
  format: string;
}

const getName = compileFieldGetter('process.name');
const getCommandLine = compileFieldGetter('process.command_line');


function dbPath(opts: DbOption): string {
  return opts.db ?? readerDatabasePath();
}

function format(value: string, allowed: readonly string[]): string {
  if (!allowed.includes(value)) throw new Error(`--format must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  return value;
}

function filterOf(opts: FilterOptions): AlertFilter {
  let state: AlertState | undefined;
  if (opts.state !== undefined) {
    if (!isAlertState(opts.state)) throw new Error(`--state must be one of ${ALERT_STATES.join(', ')} (got ${JSON.stringify(opts.state)})`);
    state = opts.state;
  }
  if (opts.severity !== undefined && !(SEVERITIES as readonly string[]).includes(opts.severity)) {
    throw new Error(`--severity must be one of ${SEVERITIES.join(', ')} (got ${JSON.stringify(opts.severity)})`);
  }
  const limit = Number(opts.limit);
  if (!Number.isInteger(limit) || limit <= 0) throw new Error(`--limit must be a positive integer (got ${JSON.stringify(opts.limit)})`);
  return {
    ...(opts.since !== undefined ? { sinceMs: parseSince(opts.since) } : {}),
    ...(opts.rule !== undefined ? { rule: opts.rule } : {}),
    ...(opts.severity !== undefined ? { severity: opts.severity } : {}),
    ...(state !== undefined ? { state } : {}),
    limit,
  };
}

function ids(values: readonly string[]): number[] {
  return values.map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`not an alert id: ${JSON.stringify(v)}`);
    return n;
  });
}

/** Opens the store read-only for reading commands, read-write for ack/close. */
function withStore<T>(opts: DbOption, writable: boolean, fn: (store: SqliteAlertStore) => T): T {
  const store = SqliteAlertStore.open(dbPath(opts), { readonly: !writable, pruneEvery: 0 });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

/**
 * Runs a subcommand's action: an error is printed as `vigil alerts <sub>: message` (exit 1); a database missing
 * at the default path says where the reader looked and how to point it elsewhere.
 */
function guard<A extends unknown[]>(sub: string, fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (err) {
      let message = err instanceof Error ? err.message : String(err);
      const opts = args.find((a): a is DbOption => typeof a === 'object' && a !== null && !Array.isArray(a));
      if (err instanceof AlertDatabaseError && err.code === 'ALERTS_DB_MISSING' && opts?.db === undefined) {
        message += ` (nor at ${SYSTEM_DATABASE_PATH}): no agent has stored alerts here yet; pass --db PATH for another database`;
      }
      process.stderr.write(`vigil alerts ${sub}: ${message}\n`);
      process.exitCode = 1;
    }
  };
}

function processText(alert: Alert): string {
  for (const e of alert.events) {
    if (e === null) continue;
    const cmd = getCommandLine(e);
    const name = getName(e);
    if (typeof cmd === 'string') return cmd;
    if (typeof name === 'string') return name;
  }
  return '';
}

function listTable(alerts: readonly Alert[]): string {
  const rows = alerts.map((a) => [String(a.id), a.time.replace('T', ' ').slice(0, 19), a.rule.severity, a.state, a.rule.name, a.host.name, processText(a)]);
  return textTable(
    [{ header: 'ID' }, { header: 'TIME (UTC)' }, { header: 'SEVERITY' }, { header: 'STATE' }, { header: 'RULE', flex: true, min: 16 }, { header: 'HOST', flex: true, min: 6 }, { header: 'PROCESS', flex: true, min: 10 }],
    rows,
    terminalWidth(),
  );
}

/**
 * The alert's process lineage as a tree: inside its AI-agent session when the activity journal beside the
 * database linked it (root down to the alert's processes), else as the alert's own events give it.
 */
function lineageLines(a: Alert, db: string): string[] {
  const journal = journalPathFor(db);
  let detail: SessionDetail | null = null;
  if (existsSync(journal)) {
    try {
      const reader = JournalReader.open(journal);
      try {
        const ref = reader.sessionOfAlert(a.id);
        detail = ref === null ? null : reader.session(ref.id);
      } finally {
        reader.close();
      }
    } catch {
      detail = null; // an unreadable journal: the events' own lineage below
    }
  }
  const roots = detail !== null ? sessionLineage(detail, a.events) : eventLineage(a.events);
  if (roots.length === 0) return [];
  const heading = detail !== null
    ? `Lineage     AI-agent session ${detail.session.id} (${detail.session.agent}; vigil ai show ${detail.session.id}):`
    : 'Lineage:';
  return [heading, ...treeLines(roots, terminalWidth() - 2).map((l) => `  ${l}`)];
}

function showText(a: Alert, lineage: readonly string[] = []): string {
  const lines = [
    `Alert ${a.id} (${a.state}${a.stateChangedAt !== null ? ' since ' + a.stateChangedAt : ''})  ${a.uuid}`,
    `Time        ${a.time}   (stored ${a.createdAt})`,
    `Rule        ${a.rule.name}`,
    `Rule id     ${a.rule.id}${a.rule.file !== null ? '   ' + a.rule.file : ''}`,
    `Severity    ${a.rule.severity}, risk score ${a.rule.riskScore}`,
    ...(a.rule.tags.length > 0 ? [`Tags        ${a.rule.tags.join(', ')}`] : []),
    `Host        ${a.host.name} (${a.host.os}, id ${a.host.id})`,
    `Collector   ${a.collector}; ${a.lostEvents} events reported lost during the match window`,
    `Join keys   ${JSON.stringify(a.joinKeys)}`,
    ...lineage,
    `Events (${a.events.length}):`,
  ];
  a.events.forEach((e, i) => {
    lines.push(`--- event ${i + 1}${e === null ? ': missing-event placeholder' : ''}`);
    if (e !== null) lines.push(JSON.stringify(e, null, 2));
  });
  return lines.join('\n') + '\n';
}

const DB_HELP = 'alert database (default: the per-user database, else /var/lib/vigil/alerts.db)';

function addFilters(cmd: Command): Command {
  return cmd
    .option('--db <path>', DB_HELP)
    .option('--since <time>', 'only alerts since a duration ago (15m, 2h, 7d) or an ISO date/time')
    .option('--rule <name>', 'rule id, or part of the rule name (case-insensitive)')
    .option('--severity <s>', `one of ${SEVERITIES.join(', ')}`)
    .option('--state <s>', `one of ${ALERT_STATES.join(', ')}`)
    .option('--limit <n>', 'at most this many alerts, newest first', '1000');
}

function setStates(values: string[], opts: DbOption, state: AlertState): void {
  const wanted = ids(values);
  const done = withStore(opts, true, (store) => store.setState(wanted, state));
  const missing = wanted.filter((id) => !done.includes(id));
  if (done.length > 0) out(`${state}: ${done.join(' ')}\n`);
  if (missing.length > 0) {
    process.stderr.write(`vigil alerts ${state === 'closed' ? 'close' : 'ack'}: no such alert: ${missing.join(' ')}\n`);
    process.exitCode = 1;
  }
}

/** `vigil alerts list | show | ack | close | export | query | hunt`. */
export function register(program: Command): void {
  const alerts = program.command('alerts').description('list, inspect, acknowledge, export and query stored alerts');

  addFilters(alerts.command('list').description('list alerts, newest first'))
    .option('--format <f>', 'table or json (one JSON array)', 'table')
    .action(guard('list', (opts: FilterOptions & FormatOption) => {
      const fmt = format(opts.format, ['table', 'json']);
      const list = withStore(opts, false, (store) => store.list(filterOf(opts)));
      out(fmt === 'json' ? JSON.stringify(list) + '\n' : list.length === 0 ? 'no alerts\n' : listTable(list));
    }));

  alerts
    .command('show')
    .description('show one alert with its events in full')
    .argument('<id>')
    .option('--db <path>', DB_HELP)
    .option('--format <f>', 'text or json', 'text')
    .action(guard('show', (id: string, opts: DbOption & FormatOption) => {
      const fmt = format(opts.format, ['text', 'json']);
      const alert = withStore(opts, false, (store) => store.get(ids([id])[0]!));
      if (alert === null) throw new Error(`no such alert: ${id}`);
      out(fmt === 'json' ? JSON.stringify(alert, null, 2) + '\n' : showText(alert, lineageLines(alert, dbPath(opts))));
    }));

  alerts
    .command('ack')
    .description('mark alerts acknowledged')
    .argument('<ids...>')
    .option('--db <path>', DB_HELP)
    .action(guard('ack', (values: string[], opts: DbOption) => setStates(values, opts, 'acknowledged')));

  alerts
    .command('close')
    .description('mark alerts closed')
    .argument('<ids...>')
    .option('--db <path>', DB_HELP)
    .action(guard('close', (values: string[], opts: DbOption) => setStates(values, opts, 'closed')));

  addFilters(alerts.command('export').description('write alerts as ECS NDJSON documents (event.kind: alert), oldest first'))
    .option('--format <f>', 'ndjson', 'ndjson')
    .action(guard('export', (opts: FilterOptions & FormatOption) => {
      format(opts.format, ['ndjson']);
      const list = withStore(opts, false, (store) => store.list({ ...filterOf(opts), order: 'asc' }));
      for (const a of list) out(JSON.stringify(alertDocument(a, VERSION)) + '\n');
    }));

  alerts
    .command('query')
    .description('run one read-only SQL statement (tables: alerts; view: alert_events); writes are refused')
    .argument('<sql>')
    .option('--db <path>', DB_HELP)
    .option('--format <f>', 'table or json', 'table')
    .action(guard('query', (sql: string, opts: DbOption & FormatOption) => {
      const fmt = format(opts.format, ['table', 'json']);
      const result = runReadOnlyQuery(dbPath(opts), sql);
      if (fmt === 'json') out(JSON.stringify(result.rows) + '\n');
      else {
        const cell = (v: unknown): string => (v === null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v));
        out(textTable(result.columns.map((header) => ({ header, flex: true, min: 4 })), result.rows.map((r) => result.columns.map((c) => cell(r[c]))), terminalWidth()));
      }
    }));

  addFilters(alerts.command('hunt').description('run an EQL query over the events stored in alerts (NDJSON hits, as `vigil hunt` prints them)'))
    .argument('<query>')
    .action(guard('hunt', (query: string, opts: FilterOptions) => {
      const compiled = compileQuery(query);
      const list = withStore(opts, false, (store) => store.list(filterOf(opts)));
      const hits = huntStoredEvents(compiled, storedEvents(list));
      // The same NDJSON shape as `vigil hunt` (Elasticsearch's EQL hits), so tools read both alike.
      for (const hit of hits) {
        out(JSON.stringify(hitToJson(compiled.kind === 'event' ? { kind: 'event', event: hit.events[0]! } : { kind: 'sequence', hit })) + '\n');
      }
      if (hits.length === 0) process.stderr.write(`no matches in ${list.length} alert${list.length === 1 ? '' : 's'}\n`);
    }));
}
