import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RawFile } from '../../src/collectors/raw-event.js';
import { fixtureEtc, makeNormalizer, proc, T0 } from './normalize-fixtures.js';

function normalizeAll(raws: RawFile[]): Record<string, any>[] {
  const etc = fixtureEtc();
  try {
    const n = makeNormalizer(etc.dir);
    return raws.map((r) => n.normalize(r) as Record<string, any>);
  } finally {
    etc.dispose();
  }
}

const b = { kind: 'file', backend: 'ebpf', platform: 'linux', timeMs: T0 } as const;

test('file events: Defend action/type/dataset per action, file.* from the path and inode, outcome from the result', () => {
  const [created, renamed, failed, opened, chmod] = normalizeAll([
    { ...b, action: 'creation', path: '/tmp/x/report.tar.gz', result: 3, inode: 77, size: 0, mode: 0o100644, uid: 1000, gid: 10, process: proc(50, '5') },
    { ...b, action: 'rename', path: '/tmp/x/b.txt', originalPath: '/tmp/x/a.txt', result: 0, process: proc(50, '5') },
    { ...b, action: 'deletion', path: '/tmp/x/missing', result: -2, process: proc(50, '5') },
    { ...b, action: 'open', path: '/home/alice/.ssh/known_hosts', result: 4, threadId: 51, process: proc(50, '5') },
    { ...b, action: 'attributes_modified', path: '/', result: 0, mode: 0o40755, process: proc(50, '5') },
  ]);
  assert.deepEqual(created!['event'].category, ['file']);
  assert.deepEqual(created!['event'].type, ['creation']);
  assert.equal(created!['event'].dataset, 'endpoint.events.file');
  assert.equal(created!['data_stream'].dataset, 'endpoint.events.file');
  assert.equal(created!['event'].outcome, 'success');
  assert.deepEqual(created!['file'], {
    path: '/tmp/x/report.tar.gz', name: 'report.tar.gz', extension: 'gz', directory: '/tmp/x',
    inode: '77', size: 0, mode: '0644', uid: '1000', gid: '10', owner: 'alice', group: 'wheel',
  });
  assert.equal(renamed!['event'].action, 'rename');
  assert.deepEqual(renamed!['event'].type, ['change']);
  assert.deepEqual(renamed!['file'].Ext, { original: { path: '/tmp/x/a.txt', name: 'a.txt' } });
  assert.equal(failed!['event'].outcome, 'failure');
  assert.equal(failed!['event'].action, 'deletion');
  assert.deepEqual(opened!['event'].type, ['access']);
  assert.equal(opened!['file'].name, 'known_hosts');
  assert.equal(opened!['file'].extension, undefined);
  assert.deepEqual(opened!['process'].thread, { id: 51 });
  assert.equal(opened!['process'].entity_id, created!['process'].entity_id);
  assert.deepEqual(chmod!['file'], { path: '/', name: '', directory: '/', mode: '0755' });
});

test('file events: dotfiles have no extension; a name ending in a dot neither', () => {
  const [a, c] = normalizeAll([
    { ...b, action: 'modification', path: '/home/alice/.bashrc', process: proc(50, '5') },
    { ...b, action: 'modification', path: '/home/alice/notes.', process: proc(50, '5') },
  ]);
  assert.equal(a!['file'].extension, undefined);
  assert.equal(a!['event'].outcome, undefined);
  assert.equal(c!['file'].extension, undefined);
});
