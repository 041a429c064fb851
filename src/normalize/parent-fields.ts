import type { EcsObject } from '../ecs/ecs-event.js';
import type { ProcessEntry } from './process-entry.js';
import { startIso } from './entry-memo.js';

/**
 * A parent's `process.parent.*` set with what it was built from: reused (frozen, shared by the documents of
 * all its children) while the parent's fields are the same values.
 */
export interface ParentMemo {
  readonly name: string | undefined;
  readonly executable: string | undefined;
  readonly args: readonly string[] | undefined;
  readonly commandLine: string | undefined;
  readonly workingDirectory: string | undefined;
  readonly tty: number | undefined;
  readonly start: string | undefined;
  readonly fields: EcsObject;
}

/**
 * `process.parent.*`: the full set from the cached parent; only entity id and pid when the parent was never
 * seen (its entity id then comes from the collector's parentStartKey). `parent`, when given, is the entry of
 * `e.ppid` whose entity id is `e.parentEntityId`.
 */
export function parentFields(e: ProcessEntry, parent: ProcessEntry | undefined): EcsObject | undefined {
  if (e.parentEntityId === undefined && e.ppid === undefined) return undefined;
  if (parent === undefined) {
    const p: EcsObject = {};
    if (e.parentEntityId !== undefined) p['entity_id'] = e.parentEntityId;
    if (e.ppid !== undefined) p['pid'] = e.ppid;
    return p;
  }
  const start = startIso(parent);
  const m = parent.asParent;
  if (
    m !== undefined && m.name === parent.name && m.executable === parent.executable && m.args === parent.args &&
    m.commandLine === parent.commandLine && m.workingDirectory === parent.workingDirectory && m.tty === parent.tty && m.start === start
  ) {
    return m.fields;
  }
  const p: EcsObject = { entity_id: parent.entityId, pid: parent.pid };
  if (parent.name !== undefined) p['name'] = parent.name;
  if (parent.executable !== undefined) p['executable'] = parent.executable;
  if (parent.args !== undefined) {
    p['args'] = parent.args as string[];
    p['args_count'] = parent.args.length;
  }
  if (parent.commandLine !== undefined) p['command_line'] = parent.commandLine;
  if (parent.workingDirectory !== undefined) p['working_directory'] = parent.workingDirectory;
  if (parent.tty !== undefined) p['interactive'] = parent.tty !== 0;
  if (start !== undefined) p['start'] = start;
  Object.freeze(p);
  parent.asParent = {
    name: parent.name, executable: parent.executable, args: parent.args, commandLine: parent.commandLine,
    workingDirectory: parent.workingDirectory, tty: parent.tty, start, fields: p,
  };
  return p;
}
