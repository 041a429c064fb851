import type { EcsObject } from '../ecs/ecs-event.js';
import type { ProcessEntry } from './process-entry.js';
import { startIso } from './entry-memo.js';
import { setDefined } from './set-defined.js';

/**
 * `process.parent.*`: the full set from the cached parent; only entity id and pid when the parent was never
 * seen (its entity id then comes from the collector's parentStartKey).
 */
export function parentFields(e: ProcessEntry, parent: ProcessEntry | undefined): EcsObject | undefined {
  if (e.parentEntityId === undefined && e.ppid === undefined) return undefined;
  const p: EcsObject = {};
  setDefined(p, 'entity_id', e.parentEntityId);
  setDefined(p, 'pid', e.ppid);
  if (parent === undefined) return p;
  setDefined(p, 'name', parent.name);
  setDefined(p, 'executable', parent.executable);
  if (parent.args !== undefined) {
    p['args'] = parent.args as string[];
    p['args_count'] = parent.args.length;
  }
  setDefined(p, 'command_line', parent.commandLine);
  setDefined(p, 'working_directory', parent.workingDirectory);
  setDefined(p, 'start', startIso(parent));
  return p;
}
