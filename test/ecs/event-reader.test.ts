import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { EventReader, readAllEvents, type MalformedInput } from '../../src/ecs/event-reader.js';

/** Feeds text in chunks of `size` characters (splits lines and multi-byte characters across chunks). */
function chunks(text: string, size: number): Readable {
  const buf = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return Readable.from(parts);
}

test('NDJSON: objects per line, blank lines and CRLF fine, malformed lines counted with line numbers', async () => {
  const text = '{"a":1}\r\n\n{"b":"é"}\nnot json\n[1,2]\n{"c":3}';
  for (const size of [1, 3, 7, 1000]) {
    const bad: MalformedInput[] = [];
    const { events, stats } = await readAllEvents(chunks(text, size), { onMalformed: (m) => bad.push(m) });
    assert.deepEqual(events, [{ a: 1 }, { b: 'é' }, { c: 3 }], `chunk size ${size}`);
    assert.deepEqual(bad.map((m) => m.line), [4, 5]);
    assert.match(bad[1]!.reason, /expected a JSON object/);
    assert.equal(stats.malformed, 2);
    assert.equal(stats.events, 3);
    assert.equal(stats.lines, 6);
    assert.equal(stats.format, 'ndjson');
  }
});

test('JSON array: detected from the first non-space character, non-objects skipped', async () => {
  const bad: MalformedInput[] = [];
  const { events, stats } = await readAllEvents(chunks('  \n[{"a":1},\n 2, {"b":2}]\n', 4), { onMalformed: (m) => bad.push(m) });
  assert.deepEqual(events, [{ a: 1 }, { b: 2 }]);
  assert.equal(stats.format, 'json-array');
  assert.equal(bad.length, 1);
  assert.match(bad[0]!.reason, /element 1/);
});

test('JSON array: a broken array is one malformed input with its line; elements before the break are kept', async () => {
  const bad: MalformedInput[] = [];
  const { events } = await readAllEvents(Readable.from(['[{"a":1},\n{"b":\n']), { onMalformed: (m) => bad.push(m) });
  assert.deepEqual(events, [{ a: 1 }]);
  assert.equal(bad.length, 1);
  assert.ok(bad[0]!.line >= 2, JSON.stringify(bad[0]));
  assert.match(bad[0]!.reason, /invalid JSON array/);
});

test('JSON array: streamed element by element, strings and nesting respected, in any chunking', async () => {
  const text = '[\n {"a":"x]}\\"y", "n":[1,{"b":2}]},\n "s", 3 ,{"c":"\u00e9"}, null,\n{"d":[]}\n]\n';
  for (const size of [1, 2, 5, 1000]) {
    const bad: MalformedInput[] = [];
    const { events, stats } = await readAllEvents(chunks(text, size), { onMalformed: (m) => bad.push(m) });
    assert.deepEqual(events, [{ a: 'x]}"y', n: [1, { b: 2 }] }, { c: 'é' }, { d: [] }], `chunk size ${size}`);
    assert.deepEqual(bad.map((m) => [m.line, m.reason]), [
      [3, 'array element 1 is not a JSON object'], [3, 'array element 2 is not a JSON object'], [3, 'array element 4 is not a JSON object'],
    ]);
    assert.equal(stats.format, 'json-array');
    assert.equal(stats.lines, 6);
  }
});

test('JSON array: an element over the cap is malformed, the next ones are still read; trailing data is reported', async () => {
  const bad: MalformedInput[] = [];
  const big = `{"x":"${'y'.repeat(100)}"}`;
  const { events } = await readAllEvents(chunks(`[${big},\n{"ok":1}] x`, 7), { maxLineBytes: 32, onMalformed: (m) => bad.push(m) });
  assert.deepEqual(events, [{ ok: 1 }]);
  assert.deepEqual(bad.map((m) => m.line), [1, 2]);
  assert.match(bad[0]!.reason, /element 0 longer than 32 bytes/);
  assert.match(bad[1]!.reason, /unexpected data after the array/);
});

test('JSON array: events come before the array ends (not read whole)', async () => {
  async function* slow(): AsyncGenerator<string> {
    yield '[{"n":1},';
    await new Promise((r) => setTimeout(r, 20));
    yield '{"n":2}]';
  }
  const it = new EventReader().read(slow());
  assert.deepEqual((await it.next()).value, { n: 1 });
});

test('empty input yields nothing', async () => {
  const { events, stats } = await readAllEvents(Readable.from(['  \n\n']));
  assert.deepEqual(events, []);
  assert.equal(stats.malformed, 0);
});

test('an over-long line is malformed and the reader resynchronises on the next line', async () => {
  const reader = new EventReader({ maxLineBytes: 16 });
  const out: unknown[] = [];
  const long = '{"x":"' + 'y'.repeat(100) + '"}';
  for await (const e of reader.read(chunks(`${long}\n{"ok":1}\n`, 8))) out.push(e);
  assert.deepEqual(out, [{ ok: 1 }]);
  assert.equal(reader.stats.malformed, 1);
});

test('the reader streams: events come before the input ends', async () => {
  async function* slow(): AsyncGenerator<string> {
    yield '{"n":1}\n';
    await new Promise((r) => setTimeout(r, 20));
    yield '{"n":2}\n';
  }
  const reader = new EventReader();
  const it = reader.read(slow());
  const first = await it.next();
  assert.deepEqual(first.value, { n: 1 });
  assert.equal(reader.stats.bytes, 8);
  const rest: unknown[] = [];
  for await (const e of it) rest.push(e);
  assert.deepEqual(rest, [{ n: 2 }]);
});

test('a UTF-8 byte order mark is skipped (NDJSON and JSON array)', async () => {
  const bom = '\ufeff';
  assert.deepEqual((await readAllEvents(Readable.from([Buffer.from(`${bom}{"a":1}\n{"b":2}\n`)]))).events, [{ a: 1 }, { b: 2 }]);
  assert.deepEqual((await readAllEvents(Readable.from([Buffer.from(`${bom}[{"a":1}]`)]))).events, [{ a: 1 }]);
});

/** `n` bytes of `fill` without a newline, in chunks of `chunk` bytes, never allocated whole. */
async function* longLine(n: number, chunk: number, fill = 0x61): AsyncGenerator<Buffer> {
  const piece = Buffer.alloc(chunk, fill);
  for (let sent = 0; sent < n; sent += chunk) yield piece.subarray(0, Math.min(chunk, n - sent));
}

test('a 200 MB single-line input is refused with a clear message in bounded memory', async () => {
  const bad: MalformedInput[] = [];
  const reader = new EventReader({ onMalformed: (m) => bad.push(m) });
  const before = process.memoryUsage().rss;
  let peak = before;
  async function* input(): AsyncGenerator<Buffer> {
    let i = 0;
    for await (const c of longLine(200 * 1024 * 1024, 1 << 20)) {
      if ((++i & 15) === 0) peak = Math.max(peak, process.memoryUsage().rss);
      yield c;
    }
    yield Buffer.from('\n{"after":1}\n');
  }
  const out: unknown[] = [];
  for await (const e of reader.read(input())) out.push(e);
  assert.deepEqual(out, [{ after: 1 }]);
  assert.deepEqual(bad, [{ line: 1, reason: 'line longer than 67108864 bytes' }]);
  // The cap is 64 MiB: the reader holds at most that much of the line, never the 200 MB.
  assert.ok(peak - before < 150 * 1024 * 1024, `rss grew by ${Math.round((peak - before) / 1048576)} MiB`);
});

test('a long line in small chunks is joined once (linear, not a re-copy per chunk)', async () => {
  // 24 MiB in 8 KiB chunks: 3072 chunks. Re-copying the partial line per chunk would move ~37 GB.
  const n = 24 * 1024 * 1024;
  async function* input(): AsyncGenerator<Buffer> {
    yield Buffer.from('{"x":"');
    yield* longLine(n, 8192, 0x62);
    yield Buffer.from('"}\n');
  }
  const started = Date.now();
  const { events } = await readAllEvents(input());
  assert.equal(events.length, 1);
  assert.equal((events[0] as { x: string }).x.length, n);
  assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
});

test('a selector: unselected object-shaped lines are counted, not parsed; other lines are parsed and reported', async () => {
  const bad: MalformedInput[] = [];
  const text = '{"keep":1}\n{"skip":1}\n\n{broken but shaped}\nnot json\n{"skip":2}\n{"keep":2}\n';
  const { events, stats } = await readAllEvents(chunks(text, 5), {
    onMalformed: (m) => bad.push(m),
    select: (run, out) => {
      run.starts.forEach((s, i) => (out[i] = run.buf.toString('utf8', s, run.ends[i]).includes('keep') ? 1 : 0));
      return true;
    },
  });
  assert.deepEqual(events, [{ keep: 1 }, { keep: 2 }]);
  assert.deepEqual(bad.map((m) => m.line), [5]);
  assert.equal(stats.skipped, 3);
  assert.equal(stats.events, 5);
  assert.equal(stats.lines, 7);
});
