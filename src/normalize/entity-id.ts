import { createHash } from 'node:crypto';

/**
 * `process.entity_id`: one recipe for every backend of every platform, so that an eBPF exec, a procfs rescan
 * and an agent restart all name the same process instance the same way.
 *
 * hash = SHA-256 over `vigil-entity-v1 NUL hostId NUL bootId NUL pid NUL startKey`, first 24 bytes, base64
 * (32 characters; Defend's ids are base64 too). `startKey` is defined per platform in RawProcess
 * (collectors/raw-event.ts); on Linux it is `/proc/<pid>/stat` field 22, which exec does not change.
 */
export function computeEntityId(hostId: string, bootId: string, pid: number, startKey: string): string {
  return createHash('sha256')
    .update(`vigil-entity-v1\0${hostId}\0${bootId}\0${pid}\0${startKey}`)
    .digest()
    .subarray(0, 24)
    .toString('base64');
}

/** The entity id function bound to one host and boot. */
export type EntityIdOf = (pid: number, startKey: string) => string;

export function entityIdFor(hostId: string, bootId: string): EntityIdOf {
  return (pid, startKey) => computeEntityId(hostId, bootId, pid, startKey);
}
