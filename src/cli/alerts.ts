import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { Alert } from '../alerts/alert.js';
import { alertDocument } from '../alerts/alert-document.js';
import { DEFAULT_LIST_LIMIT, type AlertFilter } from '../alerts/alert-filter.js';
import { ALERT_STATES, type AlertState } from '../alerts/alert-state.js';
import { huntStoredEvents, storedEvents } from '../alerts/hunt-stored-events.js';
import { parseSince } from '../alerts/parse-since.js';
import { AlertDatabaseError } from '../alerts/open-database.js';
import { runReadOnlyQuery } from '../alerts/read-only-query.js';
import { SEVERITIES } from '../alerts/severity.js';
import { SqliteAlertStore } from '../alerts/sqlite-alert-store.js';
import { compileFieldGetter } from '../ecs/field-getter.js';
import { compileQuery, EqlError } from '../eql/index.js';
import { JournalReader, type SessionDetail } from '../journal/journal-reader.js';
import { journalPathFor } from '../journal/journal-path.js';
import { eventLineage, sessionLineage } from '../journal/lineage-tree.js';
import { treeLines } from './session-tree-text.js';
import { argFrom, choiceOption, integerArg, UsageError, USAGE_EXIT } from './cli-options.js';
import { readerDatabasePath, SYSTEM_DATABASE_PATH } from './default-paths.js';
import { hitToJson } from './hunt-output.js';
import { printError, terminalText } from './terminal-text.js';
import { textTable } from './text-table.js';
import { VERSION } from './version.js';
import { out, terminalWidth } from './stdout.js';

interface DbOption {
  db?: string;
}
interface FilterOptions extends DbOption {
  since?: number;
  rule?: string;
  severity?: string;
  state?: AlertState;
  limit?: number;
}
interface FormatOption {
  format: string;
}

const getName = compileFieldGetter('process.name');
const getCommandLine = compileFieldGetter('process.command_line');


function dbPath(opts: DbOption): string {
  return opts.db ?? readerDatabasePath();
}

function filterOf(opts: FilterOptions, limit: number): AlertFilter {
  return {
    ...(opts.since !== undefined ? { sinceMs: opts.since } : {}),
    ...(opts.rule !== undefined ? { rule: opts.rule } : {}),
    ...(opts.severity !== undefined ? { severity: opts.severity } : {}),
    ...(opts.state !== undefined ? { state: opts.state } : {}),
    limit,
  };
}

function ids(values: readonly string[]): number[] {
  return values.map((v) => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n <= 0) throw new UsageError(`not an alert id: ${JSON.stringify(v)}`);
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
 * Prints a subcommand's error as `vigil alerts <sub>: message`, escaped for the terminal (exit 2 for usage
 * errors and bad queries, else 1); a database missing at the default path says where the reader looked and how
 * to point it elsewhere.
 */
function fail(sub: string, err: unknown, args: readonly unknown[]): void {
  let message = err instanceof Error ? err.message : String(err);
  const opts = args.find((a): a is DbOption => typeof a === 'object' && a !== null && !Array.isArray(a));
  if (err instanceof AlertDatabaseError && err.code === 'ALERTS_DB_MISSING' && opts?.db === undefined) {
    message += ` (nor at ${SYSTEM_DATABASE_PATH}): no agent has stored alerts here yet; pass --db PATH for another database`;
  }
  printError(`alerts ${sub}`, message);
  process.exitCode = err instanceof UsageError || err instanceof EqlError ? USAGE_EXIT : 1;
}

/** Runs a subcommand's action; its error goes through fail(). */
function guard<A extends unknown[]>(sub: string, fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (err) {
      fail(sub, err, args);
    }
  };
}

/** guard() for an async action. */
function guardAsync<A extends unknown[]>(sub: string, fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return (...args: A) => fn(...args).catch((err: unknown) => fail(sub, err, args));
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
  // Too wide for the terminal: the command line gives way first, then the host, the rule name last.
  return textTable(
    [{ header: 'ID', align: 'right' }, { header: 'TIME (UTC)' }, { header: 'SEVERITY' }, { header: 'STATE' }, { header: 'RULE', shrink: 1, min: 24 }, { header: 'HOST', shrink: 2, min: 8 }, { header: 'PROCESS', shrink: 3, min: 12 }],
    rows,
    { width: terminalWidth() },
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
  return terminalText(lines.join('\n')) + '\n';
}

const DB_HELP = 'alert database (default: the per-user database, else /var/lib/vigil/alerts.db)';

/** The filters of list / export / hunt; `limit` is the default of --limit, or null for "every match". */
function addFilters(cmd: Command, limit: number | null): Command {
  cmd
    .option('--db <path>', DB_HELP)
    .addOption(new Option('--since <time>', 'only alerts since a duration ago (15m, 2h, 7d) or an ISO date/time').argParser(argFrom((v) => parseSince(v))))
    .option('--rule <name>', 'rule id, or part of the rule name (case-insensitive)')
    .addOption(choiceOption('--severity <s>', 'only this severity', SEVERITIES))
    .addOption(choiceOption('--state <s>', 'only alerts in this state', ALERT_STATES));
  const max = new Option('--limit <n>', limit === null ? 'at most this many alerts (default: all)' : 'at most this many alerts, newest first').argParser(integerArg(1));
  return cmd.addOption(limit === null ? max : max.default(limit));
}

function setStates(values: string[], opts: DbOption, state: AlertState): void {
  const wanted = ids(values);
  const done = withStore(opts, true, (store) => store.setState(wanted, state));
  const missing = wanted.filter((id) => !done.includes(id));
  if (done.length > 0) out(`${state}: ${done.join(' ')}\n`);
  if (missing.length > 0) {
    printError(`alerts ${state === 'closed' ? 'close' : 'ack'}`, `no such alert: ${missing.join(' ')}`);
    process.exitCode = 1;
  }
}

/** `vigil alerts list | show | ack | close | export | query | hunt`. */
export function register(program: Command): void {
  const alerts = program.command('alerts').description('list, inspect, acknowledge, export and query stored alerts');

  addFilters(alerts.command('list').description('list alerts, newest first'), DEFAULT_LIST_LIMIT)
    .addOption(choiceOption('--format <f>', 'table, or json (one JSON array)', ['table', 'json'], 'table'))
    .action(guard('list', (opts: FilterOptions & FormatOption) => {
      const filter = filterOf(opts, opts.limit ?? DEFAULT_LIST_LIMIT);
      const [list, matching] = withStore(opts, false, (store) => {
        const l = store.list(filter);
        return [l, l.length < filter.limit! ? l.length : store.count(filter)] as const;
      });
      out(opts.format === 'json' ? JSON.stringify(list) + '\n' : list.length === 0 ? 'no alerts\n' : listTable(list));
      // Said on stderr, so that the JSON on stdout stays one parseable array.
      if (matching > list.length) process.stderr.write(`showing ${list.length} of ${matching} alerts (the newest); --limit N shows more\n`);
    }));

  alerts
    .command('show')
    .description('show one alert with its events in full')
    .argument('<id>')
    .option('--db <path>', DB_HELP)
    .addOption(choiceOption('--format <f>', 'text, or json', ['text', 'json'], 'text'))
    .action(guard('show', (id: string, opts: DbOption & FormatOption) => {
      const [wanted] = ids([id]);
      const alert = withStore(opts, false, (store) => store.get(wanted!));
      if (alert === null) throw new Error(`no such alert: ${id}`);
      out(opts.format === 'json' ? JSON.stringify(alert, null, 2) + '\n' : showText(alert, lineageLines(alert, dbPath(opts))));
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

  addFilters(alerts.command('export').description('write every matching alert as ECS NDJSON documents (event.kind: alert), oldest first'), null)
    .addOption(choiceOption('--format <f>', 'output format', ['ndjson'], 'ndjson'))
    .action(guardAsync('export', async (opts: FilterOptions & FormatOption) => {
      const store = SqliteAlertStore.open(dbPath(opts), { readonly: true, pruneEvery: 0 });
      try {
        // Streamed: one row read, one line written, waiting for the pipe to drain; memory stays flat.
        for (const a of store.iterate({ ...filterOf(opts, opts.limit ?? Infinity), order: 'asc' })) {
          if (!out(JSON.stringify(alertDocument(a, VERSION)) + '\n')) await new Promise((r) => process.stdout.once('drain', r));
        }
      } finally {
        store.close();
      }
    }));

  alerts
    .command('query')
    .description('run one read-only SQL statement (tables: alerts; view: alert_events); writes are refused')
    .argument('<sql>')
    .option('--db <path>', DB_HELP)
    .addOption(choiceOption('--format <f>', 'table, or json', ['table', 'json'], 'table'))
    .action(guard('query', (sql: string, opts: DbOption & FormatOption) => {
      const result = runReadOnlyQuery(dbPath(opts), sql);
      if (opts.format === 'json') out(JSON.stringify(result.rows) + '\n');
      else {
        const cell = (v: unknown): string => (v === null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v));
        // Too wide: the rightmost columns give way first.
        const columns = result.columns.map((header, i) => ({ header, shrink: i + 1, min: 4 }));
        out(textTable(columns, result.rows.map((r) => result.columns.map((c) => cell(r[c]))), { width: terminalWidth() }));
      }
    }));

  addFilters(alerts.command('hunt').description('run an EQL query over the events stored in alerts (NDJSON hits, as `vigil hunt` prints them)'), null)
    .argument('<query>')
    .action(guard('hunt', (query: string, opts: FilterOptions) => {
      const compiled = compileQuery(query);
      const list = withStore(opts, false, (store) => store.list(filterOf(opts, opts.limit ?? Infinity)));
      const hits = huntStoredEvents(compiled, storedEvents(list));
      // The same NDJSON shape as `vigil hunt` (Elasticsearch's EQL hits), so tools read both alike.
      for (const hit of hits) {
        out(JSON.stringify(hitToJson(compiled.kind === 'event' ? { kind: 'event', event: hit.events[0]! } : { kind: 'sequence', hit })) + '\n');
      }
      if (hits.length === 0) process.stderr.write(`no matches in ${list.length} alert${list.length === 1 ? '' : 's'}\n`);
    }));
}
