import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HuntProgress } from '../../src/cli/hunt-progress.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('hunt progress: shown on a terminal (events read, rate), cleared at the end', async () => {
  let out = '';
  const p = new HuntProgress({ write: (s: string) => (out += s), isTTY: true });
  p.tick(1000);
  assert.equal(out, '', 'nothing before the first interval');
  await sleep(550);
  p.tick(250_000);
  assert.match(out, /read 250,000 events \([\d,]+\/s\)/);
  p.done();
  assert.ok(out.endsWith('\r\x1b[K'));
});

test('hunt progress: never on a pipe or a file', async () => {
  let out = '';
  const p = new HuntProgress({ write: (s: string) => (out += s), isTTY: false });
  await sleep(550);
  p.tick(250_000);
  p.done();
  assert.equal(out, '');
});
