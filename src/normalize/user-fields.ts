import type { EcsObject } from '../ecs/ecs-event.js';
import { BoundedMemo } from '../bounded-memo.js';
import { resolvedNames } from './entry-memo.js';
import type { ProcessEntry } from './process-entry.js';
import type { UserDirectory } from './user-directory.js';

/** Ids whose `{id, name, domain}` object is remembered (cleared when full: a few users run most processes). */
const ID_NAMES_MAX = 4096;
const idNames = new BoundedMemo<number | string, EcsObject>(ID_NAMES_MAX);

/**
 * `{id, name, domain}` of a user or group: one frozen object per id and names, shared by the documents that
 * carry it (the same few users and groups are on almost every document).
 */
function idName(id: number | string | undefined, name: string | undefined, domain?: string): EcsObject | undefined {
  if (id === undefined && name === undefined) return undefined;
  if (id !== undefined) {
    const known = idNames.get(id);
    if (known !== undefined && known['name'] === name && known['domain'] === domain) return known;
  }
  const o: EcsObject = {};
  if (id !== undefined) o['id'] = String(id);
  if (name !== undefined) o['name'] = name;
  if (domain !== undefined) o['domain'] = domain;
  Object.freeze(o);
  if (id !== undefined) idNames.set(id, o);
  return o;
}

/**
 * The top-level `user.*` and `group.*` field sets onto a document (effective user/group, as Defend writes them;
 * on Windows the SID as user.id and the account domain as user.domain).
 */
export function assignUserFields(doc: EcsObject, e: ProcessEntry, users: UserDirectory): void {
  const n = resolvedNames(e, users);
  const user = idName(e.userId ?? e.euid ?? e.uid, n.user, e.userDomain);
  if (user !== undefined) doc['user'] = user;
  const group = idName(e.egid ?? e.gid, n.group);
  if (group !== undefined) doc['group'] = group;
}

/**
 * `process.{user,group,real_user,real_group}` onto a process object: numeric ids (Linux, macOS) with their
 * names. A Windows account (a SID, no uid) is only on the top-level `user.*`, as Defend writes it.
 */
export function processUserFields(target: EcsObject, e: ProcessEntry, users: UserDirectory): void {
  const uid = e.euid ?? e.uid;
  const gid = e.egid ?? e.gid;
  if (uid === undefined && gid === undefined) return;
  const n = resolvedNames(e, users);
  if (uid !== undefined) target['user'] = idName(uid, n.user)!;
  if (gid !== undefined) target['group'] = idName(gid, n.group)!;
  if (e.uid !== undefined) target['real_user'] = idName(e.uid, n.realUser)!;
  if (e.gid !== undefined) target['real_group'] = idName(e.gid, n.realGroup)!;
}
