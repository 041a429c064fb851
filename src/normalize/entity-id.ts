import * as crypto from 'node:crypto';

/**
 * `process.entity_id`: one recipe for every backend of every platform, so that an eBPF exec, a procfs rescan
 * and an agent restart all name the same process instance the same way.
 *
 * hash = SHA-256 over `vigil-entity-v1 NUL hostId NUL bootId NUL pid NUL startKey`, first 24 bytes, base64
 * (32 characters; Defend's ids are base64 too). `startKey` is defined per platform in RawProcess
 * (collectors/raw-event.ts); on Linux it is `/proc/<pid>/stat` field 22, which exec does not change.
 */
export function computeEntityId(hostId: string, bootId: string, pid: number, startKey: string): string {
  const input = `vigil-entity-v1\0${hostId}\0${bootId}\0${pid}\0${startKey}`;
  // 24 bytes are exactly the first 32 base64 characters of the digest
  return oneShot !== undefined
    ? oneShot('sha256', input, 'base64').slice(0, 32)
    : crypto.createHash('sha256').update(input).digest().subarray(0, 24).toString('base64');
}

/** `crypto.hash` (Node >= 20.12): a one-shot digest, several times cheaper than createHash for short inputs. */
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'base64') => string }).hash;

/** The entity id function bound to one host and boot. */
export type EntityIdOf = (pid: number, startKey: string) => string;

export function entityIdFor(hostId: string, bootId: string): EntityIdOf {
  return (pid, startKey) => computeEntityId(hostId, bootId, pid, startKey);
}
