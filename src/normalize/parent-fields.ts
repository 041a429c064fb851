import type { EcsObject } from '../ecs/ecs-event.js';
import type { ProcessEntry } from './process-entry.js';
import { startIso } from './entry-memo.js';

/**
 * `process.parent.*`: the full set from the cached parent; only entity id and pid when the parent was never
 * seen (its entity id then comes from the collector's parentStartKey).
 */
export function parentFields(e: ProcessEntry, parent: ProcessEntry | undefined): EcsObject | undefined {
  if (e.parentEntityId === undefined && e.ppid === undefined) return undefined;
  const p: EcsObject = {};
  if (e.parentEntityId !== undefined) p['entity_id'] = e.parentEntityId;
  if (e.ppid !== undefined) p['pid'] = e.ppid;
  if (parent === undefined) return p;
  if (parent.name !== undefined) p['name'] = parent.name;
  if (parent.executable !== undefined) p['executable'] = parent.executable;
  if (parent.args !== undefined) {
    p['args'] = parent.args as string[];
    p['args_count'] = parent.args.length;
  }
  if (parent.commandLine !== undefined) p['command_line'] = parent.commandLine;
  if (parent.workingDirectory !== undefined) p['working_directory'] = parent.workingDirectory;
  if (parent.tty !== undefined) p['interactive'] = parent.tty !== 0;
  const start = startIso(parent);
  if (start !== undefined) p['start'] = start;
  return p;
}
