import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIdFile, PasswdUserDirectory } from '../../src/normalize/user-directory.js';
import { fixtureEtc } from './normalize-fixtures.js';

const rows: Array<[string, string, Array<[number, string]>]> = [
  ['passwd lines', 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/:/usr/sbin/nologin\n', [[0, 'root'], [65534, 'nobody']]],
  ['first entry wins', 'a:x:5:5::/:/bin/sh\nb:x:5:5::/:/bin/sh\n', [[5, 'a']]],
  // negative rows
  ['comment and blank skipped', '# c\n\nroot:x:0:0::/:/bin/sh\n', [[0, 'root']]],
  ['non-numeric id skipped', 'x:x:abc:0::/:/bin/sh\n', []],
  ['too few fields skipped', 'x:x\n', []],
  ['empty name skipped', ':x:3:3::/:/bin/sh\n', []],
];
for (const [name, text, want] of rows) {
  test(`parseIdFile: ${name}`, () => {
    assert.deepEqual([...parseIdFile(text, 100).names], want);
  });
}

test('parseIdFile: bounded, with the overflow counted', () => {
  const text = Array.from({ length: 10 }, (_, i) => `u${i}:x:${i}:0::/:/bin/sh`).join('\n');
  const r = parseIdFile(text, 4);
  assert.equal(r.names.size, 4);
  assert.equal(r.truncated, 6);
});

test('PasswdUserDirectory: resolves, counts unresolved, reloads when the file changes', (t) => {
  const etc = fixtureEtc();
  t.after(etc.dispose);
  let now = 0;
  const d = new PasswdUserDirectory({ etcDir: etc.dir, recheckMs: 100, nowMs: () => now });
  assert.equal(d.userName(1000), 'alice');
  assert.equal(d.groupName(10), 'wheel');
  assert.equal(d.userName(4242), undefined);
  assert.equal(d.stats().unresolved, 1);
  writeFileSync(join(etc.dir, 'passwd'), 'root:x:0:0::/:/bin/sh\nbob:x:4242:0::/:/bin/sh\n');
  utimesSync(join(etc.dir, 'passwd'), new Date(), new Date(Date.now() + 10_000));
  assert.equal(d.userName(4242), undefined, 'not rechecked before recheckMs');
  now = 200;
  assert.equal(d.userName(4242), 'bob');
  assert.ok(d.stats().reloads >= 3);
});

test('PasswdUserDirectory: the real /etc resolves root', () => {
  const d = new PasswdUserDirectory();
  assert.equal(d.userName(0), 'root');
  assert.equal(d.groupName(0), 'root');
});
