import type { Sequence } from './sequence.js';

/** Min-heap of pending sequences by `deadline` (ties by creation id), for trailing missing-event verdicts. */
export class DeadlineHeap {
  private readonly items: Sequence[] = [];

  get size(): number {
    return this.items.length;
  }

  push(s: Sequence): void {
    const a = this.items;
    a.push(s);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  peek(): Sequence | undefined {
    return this.items[0];
  }

  pop(): Sequence | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l]!, a[m]!)) m = l;
        if (r < a.length && less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}

function less(a: Sequence, b: Sequence): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.id < b.id);
}
