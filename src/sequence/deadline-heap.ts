import { MinHeap } from '../min-heap.js';
import type { Sequence } from './sequence.js';

/** Min-heap of pending sequences by `deadline` (ties by creation id), for trailing missing-event verdicts. */
export class DeadlineHeap extends MinHeap<Sequence> {
  constructor() {
    super((a, b) => a.deadline < b.deadline || (a.deadline === b.deadline && a.id < b.id));
  }
}
