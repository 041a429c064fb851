import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { AlertDatabaseError } from '../alerts/open-database.js';
import { parseSince } from '../alerts/parse-since.js';
import { textTable } from './text-table.js';
import { JournalReader, type SessionSummary } from '../journal/journal-reader.js';
import { journalPathFor } from '../journal/journal-path.js';
import { sessionTreeHtml } from './session-tree-html.js';
import { sessionTreeText } from './session-tree-text.js';
import { argFrom, choiceOption, integerArg, UsageError, USAGE_EXIT } from './cli-options.js';
import { readerDatabasePath, SYSTEM_DATABASE_PATH } from './default-paths.js';
import { printError } from './terminal-text.js';
import { out, terminalWidth } from './stdout.js';

interface DbOption {
  db?: string;
}


/** The journal of the alert database `--db` names (or the default one); a path to a journal itself is taken as is. */
function journalPath(opts: DbOption): string {
  const db = opts.db ?? readerDatabasePath();
  return db.endsWith('-ai.db') ? db : journalPathFor(db);
}

function withJournal<T>(opts: DbOption, fn: (r: JournalReader) => T): T {
  const reader = JournalReader.open(journalPath(opts));
  try {
    return fn(reader);
  } finally {
    reader.close();
  }
}

function guard<A extends unknown[]>(sub: string, fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (err) {
      let message = err instanceof Error ? err.message : String(err);
      const opts = args.find((a): a is DbOption => typeof a === 'object' && a !== null && !Array.isArray(a));
      if (err instanceof AlertDatabaseError && err.code === 'ALERTS_DB_MISSING') {
        message = `no activity journal at ${err.path}${opts?.db === undefined ? ` (the journal lives beside the alert database; the service's is beside ${SYSTEM_DATABASE_PATH})` : ''}: no agent has seen an AI-agent session with this database yet; pass --db PATH for another database`;
      }
      printError(`ai ${sub}`, message);
      process.exitCode = err instanceof UsageError ? USAGE_EXIT : 1;
    }
  };
}

function sessionsTable(list: readonly SessionSummary[]): string {
  const over = (n: number, dropped: number): string => (dropped > 0 ? `${n} (+${dropped})` : String(n));
  const rows = list.map((s) => [
    String(s.id), s.agent, s.start.replace('T', ' ').slice(0, 19), s.end === null ? 'running' : s.end.replace('T', ' ').slice(11, 19),
    over(s.processes - s.processesDropped, s.processesDropped), String(s.filesWritten), String(s.sensitiveReads),
    over(s.connections - s.connectionsDropped, s.connectionsDropped), String(s.alerts), s.user ?? '', s.commandLine ?? '',
  ]);
  return textTable(
    [
      { header: 'ID' }, { header: 'AGENT' }, { header: 'START (UTC)' }, { header: 'END' }, { header: 'PROCS' }, { header: 'WRITES' }, { header: 'SECRETS' },
      { header: 'CONNS' }, { header: 'ALERTS' }, { header: 'USER', shrink: 1, min: 4 }, { header: 'COMMAND', shrink: 2, min: 10 },
    ],
    rows,
    { width: terminalWidth() },
  );
}

function sessionId(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) throw new UsageError(`not a session id: ${JSON.stringify(value)} (ids are in \`vigil ai sessions\`)`);
  return n;
}

const DB_HELP = 'alert database whose activity journal (NAME-ai.db beside it) is read (default: as `vigil alerts`)';

/** `vigil ai sessions | show`. */
export function register(program: Command): void {
  const ai = program.command('ai').description('what AI-agent sessions did: processes, files, connections, alerts');

  ai.command('sessions')
    .description('list AI-agent sessions, newest first, with their counts')
    .option('--db <path>', DB_HELP)
    .addOption(new Option('--since <time>', 'only sessions active since a duration ago (15m, 2h, 7d) or an ISO date/time').argParser(argFrom((v) => parseSince(v))))
    .option('--agent <name>', 'only this agent (claude_code, codex, cursor, ...)')
    .addOption(new Option('--limit <n>', 'at most this many sessions').argParser(integerArg(1)).default(1000))
    .addOption(choiceOption('--format <f>', 'table, or json', ['table', 'json'], 'table'))
    .action(guard('sessions', (opts: DbOption & { since?: number; agent?: string; limit: number; format: string }) => {
      const list = withJournal(opts, (r) =>
        r.sessions({ ...(opts.since !== undefined ? { sinceMs: opts.since } : {}), ...(opts.agent !== undefined ? { agent: opts.agent } : {}), limit: opts.limit }),
      );
      out(opts.format === 'json' ? JSON.stringify(list) + '\n' : list.length === 0 ? 'no AI-agent sessions\n' : sessionsTable(list));
    }));

  ai.command('show')
    .description('one session as a process tree: command lines, files written/read, connections, alerts')
    .argument('<session>')
    .option('--db <path>', DB_HELP)
    .addOption(choiceOption('--format <f>', 'tree, json, or html (one self-contained page)', ['tree', 'json', 'html'], 'tree'))
    .option('--output <file>', 'write to this file instead of stdout')
    .action(guard('show', (id: string, opts: DbOption & { format: string; output?: string }) => {
      const n = sessionId(id);
      const detail = withJournal(opts, (r) => r.session(n));
      if (detail === null) throw new Error(`no such session: ${id}`);
      const fmt = opts.format;
      const text = fmt === 'json' ? JSON.stringify(detail, null, 2) + '\n' : fmt === 'html' ? sessionTreeHtml(detail) : sessionTreeText(detail, terminalWidth());
      if (opts.output !== undefined) writeFileSync(opts.output, text, { mode: 0o600 });
      else out(text);
    }));
}
