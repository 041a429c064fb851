import { SequenceGroup } from './sequence-group.js';
import type { Sequence } from './sequence.js';

/** Join key -> one SequenceGroup per stage (the partial sequences of that key waiting at that stage). */
export class KeyToSequences {
  readonly #map = new Map<string, (SequenceGroup | undefined)[]>();

  readonly #stages: number;
  readonly #groupCap: number;

  constructor(
    stages: number,
    groupCap: number,
  ) {
    this.#stages = stages;
    this.#groupCap = groupCap;
  }

  /** Number of keys with at least one partial sequence. */
  get keys(): number {
    return this.#map.size;
  }

  groupIfPresent(stage: number, key: string): SequenceGroup | undefined {
    return this.#map.get(key)?.[stage];
  }

  groupsIfPresent(key: string): readonly (SequenceGroup | undefined)[] | undefined {
    return this.#map.get(key);
  }

  add(stage: number, sequence: Sequence, dropped: Sequence[]): void {
    let groups = this.#map.get(sequence.keyId);
    if (groups === undefined) {
      groups = new Array<SequenceGroup | undefined>(this.#stages);
      this.#map.set(sequence.keyId, groups);
    }
    let group = groups[stage];
    if (group === undefined) {
      group = new SequenceGroup(this.#groupCap);
      groups[stage] = group;
    }
    group.add(sequence, dropped);
  }

  /** Drops an emptied group, and the key once all its groups are empty (the key space is large). */
  prune(stage: number, key: string): void {
    const groups = this.#map.get(key);
    if (groups === undefined) return;
    if (groups[stage]?.isEmpty()) groups[stage] = undefined;
    for (const g of groups) if (g !== undefined) return;
    this.#map.delete(key);
  }

  /** Removes a sequence from the group of its current stage (expiry, eviction). */
  remove(sequence: Sequence): boolean {
    const group = this.groupIfPresent(sequence.currentStage, sequence.keyId);
    if (group === undefined || !group.remove(sequence)) return false;
    this.prune(sequence.currentStage, sequence.keyId);
    return true;
  }

  *allGroups(): Iterable<SequenceGroup> {
    for (const groups of this.#map.values()) for (const g of groups) if (g !== undefined) yield g;
  }

  clear(): void {
    this.#map.clear();
  }
}
