import type { ProcessEntry } from './process-entry.js';
import { isoTime } from './iso-time.js';
import type { UserDirectory } from './user-directory.js';

/** `process.start` as ISO text, computed once per entry. */
export function startIso(e: ProcessEntry): string | undefined {
  if (e.startTimeMs === undefined) return undefined;
  return (e.startIso ??= isoTime(e.startTimeMs));
}

export interface ResolvedNames {
  readonly user?: string;
  readonly group?: string;
  readonly realUser?: string;
  readonly realGroup?: string;
}

/** Resolved names and the ids (and collector-given names) they were resolved for. */
export interface NamesMemo extends ResolvedNames {
  readonly uid: number | undefined;
  readonly gid: number | undefined;
  readonly realUid: number | undefined;
  readonly realGid: number | undefined;
  readonly userName: string | undefined;
  readonly groupName: string | undefined;
}

/**
 * User and group names for the entry's effective and real ids, resolved once per id set (collector-given
 * names win). Effective ids fall back to real ids when only those are known.
 */
export function resolvedNames(e: ProcessEntry, users: UserDirectory): ResolvedNames {
  const uid = e.euid ?? e.uid;
  const gid = e.egid ?? e.gid;
  const m = e.names;
  if (m !== undefined && m.uid === uid && m.gid === gid && m.realUid === e.uid && m.realGid === e.gid && m.userName === e.userName && m.groupName === e.groupName) return m;
  const user = e.userName ?? (uid === undefined ? undefined : users.userName(uid));
  const group = e.groupName ?? (gid === undefined ? undefined : users.groupName(gid));
  const realUser = e.uid === undefined ? undefined : e.uid === uid ? user : users.userName(e.uid);
  const realGroup = e.gid === undefined ? undefined : e.gid === gid ? group : users.groupName(e.gid);
  const names: NamesMemo = { uid, gid, realUid: e.uid, realGid: e.gid, userName: e.userName, groupName: e.groupName, user, group, realUser, realGroup };
  e.names = names;
  return names;
}
