import type { EcsObject } from '../ecs/ecs-event.js';
import type { ProcessCache } from './process-cache.js';
import { BoundedMemo } from '../bounded-memo.js';
import type { ProcessEntry } from './process-entry.js';

/** Leader sets remembered by entity id (frozen, shared: a session's processes all name the same leaders). */
const LEADERS_MAX = 4096;
const withPids = new BoundedMemo<string, EcsObject>(LEADERS_MAX);
const idsOnly = new BoundedMemo<string, EcsObject>(LEADERS_MAX);

function leader(e: ProcessEntry, pid: number | undefined, cache: ProcessCache, withPid: boolean): EcsObject | undefined {
  if (pid === undefined || pid <= 0) return undefined;
  const entityId = pid === e.pid ? e.entityId : cache.peekPid(pid)?.entityId;
  if (entityId === undefined) return withPid ? { pid } : undefined;
  const memo = withPid ? withPids : idsOnly;
  let fields = memo.get(entityId);
  if (fields === undefined || (withPid && fields['pid'] !== pid)) {
    fields = memo.set(entityId, Object.freeze(withPid ? { entity_id: entityId, pid } : { entity_id: entityId }));
  }
  return fields;
}

/** `process.group_leader` and `process.session_leader` (entity id when the leader is known, and pid). */
export function leaderFields(target: EcsObject, e: ProcessEntry, cache: ProcessCache, withPid: boolean): void {
  const g = leader(e, e.groupLeaderPid, cache, withPid);
  const s = leader(e, e.sessionLeaderPid, cache, withPid);
  if (g) target['group_leader'] = g;
  if (s) target['session_leader'] = s;
}
