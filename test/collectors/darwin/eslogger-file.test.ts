import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ES_FILE_EVENT_KINDS, ES_FILE_EVENT_TYPE, esFileChange, type EsFileChange, type EsFileEventKind } from '../../../src/collectors/darwin/eslogger-file.js';
import { fixtureLines } from './darwin-test-helpers.js';

// Lines written from Apple's Endpoint Security JSON schema (ESMessage.h structs as eslogger serialises them):
// one per file event kind, a rename across directories, a rename over an existing file, a close without
// modification, a malformed unlink, a truncated path; a path holding bytes that are not UTF-8 in its own file.
interface Line {
  readonly event_type: number;
  readonly event: Record<string, unknown>;
}

function read(name: string): { kind: EsFileEventKind; type: number; result: EsFileChange | null | string }[] {
  return fixtureLines(name).map((l) => {
    const m = JSON.parse(l) as Line;
    const kind = Object.keys(m.event)[0] as EsFileEventKind;
    return { kind, type: m.event_type, result: esFileChange(kind, m.event[kind]) };
  });
}

test('eslogger file events: every kind read into the change Defend reports on macOS', () => {
  const rows = read('eslogger-files.jsonl');
  for (const r of rows) assert.equal(r.type, ES_FILE_EVENT_TYPE[r.kind], `event_type of ${r.kind}`);
  assert.deepEqual([...new Set(rows.map((r) => r.kind))].sort(), [...ES_FILE_EVENT_KINDS].sort(), 'the fixture covers every subscribed kind');
  const [createNew, createExisting, write, closeModified, closeClean, truncate, renameAcross, renameOver, unlink, openCred, openPlain, openRw, setmode, setowner, bad, cut] =
    rows.map((r) => r.result);
  assert.deepEqual(createNew, { action: 'creation', path: '/Users/dev/Projects/app/notes.md', mode: 420 });
  assert.deepEqual(createExisting, {
    action: 'creation', path: '/Users/dev/Projects/app/out.log', size: 0, mode: 33188, uid: 501, gid: 20,
  }, 'an inode past 2^53 (1152921500320000011) is not exact after JSON.parse: left out');
  assert.equal((rows[9]!.result as EsFileChange).inode, 20466119);
  assert.equal((write as EsFileChange).action, 'modification');
  assert.equal((write as EsFileChange).size, 512);
  assert.equal((closeModified as EsFileChange).action, 'modification');
  assert.equal(closeClean, null, 'a close of an unmodified file reports nothing');
  assert.equal((truncate as EsFileChange).action, 'modification');
  assert.deepEqual(
    { action: (renameAcross as EsFileChange).action, path: (renameAcross as EsFileChange).path, originalPath: (renameAcross as EsFileChange).originalPath },
    { action: 'rename', path: '/Users/dev/Archive/2026/notes-old.md', originalPath: '/Users/dev/Projects/app/notes.md' },
    'a rename across directories keeps both full paths',
  );
  assert.equal((renameAcross as EsFileChange).size, 10, 'the stat is the renamed file');
  assert.equal((renameOver as EsFileChange).path, '/Users/dev/.zshrc');
  assert.equal((renameOver as EsFileChange).originalPath, '/Users/dev/.zshrc.tmp');
  assert.equal((unlink as EsFileChange).action, 'deletion');
  assert.equal((unlink as EsFileChange).path, '/Users/dev/Projects/app/out.log');
  assert.deepEqual([openCred, openPlain, openRw].map((o) => [(o as EsFileChange).action, (o as EsFileChange).path, (o as EsFileChange).access]), [
    ['open', '/Users/dev/.aws/credentials', 'read'],
    ['open', '/Users/dev/Projects/app/package.json', 'read'],
    ['open', '/Users/dev/.ssh/known_hosts', 'read_write'],
  ]);
  assert.equal((setmode as EsFileChange).action, 'attributes_modified');
  assert.equal((setowner as EsFileChange).action, 'attributes_modified');
  assert.equal(bad, 'event.unlink.target.path missing');
  assert.equal((cut as EsFileChange).pathTruncated, true);
});

test('eslogger file events: a path with bytes that are not UTF-8 arrives with U+FFFD, nothing else lost', () => {
  const [row] = read('eslogger-files-raw-bytes.jsonl');
  const c = row!.result as EsFileChange;
  assert.equal(c.action, 'creation');
  assert.equal(c.path, '/Users/dev/Downloads/caf\uFFFD\uFFFD.txt');
});

test('eslogger file events: malformed shapes give a reason, never a throw', () => {
  const rows: readonly [EsFileEventKind, unknown, string][] = [
    ['create', null, 'event.create is not an object'],
    ['create', { destination_type: 1 }, 'event.create.destination missing'],
    ['create', { destination_type: 1, destination: { new_path: { dir: { path: '/tmp' } } } }, 'event.create.destination.new_path needs dir.path and filename'],
    ['create', { destination_type: 0, destination: { new_path: { dir: { path: '/tmp' }, filename: 'x' } } }, 'event.create.destination does not match destination_type 0'],
    ['rename', { destination_type: 0, destination: { existing_file: { path: '/a' } } }, 'event.rename.source.path missing'],
    ['open', { fflag: 1, file: { path: '' } }, 'event.open.file.path missing'],
    ['write', { target: 'x' }, 'event.write.target.path missing'],
  ];
  for (const [kind, ev, reason] of rows) assert.equal(esFileChange(kind, ev), reason);
  assert.equal((esFileChange('create', { destination_type: 1, destination: { new_path: { dir: { path: '/' }, filename: 'x' } } }) as EsFileChange).path, '/x');
});
