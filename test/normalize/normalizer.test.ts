import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { compileFieldGetter } from '../../src/ecs/field-getter.js';
import type { RawEvent } from '../../src/collectors/raw-event.js';
import { computeEntityId } from '../../src/normalize/entity-id.js';
import { fixtureEtc, HOST, makeNormalizer, proc, T0 } from './normalize-fixtures.js';

const eid = (pid: number, key: string) => computeEntityId(HOST.hostId, HOST.bootId, pid, key);
const get = (doc: EcsEvent | null, path: string) => {
  assert.ok(doc, 'a document was emitted');
  return compileFieldGetter(path)(doc);
};
const base = { backend: 'ebpf', platform: 'linux' } as const;

test('exec: Defend process document with args, names, user/group names and start time from the start key', (t) => {
  const etc = fixtureEtc();
  t.after(etc.dispose);
  const n = makeNormalizer(etc.dir);
  const doc = n.normalize({
    ...base, kind: 'exec', timeMs: T0,
    process: proc(500, '12345', { ppid: 400, parentStartKey: '12000', executable: '/usr/bin/base64', args: ['base64', '--version'], cwd: '/tmp', uid: 1000, gid: 1000, euid: 0, egid: 10, comm: 'base64', sessionLeaderPid: 500, groupLeaderPid: 500 }),
  });
  const rows: Array<[string, unknown]> = [
    ['@timestamp', new Date(T0).toISOString()],
    ['event.kind', 'event'],
    ['event.category', ['process']],
    ['event.type', ['start']],
    ['event.action', 'exec'],
    ['event.dataset', 'endpoint.events.process'],
    ['event.module', 'endpoint'],
    ['event.sequence', 1],
    ['process.entity_id', eid(500, '12345')],
    ['process.pid', 500],
    ['process.name', 'base64'],
    ['process.executable', '/usr/bin/base64'],
    ['process.args', ['base64', '--version']],
    ['process.args_count', 2],
    ['process.command_line', 'base64 --version'],
    ['process.working_directory', '/tmp'],
    ['process.start', new Date(HOST.bootTimeMs + 123450).toISOString()],
    // parent never seen: entity id from parentStartKey, pid from ppid, nothing else invented
    ['process.parent.entity_id', eid(400, '12000')],
    ['process.parent.pid', 400],
    ['process.parent.name', undefined],
    ['process.Ext.ancestry', [eid(400, '12000')]],
    ['process.session_leader.entity_id', eid(500, '12345')],
    ['process.group_leader.pid', 500],
    // effective ids at the top level, real ids under process.real_*
    ['user.id', '0'],
    ['user.name', 'root'],
    ['group.id', '10'],
    ['group.name', 'wheel'],
    ['process.real_user.id', '1000'],
    ['process.real_user.name', 'alice'],
    ['process.real_group.name', 'alice'],
    ['process.user.name', 'root'],
    ['host.id', HOST.hostId],
    ['host.os.type', 'linux'],
    ['agent.type', 'endpoint'],
    ['event.outcome', undefined],
  ];
  for (const [path, want] of rows) assert.deepEqual(get(doc, path), want, path);
  assert.match(String(get(doc, 'event.created')), /^\d{4}-\d\d-\d\dT/);
  assert.equal(typeof get(doc, 'event.id'), 'string');
});

test('fork inherits the parent image; exec keeps the entity id and replaces argv; ancestry is nearest first, max 5', (t) => {
  const etc = fixtureEtc();
  t.after(etc.dispose);
  const n = makeNormalizer(etc.dir);
  // a chain of 7 processes: 100 <- 101 <- ... <- 106, each exec'd
  for (let i = 0; i < 7; i++) {
    n.normalize({ ...base, kind: 'exec', timeMs: T0 + i, process: proc(100 + i, String(1000 + i), { ppid: i === 0 ? 1 : 99 + i, parentStartKey: i === 0 ? '1' : String(999 + i), executable: `/bin/p${i}`, args: [`p${i}`] }) });
  }
  const fork = n.normalize({ ...base, kind: 'fork', timeMs: T0 + 10, process: proc(200, '2000', { ppid: 106, parentStartKey: '1006' }) });
  assert.equal(get(fork, 'event.action'), 'fork');
  assert.equal(get(fork, 'process.executable'), '/bin/p6');
  assert.deepEqual(get(fork, 'process.args'), ['p6']);
  assert.equal(get(fork, 'process.parent.name'), 'p6');
  assert.deepEqual(get(fork, 'process.parent.args'), ['p6']);
  assert.deepEqual(get(fork, 'process.Ext.ancestry'), [eid(106, '1006'), eid(105, '1005'), eid(104, '1004'), eid(103, '1003'), eid(102, '1002')]);
  const exec = n.normalize({ ...base, kind: 'exec', timeMs: T0 + 11, process: proc(200, '2000', { ppid: 106, parentStartKey: '1006', executable: '/usr/bin/curl', args: ['curl', 'x'] }) });
  assert.equal(get(exec, 'process.entity_id'), get(fork, 'process.entity_id'));
  assert.equal(get(exec, 'process.name'), 'curl');
  assert.equal(get(exec, 'process.command_line'), 'curl x');
  assert.equal(get(exec, 'process.parent.executable'), '/bin/p6');
});

test('end: process.end and exit_code; the exited process still enriches a late network event', (t) => {
  const etc = fixtureEtc();
  t.after(etc.dispose);
  let now = T0;
  const n = makeNormalizer(etc.dir, { nowMs: () => now, exitRetentionMs: 5000 });
  n.normalize({ ...base, kind: 'exec', timeMs: T0, process: proc(300, '3000', { ppid: 1, parentStartKey: '1', executable: '/usr/bin/python3', args: ['python3', '-c', 'x'] }) });
  const end = n.normalize({ ...base, kind: 'exit', timeMs: T0 + 5, process: proc(300, '3000'), exitCode: 3 });
  assert.deepEqual(get(end, 'event.type'), ['end']);
  assert.equal(get(end, 'event.action'), 'end');
  assert.equal(get(end, 'process.end'), new Date(T0 + 5).toISOString());
  assert.equal(get(end, 'process.exit_code'), 3);
  assert.equal(get(end, 'process.executable'), '/usr/bin/python3');
  now = T0 + 3000; // within retention
  const late = n.normalize({ ...base, kind: 'connect', timeMs: T0 + 4, transport: 'tcp', family: 'ipv4', destination: { ip: '127.0.0.1', port: 80 }, result: 0, process: proc(300, '3000') });
  assert.equal(get(late, 'process.executable'), '/usr/bin/python3');
  assert.equal(get(late, 'process.command_line'), 'python3 -c x');
  now = T0 + 6000; // past retention: the entry expired, only what the collector says is left
  const later = n.normalize({ ...base, kind: 'connect', timeMs: T0 + 4, transport: 'tcp', family: 'ipv4', destination: { ip: '127.0.0.1', port: 80 }, result: 0, process: proc(300, '3000', { comm: 'python3' }) });
  assert.equal(get(later, 'process.executable'), undefined);
  assert.equal(get(later, 'process.name'), 'python3');
  assert.equal(get(later, 'process.entity_id'), eid(300, '3000'));
  assert.ok(n.stats().cache.expired >= 1);
});

const outcomes: Array<[string, number | undefined, string | undefined]> = [
  ['connected', 0, 'success'],
  ['non-blocking, in progress', -115, 'success'],
  ['network unreachable', -101, 'failure'],
  ['connection refused', -111, 'failure'],
  ['result unknown', undefined, undefined],
];
for (const [name, result, want] of outcomes) {
  test(`connection_attempted outcome: ${name}`, (t) => {
    const etc = fixtureEtc();
    t.after(etc.dispose);
    const n = makeNormalizer(etc.dir);
    const raw: RawEvent = { ...base, kind: 'connect', timeMs: T0, transport: 'tcp', family: 'ipv6', source: { ip: '::1', port: 40000 }, destination: { ip: '::1', port: 8080 }, process: proc(10, '10', { comm: 'node' }), ...(result === undefined ? {} : { result }) };
    const doc = n.normalize(raw);
    assert.equal(get(doc, 'event.outcome'), want);
    assert.equal(get(doc, 'event.action'), 'connection_attempted');
    assert.deepEqual(get(doc, 'event.category'), ['network']);
    assert.equal(get(doc, 'network.direction'), 'egress');
    assert.equal(get(doc, 'network.type'), 'ipv6');
    assert.equal(get(doc, 'destination.address'), '::1');
    assert.equal(get(doc, 'source.port'), 40000);
  });
}

test('accept and disconnect: ingress / end; network documents carry the thin process set only', (t) => {
  const etc = fixtureEtc();
  t.after(etc.dispose);
  const n = makeNormalizer(etc.dir);
  n.normalize({ ...base, kind: 'exec', timeMs: T0, process: proc(20, '20', { ppid: 1, parentStartKey: '1', executable: '/usr/sbin/sshd', args: ['sshd', '-D'], uid: 0, gid: 0 }) });
  const net = { transport: 'tcp', family: 'ipv4', source: { ip: '127.0.0.1', port: 50000 }, destination: { ip: '127.0.0.1', port: 22 }, process: proc(20, '20') } as const;
  const acc = n.normalize({ ...base, kind: 'accept', timeMs: T0 + 1, ...net });
  assert.equal(get(acc, 'event.action'), 'connection_accepted');
  assert.equal(get(acc, 'event.outcome'), 'success');
  assert.equal(get(acc, 'network.direction'), 'ingress');
  assert.equal(get(acc, 'process.name'), 'sshd');
  assert.equal(get(acc, 'process.parent.entity_id'), eid(1, '1'));
  for (const absent of ['process.args', 'process.parent.pid', 'process.working_directory', 'process.real_user.id']) assert.equal(get(acc, absent), undefined, absent);
  assert.equal(get(acc, 'user.name'), 'root');
  const disc = n.normalize({ ...base, kind: 'disconnect', timeMs: T0 + 2, ...net, inbound: true });
  assert.equal(get(disc, 'event.action'), 'disconnect_received');
  assert.deepEqual(get(disc, 'event.type'), ['end']);
  assert.equal(get(disc, 'network.direction'), 'ingress', 'the disconnect of an accepted connection is ingress');
  const out = n.normalize({ ...base, kind: 'disconnect', timeMs: T0 + 3, ...net });
  assert.equal(get(out, 'network.direction'), 'egress', 'an outbound connection is egress');
});

test('already_running: emitted for new entities, merged (no document) when a live event came first', (t) => {
  const etc = fixtureEtc();
  t.after(etc.dispose);
  const n = makeNormalizer(etc.dir);
  const snap = n.normalize({ ...base, backend: 'procfs', kind: 'snapshot', timeMs: T0, process: proc(30, '30', { ppid: 1, executable: '/bin/sleep', args: ['sleep', '60'] }) });
  assert.equal(get(snap, 'event.action'), 'already_running');
  assert.deepEqual(get(snap, 'event.type'), ['info']);
  // the live collector saw pid 31 exec before the startup scan reached it
  n.normalize({ ...base, kind: 'exec', timeMs: T0, process: proc(31, '31', { ppid: 30, parentStartKey: '30', executable: '/bin/true', args: ['true'] }) });
  const dup = n.normalize({ ...base, backend: 'procfs', kind: 'snapshot', timeMs: T0 + 1, process: proc(31, '31', { ppid: 30, parentStartKey: '30', executable: '/bin/true', args: ['true'], cwd: '/' }) });
  assert.equal(dup, null);
  assert.equal(n.stats().snapshotsMerged, 1);
  // the merge filled the gap the live event left (cwd)
  const end = n.normalize({ ...base, kind: 'exit', timeMs: T0 + 2, process: proc(31, '31'), exitCode: 0 });
  assert.equal(get(end, 'process.working_directory'), '/');
  assert.equal(get(end, 'process.parent.executable'), '/bin/sleep');
});

test('pid reuse: a new start key is a new entity; the parent link never points at a younger process', (t) => {
  const etc = fixtureEtc();
  t.after(etc.dispose);
  const n = makeNormalizer(etc.dir);
  n.normalize({ ...base, kind: 'exec', timeMs: T0, process: proc(40, '400', { executable: '/bin/a', args: ['a'] }) });
  const reused = n.normalize({ ...base, kind: 'exec', timeMs: T0 + 1, process: proc(40, '900', { executable: '/bin/b', args: ['b'] }) });
  assert.equal(get(reused, 'process.entity_id'), eid(40, '900'));
  // a child that says its parent is pid 40 but started before instance 900 existed: not that parent
  const child = n.normalize({ ...base, kind: 'exec', timeMs: T0 + 2, process: proc(41, '500', { ppid: 40, executable: '/bin/c', args: ['c'] }) });
  assert.equal(get(child, 'process.parent.entity_id'), undefined);
  assert.equal(get(child, 'process.parent.pid'), 40);
});

test('every document has a unique event.id and increasing event.sequence; stats count in/out per kind', (t) => {
  const etc = fixtureEtc();
  t.after(etc.dispose);
  const n = makeNormalizer(etc.dir);
  const ids = new Set<unknown>();
  let last = 0;
  for (let i = 0; i < 50; i++) {
    const d = n.normalize({ ...base, kind: 'exec', timeMs: T0 + i, process: proc(1000 + i, String(i), { executable: '/bin/true', args: ['true'] }) });
    ids.add(get(d, 'event.id'));
    const s = get(d, 'event.sequence') as number;
    assert.ok(s > last);
    last = s;
  }
  assert.equal(ids.size, 50);
  assert.equal(n.stats().in.exec, 50);
  assert.equal(n.stats().out, 50);
});

test('documents share no mutable object: shared parts are frozen, annotating a document leaves the next untouched', (t) => {
  const etc = fixtureEtc();
  t.after(etc.dispose);
  const n = makeNormalizer(etc.dir);
  const a = n.normalize({ ...base, kind: 'exec', timeMs: T0, process: proc(60, '60', { executable: '/bin/a', args: ['a'] }) }) as Record<string, any>;
  // agent, host, data_stream, ecs and the one-value event arrays are one frozen object per value, shared
  assert.throws(() => (a['agent'].collector = 'procfs'), TypeError);
  assert.throws(() => (a['host'].os.name = 'changed'), TypeError);
  assert.throws(() => a['event'].category.push('x'), TypeError);
  assert.throws(() => (a['data_stream'].namespace = 'x'), TypeError);
  assert.throws(() => (a['ecs'].version = 'x'), TypeError);
  // the rest is the document's own
  a['event'].outcome = 'changed';
  a['process'].name = 'changed';
  a['labels'] = { x: 1 };
  const b = n.normalize({ ...base, kind: 'exec', timeMs: T0, process: proc(61, '61', { executable: '/bin/b', args: ['b'] }) });
  assert.equal(get(b, 'agent.collector'), undefined);
  assert.equal(get(b, 'host.os.name'), HOST.os.name);
  assert.deepEqual(get(b, 'event.category'), ['process']);
  assert.equal(get(b, 'event.outcome'), undefined);
  assert.equal(get(b, 'process.name'), 'b');
  assert.equal(get(b, 'labels'), undefined);
});

const mapped: Array<[string, string]> = [
  ['::ffff:127.0.0.1', '127.0.0.1'],
  ['::FFFF:10.1.2.3', '10.1.2.3'],
  // negative rows: left alone
  ['::1', '::1'],
  ['::ffff:7f00:1', '::ffff:7f00:1'],
  ['2001:db8::ffff:1.2.3.4', '2001:db8::ffff:1.2.3.4'],
  ['127.0.0.1', '127.0.0.1'],
];
for (const [raw, want] of mapped) {
  test(`IPv4-mapped addresses are written as IPv4: ${raw}`, (t) => {
    const etc = fixtureEtc();
    t.after(etc.dispose);
    const n = makeNormalizer(etc.dir);
    const doc = n.normalize({ ...base, kind: 'connect', timeMs: T0, transport: 'tcp', family: 'ipv6', destination: { ip: raw, port: 1 }, source: { ip: raw, port: 2 }, result: 0, process: proc(70, '70') });
    assert.equal(get(doc, 'destination.ip'), want);
    assert.equal(get(doc, 'source.address'), want);
    assert.equal(get(doc, 'network.type'), 'ipv6', 'the socket family is kept');
  });
}

test('track: the process cache follows events whose documents are not built; event.sequence still advances', (t) => {
  const etc = fixtureEtc();
  t.after(etc.dispose);
  const n = makeNormalizer(etc.dir);
  n.track({ ...base, kind: 'exec', timeMs: T0, process: proc(700, '7000', { ppid: 1, parentStartKey: '1', executable: '/usr/bin/python3', args: ['python3', 'x.py'] }) });
  n.track({ ...base, kind: 'fork', timeMs: T0 + 1, process: proc(701, '7001', { ppid: 700, parentStartKey: '7000' }) });
  const exec = n.normalize({ ...base, kind: 'exec', timeMs: T0 + 2, process: proc(701, '7001', { executable: '/bin/sh', args: ['sh'] }) });
  assert.equal(get(exec, 'process.parent.executable'), '/usr/bin/python3');
  assert.equal(get(exec, 'process.parent.command_line'), 'python3 x.py');
  assert.equal(get(exec, 'event.sequence'), 3);
  n.track({ ...base, kind: 'exit', timeMs: T0 + 3, process: proc(700, '7000'), exitCode: 0 });
  assert.equal(n.cache.get(700, '7000')?.exitedAtMs, T0 + 3);
  const s = n.stats();
  assert.deepEqual([s.in.exec, s.in.fork, s.in.exit, s.out, s.cacheOnly], [2, 1, 1, 1, 3]);
});
