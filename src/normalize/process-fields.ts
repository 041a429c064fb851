import type { EcsObject } from '../ecs/ecs-event.js';
import { leaderFields } from './leader-fields.js';
import { parentFields } from './parent-fields.js';
import type { ProcessCache } from './process-cache.js';
import type { ProcessEntry } from './process-entry.js';

/** `process.ai_agent.{name,is_descendant}` (Defend's fields), when the process belongs to an AI-agent tool. */
function assignAiAgent(p: EcsObject, e: ProcessEntry): void {
  const t = e.aiAgent;
  if (t !== undefined) p['ai_agent'] = { name: t.name, is_descendant: t.isDescendant };
}
import { startIso } from './entry-memo.js';
import { isoTime } from './iso-time.js';
import { processUserFields } from './user-fields.js';
import type { UserDirectory } from './user-directory.js';

export interface ProcessEnd {
  readonly endMs: number;
  readonly exitCode?: number;
}

/** The full `process.*` field set of process events (exec, fork, end, already_running). */
export function processFields(e: ProcessEntry, cache: ProcessCache, users: UserDirectory, end?: ProcessEnd): EcsObject {
  const p: EcsObject = { entity_id: e.entityId, pid: e.pid };
  if (e.name !== undefined) p['name'] = e.name;
  if (e.executable !== undefined) p['executable'] = e.executable;
  if (e.args !== undefined) {
    p['args'] = e.args as string[];
    p['args_count'] = e.args.length;
  }
  if (e.commandLine !== undefined) p['command_line'] = e.commandLine;
  if (e.workingDirectory !== undefined) p['working_directory'] = e.workingDirectory;
  if (e.tty !== undefined) p['interactive'] = e.tty !== 0;
  const start = startIso(e);
  if (start !== undefined) p['start'] = start;
  if (end !== undefined) {
    p['end'] = isoTime(end.endMs);
    if (end.exitCode !== undefined) p['exit_code'] = end.exitCode;
  }
  const parentSet = parentSetOf(e, cache);
  if (parentSet !== undefined) p['parent'] = parentSet;
  if (e.ancestry.length > 0) p['Ext'] = { ancestry: e.ancestry };
  leaderFields(p, e, cache, true);
  assignAiAgent(p, e);
  processUserFields(p, e, users);
  return p;
}

/** `process.parent.*` of a process event: the live parent's fields when it is still the recorded one. */
function parentSetOf(e: ProcessEntry, cache: ProcessCache): EcsObject | undefined {
  const parent = e.ppid === undefined ? undefined : cache.peekPid(e.ppid);
  return parentFields(e, parent !== undefined && parent.entityId === e.parentEntityId ? parent : undefined);
}

/**
 * The few `process.*` fields stage gates read (GATE_FIELDS in eql/stage-gate.ts: name, executable, the
 * parent's, the AI-agent tag), each with the value processFields gives it, built without the rest.
 */
export function processGateView(e: ProcessEntry, cache: ProcessCache): EcsObject {
  const p: EcsObject = { name: e.name, executable: e.executable };
  const parentSet = parentSetOf(e, cache);
  if (parentSet !== undefined) p['parent'] = parentSet;
  assignAiAgent(p, e);
  return p;
}

/** The gate fields of the thin set network and file events carry (no parent name or path there), as thinProcessFields has them. */
export function thinGateView(e: ProcessEntry): EcsObject {
  const p: EcsObject = { name: e.name, executable: e.executable };
  assignAiAgent(p, e);
  return p;
}

/** The thin `process.*` set network events carry, as Defend's network documents do. */
export function thinProcessFields(e: ProcessEntry, cache: ProcessCache): EcsObject {
  const p: EcsObject = { entity_id: e.entityId, pid: e.pid };
  if (e.name !== undefined) p['name'] = e.name;
  if (e.executable !== undefined) p['executable'] = e.executable;
  if (e.commandLine !== undefined) p['command_line'] = e.commandLine;
  if (e.parentEntityId !== undefined) p['parent'] = { entity_id: e.parentEntityId };
  if (e.ancestry.length > 0) p['Ext'] = { ancestry: e.ancestry };
  leaderFields(p, e, cache, false);
  assignAiAgent(p, e);
  return p;
}
