import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DarwinUserNames, parseDsclIds } from '../../../src/collectors/darwin/darwin-user-names.js';
import { ToolRunner } from '../../../src/collectors/darwin/run-tool.js';
import { FIXTURES } from './darwin-test-helpers.js';

test('dscl id lists: name per id, underscore aliases lose, junk lines skipped', () => {
  const users = parseDsclIds('_amavisd                 83\nroot                     0\n_uucp                    4\nuucp                     4\ndev                      501\nnobody                   -2\nnot a line\n');
  assert.deepEqual([...users].sort((a, b) => a[0] - b[0]), [[-2, 'nobody'], [0, 'root'], [4, 'uucp'], [83, '_amavisd'], [501, 'dev']]);
  assert.equal(parseDsclIds('a 1\nb 2\nc 3\n', 2).size, 2, 'bounded');
});

test('DarwinUserNames: names for the effective ids from dscl; without dscl the process is unchanged', async () => {
  const names = new DarwinUserNames(new ToolRunner(), { dsclPath: join(FIXTURES, 'fake-dscl.sh') });
  await names.load();
  assert.deepEqual(names.size, { users: 4, groups: 3 });
  const p = names.name({ pid: 900, startKey: '1795856350000000', uid: 501, euid: 0, gid: 20 });
  assert.equal(p.userName, 'root', 'effective uid 0 (setuid)');
  assert.equal(p.groupName, 'staff', 'no egid: the real gid');
  const none = new DarwinUserNames(new ToolRunner(), { dsclPath: '/nonexistent/dscl' });
  await none.load();
  const q = { pid: 1, startKey: '0', uid: 501 };
  assert.equal(none.name(q), q);
});
