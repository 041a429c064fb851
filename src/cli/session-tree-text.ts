import type { JournalConnection, JournalFile, JournalProcess, SessionDetail, SessionSummary } from '../journal/journal-reader.js';
import { buildSessionTree, walkTree, type TreeNode } from '../journal/session-tree.js';
import { terminalLine } from './terminal-text.js';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The counts line of a session, overflow included ("12 processes (+9000 not kept), ..."). */
export function sessionCounts(s: SessionSummary): string {
  const over = (n: number): string => (n > 0 ? ` (+${n} not kept)` : '');
  return [
    `${plural(s.processes, 'process', 'processes')}${over(s.processesDropped)}`,
    `${plural(s.filesWritten, 'file written', 'files written')}`,
    `${plural(s.sensitiveReads, 'sensitive read')}${over(s.filesDropped)}`,
    `${plural(s.connections, 'connection')}${over(s.connectionsDropped)}`,
    plural(s.alerts, 'alert'),
  ].join(', ');
}

/** A process's pid and, when it failed, its exit code ("pid 12, exit 1"). */
export function processTail(p: JournalProcess): string {
  return [p.pid !== null ? `pid ${p.pid}` : null, p.exitCode !== null && p.exitCode !== 0 ? `exit ${p.exitCode}` : null].filter((x) => x !== null).join(', ');
}

/** What a process line says: its command line (or name), then its tail. */
export function processLabel(p: JournalProcess): string {
  const tail = processTail(p);
  return `${p.commandLine ?? p.name ?? p.executable ?? p.entityId}${tail !== '' ? `  [${tail}]` : ''}`;
}

const FILE_VERBS: Readonly<Record<string, string>> = {
  creation: 'created', modification: 'modified', overwrite: 'overwrote', deletion: 'deleted', rename: 'renamed to',
  attributes_modified: 'changed attributes of', open: 'read (sensitive)',
};

export function fileLabel(f: JournalFile): string {
  return `${FILE_VERBS[f.action] ?? f.action} ${f.path}`;
}

export function connectionLabel(c: JournalConnection): string {
  const where = `${c.domain !== null ? `${c.domain} ` : ''}${c.ip ?? '?'}${c.port !== null ? `:${c.port}` : ''}`;
  const inbound = c.direction === 'ingress';
  return `${inbound ? 'accepted from' : 'connect to'} ${where}${c.transport !== null ? ` ${c.transport}` : ''}${c.outcome !== null ? ` (${c.outcome})` : ''}`;
}

function cut(s: string, width: number): string {
  return s.length <= width ? s : width <= 1 ? s.slice(0, width) : s.slice(0, width - 1) + '…';
}

/** The header lines of a session (id, agent, root, user, directory, times, counts). */
export function sessionHeader(s: SessionSummary): string[] {
  return [
    `AI-agent session ${s.id}: ${s.agent}, pid ${s.pid ?? '?'}${s.user !== null ? `, user ${s.user}` : ''}${s.host !== null ? `, host ${s.host}` : ''}`,
    `  started ${s.start}, ${s.end !== null ? `ended ${s.end}` : `running (last activity ${s.last})`}`,
    ...(s.workingDirectory !== null ? [`  in ${s.workingDirectory}`] : []),
    `  ${sessionCounts(s)}`,
  ];
}

/**
 * Box-drawing lines of a process tree: each process with its command line, then what it wrote/read, where it
 * connected, and the alerts on it (marked `!!`). Every line is cut to `width`; untrusted text is escaped.
 */
export function treeLines(roots: readonly TreeNode[], width: number): string[] {
  const out: string[] = [];
  walkTree(roots, (node, depth, lasts) => {
    let guide = '';
    for (let i = 1; i < lasts.length - 1; i++) guide += lasts[i] ? '    ' : '│   ';
    const drawnDeeper = depth >= lasts.length ? `… ` : '';
    const own = lasts.length > 1 ? (lasts[lasts.length - 1] ? '└── ' : '├── ') : '';
    const cont = lasts.length > 1 ? (lasts[lasts.length - 1] ? '    ' : '│   ') : '';
    const detail = guide + cont + (node.children.length > 0 ? '│ ' : '  ') + '  ';
    out.push(cut(guide + own + drawnDeeper + terminalLine(processLabel(node.process)), width));
    for (const f of node.files) out.push(cut(detail + terminalLine(fileLabel(f)), width));
    for (const c of node.connections) out.push(cut(detail + terminalLine(connectionLabel(c)), width));
    for (const a of node.alerts) out.push(cut(`${detail}!! alert ${a.alertId} ${a.severity}: ${terminalLine(a.rule)}`, width));
  });
  return out;
}

/** `vigil ai show SESSION` as terminal text. */
export function sessionTreeText(detail: SessionDetail, width: number): string {
  const w = Math.max(40, width);
  const lines = [...sessionHeader(detail.session).map((l) => cut(terminalLine(l), w)), ''];
  lines.push(...treeLines(buildSessionTree(detail), w));
  return lines.join('\n') + '\n';
}
