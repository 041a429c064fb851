import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EcsEvent, EcsValue } from '../../src/ecs/ecs-event.js';
import { TELEMETRY_COVERAGE } from '../../src/ecs/emitted-fields.js';
import { OS_TYPES } from '../../src/ecs/ecs-event.js';
import { FILE_ACTIONS, type RawEvent } from '../../src/collectors/raw-event.js';
import type { HostFacts } from '../../src/collectors/host-facts.js';
import { fixtureEtc, makeNormalizer, proc, T0 } from '../normalize/normalize-fixtures.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const shared = join(root, '..', 'shared');
const haveShared = existsSync(join(shared, 'ecs', 'ecs_flat.yml'));

/** `ecs_flat.yml`: top-level `name:` keys, each with a `  type:` line. */
function readEcsFlat(path: string): Map<string, string> {
  const types = new Map<string, string>();
  let current: string | null = null;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const key = /^'?([^\s':][^:']*)'?:\s*$/.exec(line);
    if (key) {
      current = key[1]!;
      continue;
    }
    const type = /^  type: (\S+)$/.exec(line);
    if (type && current !== null) types.set(current, type[1]!);
  }
  return types;
}

/** Defend's nested `fields.yml`: `- name:` items under `fields:` of groups; the dotted path joins the groups. */
function readDefendFields(path: string): Map<string, string> {
  const types = new Map<string, string>();
  const stack: Array<{ indent: number; name: string }> = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const item = /^(\s*)- name: '?([^']+?)'?\s*$/.exec(line);
    if (item) {
      const indent = item[1]!.length;
      while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
      stack.push({ indent, name: item[2]! });
      continue;
    }
    const type = /^(\s*)type: (\S+)$/.exec(line);
    if (type && stack.length > 0 && type[1]!.length === stack[stack.length - 1]!.indent + 2) {
      types.set(stack.map((s) => s.name).join('.'), type[2]!);
    }
  }
  return types;
}

/** Leaf paths of a document with their values (arrays of scalars are leaves). */
function leaves(v: EcsValue | undefined, prefix: string, out: Map<string, unknown[]>): void {
  if (v === undefined) return;
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) leaves(x, prefix === '' ? k : `${prefix}.${k}`, out);
    return;
  }
  const list = out.get(prefix) ?? [];
  list.push(v);
  out.set(prefix, list);
}

const KEYWORDISH = new Set(['keyword', 'constant_keyword', 'wildcard', 'match_only_text', 'text', 'flattened']);
const NUMERIC = new Set(['long', 'integer', 'short', 'byte', 'unsigned_long', 'double', 'float', 'half_float', 'scaled_float']);

/** Whether a JS value is what an ECS field of that type holds in `_source`. */
function fits(type: string, value: unknown): boolean {
  if (Array.isArray(value)) return value.every((x) => fits(type, x));
  if (KEYWORDISH.has(type)) return typeof value === 'string';
  if (NUMERIC.has(type)) return typeof value === 'number' && (type === 'double' || type === 'float' || Number.isInteger(value));
  if (type === 'date') return typeof value === 'string' && !Number.isNaN(Date.parse(value)) && /T.*Z$/.test(value);
  if (type === 'ip') return typeof value === 'string' && /^[0-9a-f.:]+$/i.test(value);
  if (type === 'boolean') return typeof value === 'boolean';
  return false;
}

/** One of every raw event kind, with every field a collector can fill. */
function everyKind(): RawEvent[] {
  const b = { backend: 'ebpf', platform: 'linux' } as const;
  const full = (pid: number, key: string, ppid: number, pkey: string) =>
    proc(pid, key, { ppid, parentStartKey: pkey, executable: `/usr/bin/p${pid}`, args: [`p${pid}`, '-x'], cwd: '/tmp', uid: 1000, gid: 1000, euid: 0, egid: 0, groupLeaderPid: 100, sessionLeaderPid: 100, comm: `p${pid}`, tty: (136 << 8) | 1 });
  const net = { transport: 'tcp', family: 'ipv4', source: { ip: '127.0.0.1', port: 40000 }, destination: { ip: '127.0.0.1', port: 80 } } as const;
  return [
    { ...b, backend: 'procfs', kind: 'snapshot', timeMs: T0, process: full(100, '100', 1, '1') },
    { ...b, kind: 'exec', timeMs: T0 + 1, process: full(101, '101', 100, '100') },
    { ...b, kind: 'fork', timeMs: T0 + 2, process: proc(102, '102', { ppid: 101, parentStartKey: '101' }) },
    { ...b, kind: 'exit', timeMs: T0 + 3, process: proc(102, '102'), exitCode: 0 },
    { ...b, kind: 'connect', timeMs: T0 + 4, ...net, result: -115, process: proc(101, '101') },
    { ...b, kind: 'accept', timeMs: T0 + 5, ...net, process: proc(100, '100') },
    { ...b, kind: 'disconnect', timeMs: T0 + 6, ...net, process: proc(100, '100') },
    // overwrite is Windows' (a create disposition); Linux reports an O_TRUNC open as a modification
    ...FILE_ACTIONS.filter((action) => action !== 'overwrite').map((action, i): RawEvent => ({
      ...b, kind: 'file', action, timeMs: T0 + 7 + i, process: proc(101, '101'), threadId: 101, result: action === 'deletion' ? -2 : 0,
      path: '/home/alice/.ssh/id_rsa.pub', inode: 4242, size: 10, mode: 0o100600, uid: 1000, gid: 1000,
      ...(action === 'rename' ? { originalPath: '/home/alice/.ssh/tmp.pub' } : {}),
    })),
  ];
}

/** Host facts as systeminformation reads them on a host with a domain (host-facts.ts). */
const HOST_FACTS: HostFacts = { ip: ['192.0.2.10', '2001:db8::10'], mac: ['02-00-5E-00-53-01'], domain: 'corp.example', os: {} };

function emitted(): EcsEvent[] {
  const etc = fixtureEtc();
  try {
    const n = makeNormalizer(etc.dir, { hostFacts: () => HOST_FACTS });
    return everyKind().map((r) => n.normalize(r)).filter((d): d is EcsEvent => d !== null);
  } finally {
    etc.dispose();
  }
}

test('the normalizer emits only listed fields (per category), and every listed field', () => {
  const cov = TELEMETRY_COVERAGE.linux;
  const seen = new Set<string>();
  for (const doc of emitted()) {
    const category = ((doc['event'] as { category: string[] }).category)[0]!;
    const allowed = new Set(cov.fieldsByCategory?.[category] ?? cov.fields);
    const paths = new Map<string, unknown[]>();
    leaves(doc, '', paths);
    for (const p of paths.keys()) {
      assert.ok(allowed.has(p), `${category} document emits ${p}, which emitted-fields.ts does not list for ${category}`);
      seen.add(p);
    }
  }
  const never = cov.fields.filter((f) => !seen.has(f));
  assert.deepEqual(never, [], 'listed but never emitted');
});

test('categories, actions and types listed are exactly those emitted', () => {
  const cov = TELEMETRY_COVERAGE.linux;
  const actions: Record<string, Set<string>> = {};
  const types: Record<string, Set<string>> = {};
  for (const doc of emitted()) {
    const e = doc['event'] as { category: string[]; action: string; type: string[] };
    const c = e.category[0]!;
    (actions[c] ??= new Set()).add(e.action);
    for (const t of e.type) (types[c] ??= new Set()).add(t);
  }
  assert.deepEqual(Object.keys(actions).sort(), [...cov.categories].sort());
  for (const c of cov.categories) {
    assert.deepEqual([...actions[c]!].sort(), [...cov.actions[c]!].sort(), `actions of ${c}`);
    assert.deepEqual([...types[c]!].sort(), [...cov.types[c]!].sort(), `types of ${c}`);
  }
});

test('every listed field exists in ECS or Defend fields.yml, and the emitted values fit its type', { skip: haveShared ? false : `no ${shared}/ecs` }, () => {
  const ecs = readEcsFlat(join(shared, 'ecs', 'ecs_flat.yml'));
  const defend = new Map([
    ...readDefendFields(join(shared, 'ecs', 'defend-package', 'endpoint', 'data_stream', 'process', 'fields', 'fields.yml')),
    ...readDefendFields(join(shared, 'ecs', 'defend-package', 'endpoint', 'data_stream', 'network', 'fields', 'fields.yml')),
    ...readDefendFields(join(shared, 'ecs', 'defend-package', 'endpoint', 'data_stream', 'file', 'fields', 'fields.yml')),
  ]);
  assert.ok(ecs.size > 1000 && ecs.get('process.pid') === 'long', 'ecs_flat.yml read');
  assert.equal(defend.get('process.Ext.ancestry'), 'keyword', 'Defend fields.yml read');
  const values = new Map<string, unknown[]>();
  for (const doc of emitted()) leaves(doc, '', values);
  for (const os of OS_TYPES) {
    for (const field of TELEMETRY_COVERAGE[os].fields) {
      const type = ecs.get(field) ?? defend.get(field);
      assert.ok(type !== undefined, `${field} is in neither ecs_flat.yml nor Defend's fields.yml`);
      const ecsType = ecs.get(field);
      const defendType = defend.get(field);
      if (ecsType !== undefined && defendType !== undefined) assert.equal(defendType, ecsType, `${field}: ECS and Defend disagree`);
      for (const v of values.get(field) ?? []) assert.ok(fits(type, v), `${field} (${type}) holds ${JSON.stringify(v)}`);
    }
  }
});

test('multi-valued fields are arrays', () => {
  for (const doc of emitted()) {
    const e = doc['event'] as Record<string, unknown>;
    assert.ok(Array.isArray(e['category']) && Array.isArray(e['type']));
    const p = doc['process'] as Record<string, unknown>;
    if (p['args'] !== undefined) assert.ok(Array.isArray(p['args']));
  }
});

test('windows: the SID becomes user.id and the account domain user.domain, both listed for windows only', () => {
  const etc = fixtureEtc();
  try {
    const n = makeNormalizer(etc.dir);
    const doc = n.normalize({
      kind: 'exec', backend: 'etw', platform: 'windows', timeMs: T0,
      process: proc(4, '77', { startTimeMs: T0, executable: 'C:\\Windows\\System32\\cmd.exe', args: ['cmd.exe'], userName: 'SYSTEM', userDomain: 'NT AUTHORITY', extra: { userSid: 'S-1-5-18' } }),
    })!;
    const paths = new Map<string, unknown[]>();
    leaves(doc, '', paths);
    const allowed = new Set(TELEMETRY_COVERAGE.windows.fieldsByCategory!['process']);
    for (const p of paths.keys()) assert.ok(allowed.has(p), p);
    assert.deepEqual(doc['user'], { id: 'S-1-5-18', name: 'SYSTEM', domain: 'NT AUTHORITY' });
    assert.ok(!TELEMETRY_COVERAGE.linux.fields.includes('user.domain'));
  } finally {
    etc.dispose();
  }
});
