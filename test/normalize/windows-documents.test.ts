import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { compileFieldGetter } from '../../src/ecs/field-getter.js';
import { TELEMETRY_COVERAGE } from '../../src/ecs/emitted-fields.js';
import type { RawEvent, RawProcess } from '../../src/collectors/raw-event.js';
import { Normalizer } from '../../src/normalize/normalizer.js';
import type { UserDirectory } from '../../src/normalize/user-directory.js';
import { HOST, proc, T0 } from './normalize-fixtures.js';
import { leafPaths } from '../helpers/leaf-paths.js';

/** Windows names accounts itself: nothing resolves numeric ids. */
const NO_DIRECTORY: UserDirectory = { userName: () => undefined, groupName: () => undefined };
const WIN = { backend: 'etw', platform: 'windows' } as const;

const get = (doc: EcsEvent | null | undefined, path: string): unknown => {
  assert.ok(doc, 'a document was emitted');
  return compileFieldGetter(path)(doc);
};

function windowsNormalizer(): Normalizer {
  return new Normalizer({ host: { ...HOST, platform: 'windows', os: { type: 'windows', family: 'windows', kernel: '10.0.22631', name: 'Windows 11 Pro', platform: 'windows', version: '10.0.22631', full: 'Windows 11 Pro 23H2' } }, hostFacts: () => ({ ip: ['192.0.2.20'], mac: ['02-00-5E-00-53-02'], domain: 'corp.example', os: {} }), agent: { id: '00000000-0000-5000-8000-000000000002', version: '0.1.0' }, users: NO_DIRECTORY, nowMs: () => T0 });
}

const EXPLORER = 'C:\\Windows\\explorer.exe';
const TOOL = 'C:\\Program Files\\My Tool\\tool.exe';
/** As the PEB holds it: quotes and double spaces that argv joined with ' ' cannot reproduce. */
const TOOL_LINE = `"${TOOL}"  --out "C:\\Users\\dev\\my file.txt" -x`;
const TOOL_ARGS = [TOOL, '--out', 'C:\\Users\\dev\\my file.txt', '-x'];

/** Everything the ETW collector can put on a RawProcess (etw-record-to-raw.ts describedProcess). */
function etwProcess(pid: number, key: string, extra: Partial<RawProcess>): RawProcess {
  return proc(pid, key, { startTimeMs: T0 - 1000, userName: 'dev', userDomain: 'DEV-WS01', extra: { sessionId: 1, userSid: 'S-1-5-21-1-2-3-1001' }, ...extra });
}

function scenario(): RawEvent[] {
  const explorer = etwProcess(4000, '90', { ppid: 3000, parentStartKey: '80', comm: 'explorer.exe', executable: EXPLORER, commandLine: EXPLORER, args: [EXPLORER] });
  const tool = etwProcess(5000, '91', { ppid: 4000, parentStartKey: '90', comm: 'tool.exe', executable: TOOL, commandLine: TOOL_LINE, args: TOOL_ARGS });
  const net = { transport: 'tcp', family: 'ipv4', source: { ip: '192.168.1.20', port: 50000 }, destination: { ip: '140.82.112.3', port: 443 } } as const;
  // network events carry only pid, identity and image (etw-record-to-raw.ts networkProcess)
  const netProc = proc(5000, '91', { startTimeMs: T0 - 1000, executable: TOOL, comm: 'tool.exe' });
  return [
    { ...WIN, kind: 'snapshot', timeMs: T0, process: explorer },
    { ...WIN, kind: 'exec', timeMs: T0 + 1, process: tool },
    { ...WIN, kind: 'connect', timeMs: T0 + 2, ...net, result: 0, process: netProc },
    { ...WIN, kind: 'accept', timeMs: T0 + 3, ...net, process: netProc },
    { ...WIN, kind: 'disconnect', timeMs: T0 + 4, ...net, process: netProc },
    { ...WIN, kind: 'exit', timeMs: T0 + 5, exitCode: 1, process: etwProcess(5000, '91', { ppid: 4000, parentStartKey: '90', comm: 'tool.exe' }) },
    // a child of tool.exe: its parent's command line is the verbatim one too
    { ...WIN, kind: 'exec', timeMs: T0 + 6, process: etwProcess(5001, '92', { ppid: 5000, parentStartKey: '91', comm: 'cmd.exe', executable: 'C:\\Windows\\System32\\cmd.exe', commandLine: 'cmd.exe /c "echo hi"', args: ['cmd.exe', '/c', 'echo hi'] }) },
  ];
}

function normalizeAll(): EcsEvent[] {
  const n = windowsNormalizer();
  return scenario().map((r) => n.normalize(r)).filter((d): d is EcsEvent => d !== null);
}

/** File documents as the ETW collector makes them (etw-record-to-raw.ts fileChange): path, thread, status, original path. */
function fileDocs(): EcsEvent[] {
  const n = windowsNormalizer();
  const p = proc(5000, '91', { startTimeMs: T0 - 1000, executable: TOOL, comm: 'tool.exe' });
  const file = (action: 'creation' | 'overwrite' | 'rename' | 'open', path: string, extra: object = {}): RawEvent =>
    ({ ...WIN, kind: 'file', action, timeMs: T0 + 10, process: p, path, result: 0, threadId: 5004, ...extra }) as RawEvent;
  return [
    file('creation', 'C:\\Users\\dev\\out.txt'),
    file('overwrite', 'C:\\Users\\dev\\out.txt'),
    file('rename', 'C:\\Users\\dev\\b.txt', { originalPath: 'C:\\Users\\dev\\a.txt' }),
    file('open', 'C:\\Users\\dev\\.aws\\credentials', { result: -1073741772 }),
  ].map((r) => n.normalize(r)).filter((d): d is EcsEvent => d !== null);
}


test('windows: process.command_line is the platform command line verbatim, args its split', () => {
  const [, start, connect, , , , child] = normalizeAll();
  assert.equal(get(start, 'process.command_line'), TOOL_LINE);
  assert.deepEqual(get(start, 'process.args'), TOOL_ARGS);
  assert.equal(get(start, 'process.args_count'), 4);
  assert.equal(get(connect, 'process.command_line'), TOOL_LINE);
  assert.equal(get(child, 'process.parent.command_line'), TOOL_LINE);
  assert.equal(get(child, 'process.command_line'), 'cmd.exe /c "echo hi"');
});

test('a command line without args is kept; an exec without either drops the old image\'s', () => {
  const n = windowsNormalizer();
  const a = n.normalize({ ...WIN, kind: 'exec', timeMs: T0, process: proc(9, '1', { executable: TOOL, commandLine: TOOL_LINE }) });
  assert.equal(get(a, 'process.command_line'), TOOL_LINE);
  assert.equal(get(a, 'process.args'), undefined);
  const lin = n.normalize({ backend: 'ebpf', platform: 'linux', kind: 'exec', timeMs: T0 + 1, process: proc(9, '1', { executable: '/bin/true' }) });
  assert.equal(get(lin, 'process.command_line'), undefined);
  const joined = n.normalize({ backend: 'ebpf', platform: 'linux', kind: 'exec', timeMs: T0 + 2, process: proc(9, '1', { executable: '/bin/echo', args: ['echo', 'a  b'] }) });
  assert.equal(get(joined, 'process.command_line'), 'echo a  b');
});

test('windows: Defend actions start / end / already_running, event.type start / end / info', () => {
  const docs = normalizeAll();
  const rows = docs.map((d) => [get(d, 'event.action'), get(d, 'event.type')]);
  assert.deepEqual(rows, [
    ['already_running', ['info']],
    ['start', ['start']],
    ['connection_attempted', ['start']],
    ['connection_accepted', ['start']],
    ['disconnect_received', ['end']],
    ['end', ['end']],
    ['start', ['start']],
  ]);
  const fork = windowsNormalizer().normalize({ ...WIN, kind: 'fork', timeMs: T0, process: proc(7, '3', { ppid: 4 }) });
  assert.equal(get(fork, 'event.action'), 'start');
  const cov = TELEMETRY_COVERAGE.windows;
  assert.deepEqual([...cov.actions['process']!].sort(), ['already_running', 'end', 'start']);
  assert.deepEqual([...cov.types['process']!].sort(), ['end', 'info', 'start']);
});

test('windows: user.id is the SID and user.domain the account domain; no uid/gid-based fields', () => {
  for (const doc of normalizeAll()) {
    const action = String(get(doc, 'event.action'));
    if (action.startsWith('connection') || action.startsWith('disconnect')) continue;
    assert.deepEqual(doc['user'], { id: 'S-1-5-21-1-2-3-1001', name: 'dev', domain: 'DEV-WS01' }, action);
    assert.equal(doc['group'], undefined);
    assert.equal(get(doc, 'process.user'), undefined);
    assert.equal(get(doc, 'process.real_user'), undefined);
  }
});

test('windows: TELEMETRY_COVERAGE.windows lists exactly what the ETW-shaped documents carry', () => {
  const cov = TELEMETRY_COVERAGE.windows;
  const seen = new Set<string>();
  for (const doc of [...normalizeAll(), ...fileDocs()]) {
    const category = (get(doc, 'event.category') as string[])[0]!;
    const paths = new Set<string>();
    leafPaths(doc, '', paths);
    const allowed = new Set(cov.fieldsByCategory![category]);
    for (const p of paths) {
      assert.ok(allowed.has(p), `${category} document emits ${p}, not listed for windows`);
      seen.add(p);
    }
  }
  assert.deepEqual(cov.fields.filter((f) => !seen.has(f)), [], 'listed for windows but never emitted');
  for (const f of ['process.working_directory', 'group.id', 'process.group_leader.entity_id', 'process.real_user.id']) {
    assert.ok(!cov.fields.includes(f), `${f} is not filled on windows`);
  }
});
