import type { EcsObject } from '../ecs/ecs-event.js';
import type { ProcessEntry } from './process-entry.js';
import { setDefined } from './set-defined.js';
import type { UserDirectory } from './user-directory.js';

function idName(id: number | undefined, name: string | undefined): EcsObject | undefined {
  if (id === undefined && name === undefined) return undefined;
  const o: EcsObject = {};
  setDefined(o, 'id', id === undefined ? undefined : String(id));
  setDefined(o, 'name', name);
  return o;
}

/** Effective ids (what the kernel checks), falling back to real ids when only those are known. */
function effective(e: ProcessEntry): { uid?: number; gid?: number } {
  return { uid: e.euid ?? e.uid, gid: e.egid ?? e.gid };
}

/** The top-level `user.*` and `group.*` field sets (effective user/group, as Defend writes them). */
export function userFields(e: ProcessEntry, users: UserDirectory): { user?: EcsObject; group?: EcsObject } {
  const { uid, gid } = effective(e);
  const user = idName(uid, e.userName ?? (uid === undefined ? undefined : users.userName(uid)));
  const group = idName(gid, e.groupName ?? (gid === undefined ? undefined : users.groupName(gid)));
  const out: { user?: EcsObject; group?: EcsObject } = {};
  if (user) out.user = user;
  if (group) out.group = group;
  return out;
}

/** `process.{user,group,real_user,real_group}` onto a process object. */
export function processUserFields(target: EcsObject, e: ProcessEntry, users: UserDirectory): void {
  const { uid, gid } = effective(e);
  setDefined(target, 'user', idName(uid, e.userName ?? (uid === undefined ? undefined : users.userName(uid))));
  setDefined(target, 'group', idName(gid, e.groupName ?? (gid === undefined ? undefined : users.groupName(gid))));
  if (e.uid !== undefined) setDefined(target, 'real_user', idName(e.uid, users.userName(e.uid)));
  if (e.gid !== undefined) setDefined(target, 'real_group', idName(e.gid, users.groupName(e.gid)));
}
