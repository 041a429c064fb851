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

/**
 * User and group names for the entry's effective and real ids, resolved once per id set (collector-given
 * names win). Effective ids fall back to real ids when only those are known.
 */
export function resolvedNames(e: ProcessEntry, users: UserDirectory): ResolvedNames {
  const uid = e.euid ?? e.uid;
  const gid = e.egid ?? e.gid;
  const ids = `${uid}:${gid}:${e.uid}:${e.gid}:${e.userName ?? ''}:${e.groupName ?? ''}`;
  if (e.names !== undefined && e.names.ids === ids) return e.names;
  const names: { ids: string; user?: string; group?: string; realUser?: string; realGroup?: string } = { ids };
  const user = e.userName ?? (uid === undefined ? undefined : users.userName(uid));
  const group = e.groupName ?? (gid === undefined ? undefined : users.groupName(gid));
  if (user !== undefined) names.user = user;
  if (group !== undefined) names.group = group;
  if (e.uid !== undefined) {
    const n = e.uid === uid ? user : users.userName(e.uid);
    if (n !== undefined) names.realUser = n;
  }
  if (e.gid !== undefined) {
    const n = e.gid === gid ? group : users.groupName(e.gid);
    if (n !== undefined) names.realGroup = n;
  }
  e.names = names;
  return names;
}
