import type { JournalAlert, JournalConnection, JournalFile, JournalProcess, SessionDetail } from './journal-reader.js';

/** One process of a session with what it did; children in start order. */
export interface TreeNode {
  readonly process: JournalProcess;
  readonly children: TreeNode[];
  readonly files: JournalFile[];
  readonly connections: JournalConnection[];
  readonly alerts: JournalAlert[];
}

/**
 * The session's processes as a tree: each under its parent by entity id; the session's root first. A process
 * whose parent is not in the journal (over the cap, or started before the journal) hangs under the root, and
 * the files, connections and alerts of processes whose rows were not kept are shown on the root.
 * Iterative (a 10,000-deep chain of shells cannot overflow the stack).
 */
export function buildSessionTree(detail: SessionDetail): TreeNode[] {
  const nodes = new Map<string, TreeNode>();
  for (const p of detail.processes) nodes.set(p.entityId, { process: p, children: [], files: [], connections: [], alerts: [] });
  const root = nodes.get(detail.session.entityId);
  // what a process over the cap did (its own row was not kept) is shown on the root
  const owner = (entityId: string): TreeNode | undefined => nodes.get(entityId) ?? root;
  for (const f of detail.files) owner(f.entityId)?.files.push(f);
  for (const c of detail.connections) owner(c.entityId)?.connections.push(c);
  for (const a of detail.alerts) owner(a.entityId)?.alerts.push(a);
  const roots: TreeNode[] = root === undefined ? [] : [root];
  for (const node of nodes.values()) {
    if (node === root) continue;
    const parentId = node.process.parentEntityId;
    const parent = parentId === null ? undefined : nodes.get(parentId);
    if (parent !== undefined && parent !== node) parent.children.push(node);
    else if (root !== undefined) root.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Indentation levels kept for drawing; deeper nodes show the depth instead of more guides. */
export const MAX_DRAWN_DEPTH = 40;

/**
 * Depth-first walk without recursion: `visit(node, depth, lasts)` where `lasts` says, for each drawn level
 * (at most MAX_DRAWN_DEPTH, the deepest ones), whether the node on that level is the last of its siblings.
 */
export function walkTree(roots: readonly TreeNode[], visit: (node: TreeNode, depth: number, lasts: readonly boolean[]) => void): void {
  const stack: Array<{ node: TreeNode; depth: number; lasts: boolean[] }> = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ node: roots[i]!, depth: 0, lasts: [i === roots.length - 1] });
  while (stack.length > 0) {
    const { node, depth, lasts } = stack.pop()!;
    visit(node, depth, lasts);
    const kids = node.children;
    const base = lasts.length < MAX_DRAWN_DEPTH ? lasts : lasts.slice(1);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, depth: depth + 1, lasts: [...base, i === kids.length - 1] });
  }
}
