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

test('JSON array: a broken array is one malformed input with the line of the error', async () => {
  const bad: MalformedInput[] = [];
  const { events } = await readAllEvents(Readable.from(['[{"a":1},\n{"b":\n']), { onMalformed: (m) => bad.push(m) });
  assert.deepEqual(events, []);
  assert.equal(bad.length, 1);
  assert.ok(bad[0]!.line >= 2, JSON.stringify(bad[0]));
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
