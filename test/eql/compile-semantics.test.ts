import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileQuery, type CompiledEventQuery } from '../../src/eql/index.js';

const ev = (extra: Record<string, unknown>): Record<string, unknown> => ({ event: { category: ['process'], type: ['start'] }, ...extra });
const proc = { process: { name: 'Bash', pid: 42, args: ['bash', '-c', 'echo hi'], parent: { name: 'sshd' } } };

// [query condition, event, expected match]
const rows: Array<[string, Record<string, unknown>, boolean]> = [
  ['process.name == "Bash"', ev(proc), true],
  ['process.name == "bash"', ev(proc), false], // == is case-sensitive
  ['process.name : "bash"', ev(proc), true], // : is not
  ['process.name : "b*"', ev(proc), true],
  ['process.name : "b?sh"', ev(proc), true],
  ['process.name like "B*"', ev(proc), true],
  ['process.name like "b*"', ev(proc), false],
  ['process.name like~ "b*"', ev(proc), true],
  ['process.name in ("bash", "zsh")', ev(proc), false],
  ['process.name in~ ("bash", "zsh")', ev(proc), true],
  ['process.name in~ ("b*")', ev(proc), false], // in~ is verbatim
  ['process.name not in ("zsh")', ev(proc), true],
  ['process.name regex "B.s[a-z]"', ev(proc), true],
  ['process.name regex "b.sh"', ev(proc), false],
  ['process.name regex~ "b.SH"', ev(proc), true],
  ['process.name regex "Ba"', ev(proc), false], // regex matches the whole value
  ['process.args == "-c"', ev(proc), true], // multi-valued: any element
  ['process.args : "ECHO *"', ev(proc), true],
  ['process.args != "-c"', ev(proc), false], // != is not(any equal)
  ['process.parent.name == "sshd"', ev(proc), true],
  ['process.parent.name == "sshd"', ev({ 'process.parent.name': 'sshd' }), true], // literal dotted key
  ['process.parent.name == "sshd"', ev({ process: { 'parent.name': 'sshd' } }), true],
  ['process.pid == 42 and process.pid > 41.5 and process.pid <= 42', ev(proc), true],
  ['process.pid == "42"', ev(proc), true], // a numeric string compares as the number
  ['process.pid / 5 == 8', ev(proc), true], // long division truncates
  ['process.pid / 5.0 == 8.4', ev(proc), true],
  ['process.pid % 5 == 2 and -process.pid == -42 and process.pid * 2 - 4 == 80', ev(proc), true],
  // null semantics: a comparison with a missing field is null, and null is not true
  ['missing == 1', ev(proc), false],
  ['missing != 1', ev(proc), false],
  ['not (missing == 1)', ev(proc), false],
  ['missing == null', ev(proc), true],
  ['missing != null', ev(proc), false],
  ['process.name != null', ev(proc), true],
  ['null == (missing > 1)', ev(proc), true],
  ['missing == 1 or process.pid == 42', ev(proc), true],
  ['missing == 1 and process.pid == 42', ev(proc), false],
  ['?missing == null', ev(proc), true],
  ['`process`.`name` == "Bash"', ev(proc), true],
  ['process.args[1] == "-c"', ev(proc), true],
  ['process.args[0] == "-c"', ev(proc), false],
  ['process.name == """Bash"""', ev(proc), true],
  ['startsWith~(process.name, "BA") and endsWith(process.name, "sh")', ev(proc), true],
  ['stringContains(process.args, "ech")', ev(proc), true], // multi-valued first argument: any
  ['length(process.name) == 4 and indexOf(process.name, "s") == 2', ev(proc), true],
  ['concat(process.name, "-", process.pid) == "Bash-42"', ev(proc), true],
  ['cidrMatch(source.ip, "10.0.0.0/8", "192.168.0.0/16")', ev({ source: { ip: '192.168.1.4' } }), true],
  ['cidrMatch(source.ip, "10.0.0.0/8")', ev({ source: { ip: '::1' } }), false],
  ['cidrMatch(source.ip, "::1/128")', ev({ source: { ip: '::1' } }), true],
  ['number("0x2a") == process.pid and string(process.pid) == "42"', ev(proc), true],
  ['substring(process.name, -2) == "sh" and between(process.name, "B", "h") == "as"', ev(proc), true],
  // field against field: scalars, multi-valued (any pair), missing (null)
  ['process.name != process.parent.name and process.pid > process.ppid', ev({ process: { ...proc.process, ppid: 1 } }), true],
  ['process.args == process.parent.name', ev({ process: { args: ['x', 'sshd'], parent: { name: 'sshd' } } }), true],
  ['process.name == missing', ev(proc), false],
  ['not (process.name == missing)', ev(proc), false],
  ['true', ev(proc), true],
  ['false', ev(proc), false],
  ['null', ev(proc), false],
  // names of inherited properties are ordinary fields: missing unless the event has them
  ['constructor == null and toString == null and process.__proto__ == null', ev(proc), true],
  ['constructor == "x"', ev({ constructor: 'x' }), true],
];
for (const [cond, event, expected] of rows) {
  test(`matches: process where ${cond} -> ${expected}`, () => {
    const q = compileQuery(`process where ${cond}`) as CompiledEventQuery;
    assert.equal(q.stage.filter(event as never), expected);
  });
}

test('category: the category field is matched exactly, any element, or skipped by any', () => {
  const q = compileQuery('network where true') as CompiledEventQuery;
  assert.equal(q.stage.filter({ event: { category: ['network', 'x'] } }), true);
  assert.equal(q.stage.filter({ event: { category: 'network' } }), true);
  assert.equal(q.stage.filter({ event: { category: ['process'] } }), false);
  assert.equal((compileQuery('any where true') as CompiledEventQuery).stage.filter({}), true);
  const custom = compileQuery('process where true', { categoryField: 'event_type' }) as CompiledEventQuery;
  assert.equal(custom.stage.filter({ event_type: 'process' }), true);
});

test('dates: @timestamp compares as a date against ISO strings and epoch millis', () => {
  const e = ev({ '@timestamp': '2024-05-01T10:00:00.250Z' });
  const m = (cond: string): boolean => (compileQuery(`process where ${cond}`) as CompiledEventQuery).stage.filter(e as never);
  assert.equal(m('@timestamp > "2024-05-01T09:59:59Z"'), true);
  assert.equal(m('@timestamp == 1714557600250'), true);
  assert.equal(m('@timestamp < "2024-05-01"'), false);
});

test('constraints: constant event.action / event.type values from top-level ands', () => {
  const q = compileQuery('process where event.type == "start" and event.action in ("exec", "fork") and event.type in ("start", "end") and (a == "x" or b == "y")') as CompiledEventQuery;
  assert.deepEqual(q.stage.constraints, { 'event.type': ['start'], 'event.action': ['exec', 'fork'] });
  const none = compileQuery('process where event.type : "start" or event.action == "exec"') as CompiledEventQuery;
  assert.deepEqual(none.stage.constraints, {});
});

test('fields: every field path the query reads', () => {
  const q = compileQuery('sequence by host.id [process where process.name == "a"] by process.entity_id [network where destination.port > 1] by process.entity_id');
  assert.deepEqual([...q.fields].sort(), ['destination.port', 'event.category', 'host.id', 'process.entity_id', 'process.name']);
});

test('sequence: keys, maxspan, runs, missing stages and until compile', () => {
  const q = compileQuery('sequence by ?user.id with maxspan=2m [process where true] by a with runs=2 ![file where true] by b [network where true] by c until [process where false] by d | tail 3');
  assert.equal(q.kind, 'sequence');
  if (q.kind !== 'sequence') return;
  assert.equal(q.maxspanMs, 120_000);
  assert.deepEqual(q.stages.map((s) => [s.runs, s.missing, s.keyNames]), [[2, false, ['?user.id', 'a']], [1, true, ['?user.id', 'b']], [1, false, ['?user.id', 'c']]]);
  assert.deepEqual(q.stages[0]!.keyOptional, [true, false]);
  assert.equal(q.stages[0]!.keys[0]!({ user: { id: 7 } }), 7);
  assert.equal(q.until?.filter({ event: { category: 'process' } }), false);
  assert.deepEqual(q.pipes, [{ kind: 'tail', count: 3 }]);
});

test('sequence: one stage with runs >= 2 is a sequence (detection-rules use it)', () => {
  const q = compileQuery('sequence by host.id with maxspan=1m [process where process.name : "pbpaste"] with runs = 5');
  assert.equal(q.kind === 'sequence' && q.stages[0]!.runs, 5);
});

test('sample: stages and keys compile', () => {
  const q = compileQuery('sample by host [any where a == 1] [any where b == 2] | head 2');
  assert.equal(q.kind, 'sample');
  if (q.kind === 'sample') assert.equal(q.stages.length, 2);
});

test('the seed rule compiles, and its first stage matches a GenAI-parented base64 exec', async (t) => {
  const { readFileSync, existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { parse } = await import('smol-toml');
  const { projectRoot } = await import('../conformance/eql-conformance-harness.js');
  const file = join(projectRoot(), '..', 'shared', 'seed', 'defense_evasion_genai_process_encoding_prior_to_network_activity.toml');
  if (!existsSync(file)) {
    t.skip(`${file} is absent`);
    return;
  }
  const rule = parse(readFileSync(file, 'utf8')) as { rule: { query: string } };
  const q = compileQuery(rule.rule.query);
  assert.equal(q.kind, 'sequence');
  if (q.kind !== 'sequence') return;
  assert.equal(q.maxspanMs, 30_000);
  const exec = { event: { category: ['process'], type: ['start'], action: 'exec' }, process: { name: 'base64', parent: { name: 'claude' }, entity_id: 'e1' } };
  assert.equal(q.stages[0]!.filter(exec), true);
  assert.equal(q.stages[0]!.filter({ ...exec, process: { ...exec.process, parent: { name: 'bash' } } }), false);
  assert.deepEqual(q.stages[0]!.constraints['event.type'], ['start']);
});
