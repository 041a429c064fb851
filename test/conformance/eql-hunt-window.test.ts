import { test } from 'node:test';
import assert from 'node:assert/strict';
import { huntWindow, TimedEventWindow } from '../../src/cli/hunt-window.js';
import { applyPipes } from '../../src/eql/apply-pipes.js';
import type { Pipe } from '../../src/eql/compiled-query.js';

const rows: Array<[string, Pipe[], number | undefined]> = [
  ['head', [{ kind: 'head', count: 3 }], undefined],
  ['tail', [{ kind: 'tail', count: 3 }], undefined],
  ['head then tail', [{ kind: 'head', count: 700 }, { kind: 'tail', count: 2 }], undefined],
  ['tail then head', [{ kind: 'tail', count: 600 }, { kind: 'head', count: 5 }], 2],
  ['size only', [], 4],
  ['unbounded', [], undefined],
];

// The bounded window must give exactly what sorting everything and applying the pipes gives.
for (const [name, pipes, size] of rows) {
  test(`hunt window: ${name} keeps what the pipes and --size print`, () => {
    const n = 5000;
    const items = Array.from({ length: n }, (_, i) => ({ event: { i }, timestamp: (i * 7919) % 1013, tiebreaker: i % 3, index: i }));
    const win = new TimedEventWindow(huntWindow(pipes, size));
    for (const it of items) win.push(it);
    const all = [...items].sort((a, b) => a.timestamp - b.timestamp || a.tiebreaker - b.tiebreaker || a.index - b.index);
    let expected = applyPipes(all, pipes);
    let got = applyPipes(win.sorted(), pipes);
    if (size !== undefined) {
      expected = expected.slice(0, size);
      got = got.slice(0, size);
    }
    assert.deepEqual(got.map((x) => x.index), expected.map((x) => x.index));
    if (huntWindow(pipes, size) !== null) assert.ok(win.dropped > 0, 'the window dropped events while reading');
  });
}
