import type { EcsEvent } from '../ecs/ecs-event.js';
import { compileFieldGetter } from '../ecs/field-getter.js';
import type { JournalConnection, JournalProcess, SessionDetail } from './journal-reader.js';
import { buildSessionTree, type TreeNode } from './session-tree.js';

const G = {
  category: compileFieldGetter('event.category'),
  action: compileFieldGetter('event.action'),
  timestamp: compileFieldGetter('@timestamp'),
  entityId: compileFieldGetter('process.entity_id'),
  pid: compileFieldGetter('process.pid'),
  name: compileFieldGetter('process.name'),
  executable: compileFieldGetter('process.executable'),
  commandLine: compileFieldGetter('process.command_line'),
  workingDirectory: compileFieldGetter('process.working_directory'),
  parentEntityId: compileFieldGetter('process.parent.entity_id'),
  parentPid: compileFieldGetter('process.parent.pid'),
  parentName: compileFieldGetter('process.parent.name'),
  parentExecutable: compileFieldGetter('process.parent.executable'),
  parentCommandLine: compileFieldGetter('process.parent.command_line'),
  direction: compileFieldGetter('network.direction'),
  transport: compileFieldGetter('network.transport'),
  ip: compileFieldGetter('destination.ip'),
  port: compileFieldGetter('destination.port'),
  domain: compileFieldGetter('destination.domain'),
  outcome: compileFieldGetter('event.outcome'),
};
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** The entity ids of the processes an alert's events are about. */
export function alertEntityIds(events: ReadonlyArray<EcsEvent | null>): Set<string> {
  const ids = new Set<string>();
  for (const e of events) {
    const id = e === null ? undefined : G.entityId(e);
    if (typeof id === 'string') ids.add(id);
  }
  return ids;
}

/**
 * The alert's lineage inside its AI-agent session: the path from the session's root down to each process the
 * alert is about, and what those processes spawned; siblings off that path are left out.
 */
export function sessionLineage(detail: SessionDetail, events: ReadonlyArray<EcsEvent | null>): TreeNode[] {
  const targets = alertEntityIds(events);
  const byId = new Map(detail.processes.map((p) => [p.entityId, p]));
  const keep = new Set<string>();
  for (const id of targets) {
    // up to the root (bounded by the number of processes, whatever the parent links say)
    let cur: string | null = id;
    for (let steps = 0; cur !== null && steps <= byId.size && !keep.has(cur); steps++) {
      keep.add(cur);
      cur = byId.get(cur)?.parentEntityId ?? null;
    }
  }
  const roots = buildSessionTree(detail);
  const prune = (n: TreeNode, inTarget: boolean): TreeNode | null => {
    const mine = inTarget || targets.has(n.process.entityId);
    if (!mine && !keep.has(n.process.entityId)) return null;
    const children: TreeNode[] = [];
    for (const c of n.children) {
      const p = prune(c, mine);
      if (p !== null) children.push(p);
    }
    return { ...n, children };
  };
  // depth is bounded by the journal's per-session process cap
  return roots.map((r) => prune(r, false)).filter((r): r is TreeNode => r !== null);
}

/**
 * Without a journal session: the lineage the alert's own events give — each process under its parent (as
 * the event names it), with the connections the alert matched.
 */
export function eventLineage(events: ReadonlyArray<EcsEvent | null>): TreeNode[] {
  const nodes = new Map<string, TreeNode>();
  const parents = new Map<string, TreeNode>();
  const node = (p: JournalProcess): TreeNode => ({ process: p, children: [], files: [], connections: [], alerts: [] });
  for (const e of events) {
    if (e === null) continue;
    const id = str(G.entityId(e));
    if (id === null) continue;
    let n = nodes.get(id);
    if (n === undefined) {
      n = node({
        entityId: id, parentEntityId: str(G.parentEntityId(e)), pid: num(G.pid(e)), name: str(G.name(e)), executable: str(G.executable(e)),
        commandLine: str(G.commandLine(e)), workingDirectory: str(G.workingDirectory(e)), start: null, end: null, exitCode: null,
      });
      nodes.set(id, n);
    }
    const parentId = n.process.parentEntityId;
    if (parentId !== null && !parents.has(parentId)) {
      parents.set(parentId, node({
        entityId: parentId, parentEntityId: null, pid: num(G.parentPid(e)), name: str(G.parentName(e)), executable: str(G.parentExecutable(e)),
        commandLine: str(G.parentCommandLine(e)), workingDirectory: null, start: null, end: null, exitCode: null,
      }));
    }
    const category = G.category(e);
    if (Array.isArray(category) && category[0] === 'network') {
      const c: JournalConnection = {
        entityId: id, time: str(G.timestamp(e)) ?? '', direction: str(G.direction(e)), transport: str(G.transport(e)), ip: str(G.ip(e)),
        port: num(G.port(e)), domain: str(G.domain(e)), outcome: str(G.outcome(e)),
      };
      n.connections.push(c);
    }
  }
  const roots: TreeNode[] = [];
  for (const n of nodes.values()) {
    const parentId = n.process.parentEntityId;
    const inAlert = parentId === null ? undefined : nodes.get(parentId);
    if (inAlert !== undefined && inAlert !== n) inAlert.children.push(n);
    else if (parentId !== null) parents.get(parentId)!.children.push(n);
    else roots.push(n);
  }
  for (const [id, p] of parents) if (!nodes.has(id) && p.children.length > 0) roots.push(p);
  return roots;
}
