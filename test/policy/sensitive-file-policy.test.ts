import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernelKeyHash, kernelKeyOf, OncePerProcessFile, SensitiveFilePolicy, type SensitivePattern } from '../../src/sensitive-file-policy.js';

const pat = (field: SensitivePattern['field'], value: string, wildcard = true, insensitive = true): SensitivePattern => ({ field, value, wildcard, insensitive, source: 't' });

test('kernel keys: exact names, literal heads, extensions, dir/*; broad patterns are null', () => {
  const rows: Array<[SensitivePattern, string | null]> = [
    [pat('name', 'known_hosts', false), 'name:known_hosts'],
    [pat('name', 'Login Data', false, false), 'name:login data'],
    [pat('name', 'key?.db'), 'prefix:key'],
    [pat('name', 'id_*'), 'prefix:id_'],
    [pat('name', '*.pem'), 'extension:pem'],
    [pat('name', '*'), null],
    [pat('name', '*cred*'), null],
    [pat('name', 'a*'), null],
    [pat('extension', 'kdbx', false), 'extension:kdbx'],
    [pat('extension', 'kd*'), null],
    [pat('path', '/etc/shadow', false), 'name:shadow'],
    [pat('path', '/home/*/.aws/credentials'), 'name:credentials'],
    [pat('path', '/home/*/.ssh/*'), 'dir:.ssh'],
    [pat('path', '/home/*/*'), null],
    [pat('path', '/etc/*'), 'dir:etc'],
    [pat('path', '*'), null],
    [pat('path', '/root/.config/*/token.json'), 'name:token.json'],
  ];
  for (const [p, want] of rows) {
    const k = kernelKeyOf(p);
    assert.equal(k === null ? null : `${k.kind}:${k.text}`, want, `${p.field} ${p.value}`);
  }
});

test('match: EQL semantics per operator (case, wildcards), on name, extension and path', () => {
  const policy = new SensitiveFilePolicy([
    pat('name', 'known_hosts', false, false),
    pat('name', 'key?.db'),
    pat('extension', 'pem', false, true),
    pat('path', '/home/*/.aws/*'),
  ]);
  assert.equal(policy.match('/home/a/.ssh/known_hosts')?.value, 'known_hosts');
  assert.equal(policy.match('/home/a/.ssh/KNOWN_HOSTS'), undefined, '== is case-sensitive');
  assert.equal(policy.match('/x/KEY4.db')?.value, 'key?.db');
  assert.equal(policy.match('/x/key42.db'), undefined, '? is exactly one character');
  assert.equal(policy.match('/x/a.PEM')?.value, 'pem');
  assert.equal(policy.match('/home/bob/.aws/config')?.value, '/home/*/.aws/*');
  assert.equal(policy.match('/home/bob/.awsx/config'), undefined);
  assert.equal(policy.patterns.length, 4);
  assert.equal(new SensitiveFilePolicy([pat('name', 'a'), pat('name', 'a'), pat('name', '')]).patterns.length, 1);
});

test('kernelKeys: one key per shape, broad patterns listed apart', () => {
  const policy = new SensitiveFilePolicy([pat('name', 'id_*'), pat('path', '/x/id_*'), pat('path', '/x/*/*')]);
  const { keys, broad } = policy.kernelKeys();
  assert.deepEqual(keys, [{ kind: 'prefix', text: 'id_' }]);
  assert.deepEqual(broad.map((p) => p.value), ['/x/*/*']);
});

test('kernelKeyHash: FNV-1a 64 over the kind byte and the text (the value the BPF program computes)', () => {
  // FNV-1a 64 of the two bytes "N" "a", worked out by hand from the offset basis and prime.
  let h = 0xcbf29ce484222325n;
  for (const c of [0x4e, 0x61]) h = ((h ^ BigInt(c)) * 0x100000001b3n) & 0xffffffffffffffffn;
  assert.equal(kernelKeyHash({ kind: 'name', text: 'a' }), h);
  assert.notEqual(kernelKeyHash({ kind: 'prefix', text: 'a' }), h);
});

test('OncePerProcessFile: once per (process, file, access class); bounded, oldest forgotten', () => {
  const once = new OncePerProcessFile(2);
  assert.equal(once.first('p1', '/a', 'read'), true);
  assert.equal(once.first('p1', '/a', 'read'), false);
  assert.equal(once.first('p1', '/a', 'write'), true);
  assert.equal(once.first('p2', '/a', 'read'), true, 'another process');
  assert.equal(once.size, 2);
  assert.equal(once.evicted, 1);
  assert.equal(once.first('p1', '/a', 'read'), true, 'forgotten after eviction: reported again, never lost');
  assert.equal(once.evicted, 2);
});
