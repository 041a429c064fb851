import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { compileFieldGetter } from '../../src/ecs/field-getter.js';
import type { RawEvent } from '../../src/collectors/raw-event.js';
import { AiAgentTable, AiAgentTableError, globMatch } from '../../src/normalize/ai-agent-table.js';
import { fixtureEtc, makeNormalizer, proc, T0 } from './normalize-fixtures.js';

const NAME = compileFieldGetter('process.ai_agent.name');
const DESC = compileFieldGetter('process.ai_agent.is_descendant');
const L = { backend: 'ebpf', platform: 'linux' } as const;

test('globMatch: * any run, ? one character, the rest literal', () => {
  const rows: Array<[string, string, boolean]> = [
    ['*/.local/share/claude/versions/*', '/home/a/.local/share/claude/versions/1.0.3', true],
    ['*/.local/share/claude/versions/*', '/home/a/.local/share/claude/1.0.3', false],
    ['*@anthropic-ai/claude-code*', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js', true],
    ['*@anthropic-ai/claude-code*', '/usr/lib/node_modules/@anthropic-ai/claude/cli.js', false],
    ['aider', 'aider', true],
    ['aider', 'aiders', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*/github.copilot*/*', '/x/github.copilot-1.2/dist', true],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['a.c', 'abc', false],
  ];
  for (const [p, s, want] of rows) assert.equal(globMatch(p, s), want, `${p} ~ ${s}`);
});

test('globMatch: a hostile path costs O(pattern x input), not backtracking', () => {
  const s = '/'.repeat(4096) + 'x';
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 10; i++) assert.equal(globMatch('*/*/*/*/*/*/y', s), false);
  assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 2000, 'ten hostile matches well under 2 s');
});

test('the bundled table: names, executable paths, interpreter + argument patterns; negatives', () => {
  const t = AiAgentTable.load();
  const rows: Array<[string | undefined, string | undefined, string[] | undefined, string | undefined]> = [
    ['claude', '/home/a/.local/bin/claude', ['claude'], 'claude_code'],
    ['2.0.14', '/home/a/.local/share/claude/versions/2.0.14', ['claude'], 'claude_code'],
    ['node', '/usr/bin/node', ['node', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js'], 'claude_code'],
    ['node', '/usr/bin/node', ['node', '--no-warnings', '/usr/lib/node_modules/@openai/codex/bin/codex.js'], 'codex'],
    ['codex', '/usr/local/bin/codex', ['codex', 'exec'], 'codex'],
    ['Cursor Helper (Plugin)', '/Applications/Cursor.app/Contents/Frameworks/Cursor Helper (Plugin).app/Contents/MacOS/Cursor Helper (Plugin)', [], 'cursor'],
    ['gemini', '/usr/bin/gemini', ['gemini'], 'gemini_cli'],
    ['ollama', '/usr/local/bin/ollama', ['ollama', 'serve'], 'ollama'],
    ['python3', '/usr/bin/python3', ['python3', '-m', 'aider'], 'aider'],
    ['python3', '/usr/bin/python3', ['python3', '/home/a/.venv/bin/aider', '--model', 'x'], 'aider'],
    ['copilot', '/usr/bin/copilot', ['copilot'], 'copilot'],
    // negatives: the interpreter alone, an unrelated script, a name that only contains an agent's name
    ['node', '/usr/bin/node', ['node', '/srv/app/server.js'], undefined],
    ['python3', '/usr/bin/python3', ['python3', 'build.py'], undefined],
    ['bash', '/usr/bin/bash', ['bash', '-c', 'claude'], undefined],
    ['claudette', '/usr/bin/claudette', ['claudette'], undefined],
    ['git', '/usr/bin/git', ['git', 'status', '@anthropic-ai/claude-code'], undefined],
    [undefined, undefined, undefined, undefined],
  ];
  for (const [name, exe, args, want] of rows) assert.equal(t.match(name, exe, args), want, `${name} ${exe} ${args?.join(' ')}`);
});

test('a user table adds entries and extends bundled ones; bad tables name the file and entry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ai-table-'));
  try {
    const file = join(dir, 'mine.toml');
    writeFileSync(file, '[my_bot]\nnames = ["mybot"]\n\n[claude_code]\nnames = ["claude-wrapper"]\n');
    const t = AiAgentTable.load(file);
    assert.equal(t.match('mybot', undefined, undefined), 'my_bot');
    assert.equal(t.match('claude-wrapper', undefined, undefined), 'claude_code');
    assert.equal(t.match('claude', undefined, undefined), 'claude_code', 'bundled names kept');
    const bad: Array<[string, RegExp]> = [
      ['[x]\nnames = "claude"\n', /x\.names must be an array of non-empty strings/],
      ['[x]\nprocess = ["a"]\n', /unknown key x\.process/],
      ['[x]\ninterpreters = ["node"]\n', /interpreters and args go together/],
      ['[Bad-Name]\nnames = ["a"]\n', /lower case letters/],
      ['[x\n', /TOML syntax error/],
    ];
    for (const [text, re] of bad) {
      writeFileSync(file, text);
      assert.throws(() => AiAgentTable.load(file), (err: unknown) => err instanceof AiAgentTableError && re.test(err.message) && err.message.includes(file));
    }
    assert.throws(() => AiAgentTable.load(join(dir, 'missing.toml')), /cannot read AI-agent table/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function run(events: RawEvent[]): EcsEvent[] {
  const etc = fixtureEtc();
  try {
    const n = makeNormalizer(etc.dir);
    return events.map((r) => n.normalize(r)).filter((d): d is EcsEvent => d !== null);
  } finally {
    etc.dispose();
  }
}

const net = { transport: 'tcp', family: 'ipv4', source: { ip: '127.0.0.1', port: 40000 }, destination: { ip: '127.0.0.1', port: 80 } } as const;

test('propagation: the agent is named on its own events and on every descendant, across fork and exec, on network events too', () => {
  const docs = run([
    { ...L, kind: 'exec', timeMs: T0, process: proc(10, '10', { ppid: 1, parentStartKey: '1', executable: '/usr/bin/bash', args: ['bash'] }) },
    { ...L, kind: 'fork', timeMs: T0 + 1, process: proc(11, '11', { ppid: 10, parentStartKey: '10' }) },
    { ...L, kind: 'exec', timeMs: T0 + 2, process: proc(11, '11', { ppid: 10, parentStartKey: '10', executable: '/home/a/.local/bin/claude', args: ['claude', '-p', 'hi'] }) },
    { ...L, kind: 'fork', timeMs: T0 + 3, process: proc(12, '12', { ppid: 11, parentStartKey: '11' }) },
    { ...L, kind: 'exec', timeMs: T0 + 4, process: proc(12, '12', { ppid: 11, parentStartKey: '11', executable: '/usr/bin/sh', args: ['sh', '-c', 'git status'] }) },
    // a grandchild seen first at exec (its fork was missed)
    { ...L, kind: 'exec', timeMs: T0 + 5, process: proc(13, '13', { ppid: 12, parentStartKey: '12', executable: '/usr/bin/git', args: ['git', 'status'] }) },
    { ...L, kind: 'connect', timeMs: T0 + 6, ...net, result: 0, process: proc(13, '13') },
    { ...L, kind: 'connect', timeMs: T0 + 7, ...net, result: 0, process: proc(11, '11') },
    { ...L, kind: 'exit', timeMs: T0 + 8, exitCode: 0, process: proc(13, '13') },
    // the shell that started claude, and a sibling of claude, are not the agent's
    { ...L, kind: 'fork', timeMs: T0 + 9, process: proc(14, '14', { ppid: 10, parentStartKey: '10' }) },
    { ...L, kind: 'exec', timeMs: T0 + 10, process: proc(14, '14', { ppid: 10, parentStartKey: '10', executable: '/usr/bin/git', args: ['git', 'log'] }) },
    // an exec of the root keeps its identity (the session does not end at a re-exec)
    { ...L, kind: 'exec', timeMs: T0 + 11, process: proc(11, '11', { ppid: 10, parentStartKey: '10', executable: '/usr/bin/node', args: ['node', 'x.js'] }) },
  ]);
  const rows = docs.map((d) => [compileFieldGetter('event.action')(d), compileFieldGetter('process.pid')(d), NAME(d), DESC(d)]);
  assert.deepEqual(rows, [
    ['exec', 10, undefined, undefined],
    ['fork', 11, undefined, undefined],
    ['exec', 11, 'claude_code', false],
    ['fork', 12, 'claude_code', true],
    ['exec', 12, 'claude_code', true],
    ['exec', 13, 'claude_code', true],
    ['connection_attempted', 13, 'claude_code', true],
    ['connection_attempted', 11, 'claude_code', false],
    ['end', 13, 'claude_code', true],
    ['fork', 14, undefined, undefined],
    ['exec', 14, undefined, undefined],
    ['exec', 11, 'claude_code', false],
  ]);
});

test('propagation: an agent already running at startup, and its children, are named from the snapshot lineage', () => {
  const docs = run([
    { ...L, backend: 'procfs', kind: 'snapshot', timeMs: T0, process: proc(20, '20', { ppid: 1, parentStartKey: '1', executable: '/usr/bin/node', args: ['node', '/usr/lib/node_modules/@openai/codex/bin/codex.js'] }) },
    { ...L, backend: 'procfs', kind: 'snapshot', timeMs: T0, process: proc(21, '21', { ppid: 20, parentStartKey: '20', executable: '/usr/bin/bash', args: ['bash'] }) },
    { ...L, backend: 'procfs', kind: 'snapshot', timeMs: T0, process: proc(22, '22', { ppid: 1, parentStartKey: '1', executable: '/usr/bin/bash', args: ['bash'] }) },
    { ...L, kind: 'exec', timeMs: T0 + 1, process: proc(23, '23', { ppid: 21, parentStartKey: '21', executable: '/usr/bin/curl', args: ['curl', 'x'] }) },
  ]);
  assert.deepEqual(docs.map((d) => [NAME(d), DESC(d)]), [
    ['codex', false],
    ['codex', true],
    [undefined, undefined],
    ['codex', true],
  ]);
});

test('recognition off (aiAgents: null): no process.ai_agent at all', () => {
  const etc = fixtureEtc();
  try {
    const n = makeNormalizer(etc.dir, { aiAgents: null });
    const d = n.normalize({ ...L, kind: 'exec', timeMs: T0, process: proc(11, '11', { executable: '/usr/bin/claude', args: ['claude'] }) })!;
    assert.equal(NAME(d), undefined);
  } finally {
    etc.dispose();
  }
});

test('track(raw, true): documents no rule reads are built for AI-agent processes only (the journal reads them)', () => {
  const etc = fixtureEtc();
  try {
    const n = makeNormalizer(etc.dir);
    n.normalize({ ...L, kind: 'exec', timeMs: T0, process: proc(11, '11', { ppid: 1, parentStartKey: '1', executable: '/usr/bin/claude', args: ['claude'] }) });
    const forkAi = n.track({ ...L, kind: 'fork', timeMs: T0 + 1, process: proc(12, '12', { ppid: 11, parentStartKey: '11' }) }, true);
    const exitAi = n.track({ ...L, kind: 'exit', timeMs: T0 + 2, exitCode: 3, process: proc(12, '12') }, true);
    const forkPlain = n.track({ ...L, kind: 'fork', timeMs: T0 + 3, process: proc(20, '20', { ppid: 1, parentStartKey: '1' }) }, true);
    const exitAiUntracked = n.track({ ...L, kind: 'exit', timeMs: T0 + 4, process: proc(11, '11') });
    assert.deepEqual([NAME(forkAi!), DESC(forkAi!)], ['claude_code', true]);
    assert.equal(compileFieldGetter('process.exit_code')(exitAi!), 3);
    assert.equal(forkPlain, null);
    assert.equal(exitAiUntracked, null, 'without the flag nothing is built');
  } finally {
    etc.dispose();
  }
});
