import type { EcsObject } from '../ecs/ecs-event.js';
import { leaderFields } from './leader-fields.js';
import { parentFields } from './parent-fields.js';
import type { ProcessCache } from './process-cache.js';
import type { ProcessEntry } from './process-entry.js';
import { startIso } from './entry-memo.js';
import { isoTime } from './iso-time.js';
import { setDefined } from './set-defined.js';
import { processUserFields } from './user-fields.js';
import type { UserDirectory } from './user-directory.js';

export interface ProcessEnd {
  readonly endMs: number;
  readonly exitCode?: number;
}

/** The full `process.*` field set of process events (exec, fork, end, already_running). */
export function processFields(e: ProcessEntry, cache: ProcessCache, users: UserDirectory, end?: ProcessEnd): EcsObject {
  const p: EcsObject = { entity_id: e.entityId, pid: e.pid };
  setDefined(p, 'name', e.name);
  setDefined(p, 'executable', e.executable);
  if (e.args !== undefined) {
    p['args'] = e.args as string[];
    p['args_count'] = e.args.length;
  }
  setDefined(p, 'command_line', e.commandLine);
  setDefined(p, 'working_directory', e.workingDirectory);
  setDefined(p, 'start', startIso(e));
  if (end !== undefined) {
    p['end'] = isoTime(end.endMs);
    setDefined(p, 'exit_code', end.exitCode);
  }
  const parent = e.ppid === undefined ? undefined : cache.peekPid(e.ppid);
  setDefined(p, 'parent', parentFields(e, parent !== undefined && parent.entityId === e.parentEntityId ? parent : undefined));
  if (e.ancestry.length > 0) p['Ext'] = { ancestry: e.ancestry };
  leaderFields(p, e, cache, true);
  processUserFields(p, e, users);
  return p;
}

/** The thin `process.*` set network events carry, as Defend's network documents do. */
export function thinProcessFields(e: ProcessEntry, cache: ProcessCache): EcsObject {
  const p: EcsObject = { entity_id: e.entityId, pid: e.pid };
  setDefined(p, 'name', e.name);
  setDefined(p, 'executable', e.executable);
  setDefined(p, 'command_line', e.commandLine);
  if (e.parentEntityId !== undefined) p['parent'] = { entity_id: e.parentEntityId };
  if (e.ancestry.length > 0) p['Ext'] = { ancestry: e.ancestry };
  leaderFields(p, e, cache, false);
  return p;
}
