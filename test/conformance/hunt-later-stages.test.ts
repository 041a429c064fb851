import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runHunt, type HuntOptions } from '../../src/cli/hunt.js';
import { compileQuery, EqlError } from '../../src/eql/index.js';
import { nativeLineScan } from '../../src/eql/native-line-scan.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { randomEvents, randomQuery, type Rand } from './hunt-differential-corpus.js';

/**
 * Later-stage lines of a sequence are read on their key first and dropped when no first-stage candidate holds
 * it (src/cli/hunt-later-stages.ts). The lines come out of time order here (a first-stage event often lies
 * further down than the later-stage event it joins), some without a readable time, and the hunt reads them
 * from a file (held lines read again from it) and from stdin (held lines copied, spilled past a small
 * budget): the output must be what `--no-prefilter` prints, and the path must have been taken.
 */
async function run(options: HuntOptions, text: string): Promise<{ out: string; held: number; dropped: number }> {
  let stdout = '';
  let stderr = '';
  const s = await runHunt(options, {
    stdin: Readable.from([Buffer.from(text, 'utf8')]),
    stdout: { write: (x: string) => (stdout += x) },
    stderr: { write: (x: string) => (stderr += x), isTTY: false },
  });
  return { out: `${s.exitCode}\n${stdout}\n--\n${stderr}`, held: s.laterStages?.held ?? 0, dropped: s.laterStages?.dropped ?? 0 };
}

function shuffled(r: Rand, text: string): string {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  // Some events without a readable time: counted the same whether their line was held or not.
  return lines.map((l) => (r() < 0.05 ? l.replace('"@timestamp":', '"@time":') : l)).join('\n');
}

test('later-stage lines dropped on their key: the same output as without the prefilter, from a file and from stdin', async () => {
  const r = seededRandom(0x1a7e5);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-later-stages-'));
  try {
    let held = 0;
    let dropped = 0;
    let queries = 0;
    for (let corpus = 0; corpus < 2; corpus++) {
      const text = shuffled(r, randomEvents(r, 400));
      const file = join(dir, `events-${corpus}.ndjson`);
      writeFileSync(file, text);
      // Plain shapes first (most later-stage lines join something), then fuzzed ones.
      const plain = [
        'sequence by user.name [process where event.category == "process"] [network where event.category == "network"]',
        'sequence by user.name with maxspan=5ms [file where event.category == "file"] [process where event.category == "process"]',
        'sequence by user.name [process where process.name : "curl"] [network where event.category == "network"] [file where event.category == "file"]',
      ];
      for (let q = 0, valid = 0; valid < 60 && q < 2000; q++) {
        const query = plain[q] ?? randomQuery(r);
        if (!query.startsWith('sequence')) continue;
        try {
          compileQuery(query);
        } catch (err) {
          if (err instanceof EqlError) continue;
          throw err;
        }
        valid++;
        queries++;
        const base = { query, tiebreakerField: 'serial' };
        const off = await run({ ...base, events: file, prefilter: false }, text);
        for (const nativeScan of nativeLineScan() === null ? [false] : [true, false]) {
          for (const events of [file, '-']) {
            const on = await run({ ...base, events, nativeScan, keptLineBytes: 2000 }, text);
            assert.equal(on.out, off.out, `${query} (${events === '-' ? 'stdin' : 'file'}, ${nativeScan ? 'C' : 'JavaScript'})`);
            held += on.held;
            dropped += on.dropped;
          }
        }
      }
    }
    assert.ok(queries >= 100, `only ${queries} sequence queries`);
    assert.ok(dropped > 0, 'no later-stage line was dropped: the test would prove little');
    assert.ok(held > dropped, 'no held line joined a first-stage event read after it');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the seed-shaped sequence: a network event before its process event in the file still joins', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-later-stages-'));
  try {
    const proc = { '@timestamp': '2025-01-15T08:00:00.000Z', event: { category: ['process'], type: ['start'] }, process: { entity_id: 'E1', name: 'base64' } };
    const net = { '@timestamp': '2025-01-15T08:00:01.000Z', event: { category: ['network'], type: ['start'], action: 'connection_attempted' }, destination: { ip: '8.8.8.8' }, process: { entity_id: 'E1' } };
    const other = { ...net, process: { entity_id: 'E2' } };
    const text = [JSON.stringify(other), JSON.stringify(net), '{"broken":', JSON.stringify(proc)].join('\n') + '\n';
    const file = join(dir, 'ev.ndjson');
    writeFileSync(file, text);
    const query = 'sequence by process.entity_id with maxspan=30s [process where event.type == "start" and process.name == "base64"] [network where event.action == "connection_attempted" and not cidrmatch(destination.ip, "10.0.0.0/8")]';
    const off = await run({ query, events: file, prefilter: false }, text);
    const on = await run({ query, events: file }, text);
    assert.equal(on.out, off.out);
    assert.match(on.out, /"E1"/);
    assert.match(on.out, /line 3: skipped malformed input/);
    assert.deepEqual([on.held, on.dropped], [2, 1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
