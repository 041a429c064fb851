import type { EcsObject } from '../ecs/ecs-event.js';
import type { RawFile } from '../collectors/raw-event.js';
import type { EventOutcome } from './event-fields.js';
import type { UserDirectory } from './user-directory.js';

/** `event.outcome` of a file syscall: a negative result is an errno. */
export function fileOutcome(result: number | undefined): EventOutcome | undefined {
  if (result === undefined) return undefined;
  return result < 0 ? 'failure' : 'success';
}

/** The separator of a path as the platform writes it (Windows paths use `\`). */
function cutAt(path: string): number {
  return Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
}

/** name, extension (after the last dot of a name that does not start with it), directory. */
function nameParts(path: string, target: EcsObject): void {
  const cut = cutAt(path);
  const name = path.slice(cut + 1);
  target['name'] = name;
  const dot = name.lastIndexOf('.');
  if (dot > 0 && dot < name.length - 1) target['extension'] = name.slice(dot + 1);
  if (cut > 0) target['directory'] = path.slice(0, cut);
  else if (cut === 0) target['directory'] = path.slice(0, 1);
}

/** st_mode permission bits as Defend/ECS write `file.mode`: octal text, e.g. "0644". */
function modeText(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/**
 * The `file.*` field set of a file event, as Defend writes it: path, name, extension, directory, and when the
 * collector read the inode: inode, size, mode, uid, gid, owner, group; a rename's old path and name in
 * `file.Ext.original`.
 */
export function assignFileFields(doc: EcsObject, raw: RawFile, users: UserDirectory): void {
  const f: EcsObject = { path: raw.path };
  nameParts(raw.path, f);
  if (raw.inode !== undefined) f['inode'] = String(raw.inode);
  if (raw.size !== undefined) f['size'] = raw.size;
  if (raw.mode !== undefined) f['mode'] = modeText(raw.mode);
  if (raw.uid !== undefined) {
    f['uid'] = String(raw.uid);
    const owner = users.userName(raw.uid);
    if (owner !== undefined) f['owner'] = owner;
  }
  if (raw.gid !== undefined) {
    f['gid'] = String(raw.gid);
    const group = users.groupName(raw.gid);
    if (group !== undefined) f['group'] = group;
  }
  if (raw.originalPath !== undefined) {
    const original: EcsObject = { path: raw.originalPath };
    original['name'] = raw.originalPath.slice(cutAt(raw.originalPath) + 1);
    f['Ext'] = { original };
  }
  doc['file'] = f;
}
