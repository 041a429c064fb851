import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { RawEvent } from '../../src/collectors/raw-event.js';
import { ActivityJournal } from '../../src/journal/activity-journal.js';
import { JournalReader } from '../../src/journal/journal-reader.js';
import { sessionTreeText } from '../../src/cli/session-tree-text.js';
import { sessionTreeHtml } from '../../src/cli/session-tree-html.js';
import { proc, T0 } from '../normalize/normalize-fixtures.js';
import { journalOf, L, LIMITS, normalize, scenario } from './journal-scenario.js';
import { tempDir } from '../alerts/temp-dir.js';

test('one session per AI-agent root, with its descendants, connections and counts; a plain shell makes none', () => {
  const tmp = tempDir('journal');
  try {
    journalOf(tmp.dir, normalize(scenario()));
    const path = join(tmp.dir, 'alerts-ai.db');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const r = JournalReader.open(path);
    try {
      const list = r.sessions();
      assert.equal(list.length, 1);
      const s = list[0]!;
      assert.equal(s.agent, 'claude_code');
      assert.equal(s.pid, 11);
      assert.equal(s.user, 'alice');
      assert.equal(s.workingDirectory, '/tmp/proj');
      assert.deepEqual([s.processes, s.processesDropped, s.connections, s.connectionsDropped, s.alerts], [4, 0, 2, 0, 0]);
      assert.equal(s.end, new Date(T0 + 14).toISOString());
      const d = r.session(s.id)!;
      assert.deepEqual(d.processes.map((p) => [p.pid, p.commandLine, p.exitCode]), [
        [11, 'claude -p fix \u001b[31mthe\u001b[0m tests', 0],
        [12, 'sh -c git status', 0],
        [13, 'git status', 0],
        [14, 'python3 fetch.py', 1],
      ]);
      assert.deepEqual(d.connections.map((c) => [c.ip, c.port, c.outcome]), [['127.0.0.1', 8080, 'success'], ['93.184.216.34', 443, 'failure']]);
      const text = sessionTreeText(d, 100);
      const tree = text.split('\n\n')[1]!;
      assert.equal(tree, [
        'claude -p fix \\x1b[31mthe\\x1b[0m tests  [pid 11]',
        '├── sh -c git status  [pid 12]',
        '│   └── git status  [pid 13]',
        '└── python3 fetch.py  [pid 14, exit 1]',
        '        connect to 127.0.0.1:8080 tcp (success)',
        '        connect to 93.184.216.34:443 tcp (failure)',
        '',
      ].join('\n'));
      assert.ok(!text.includes('\u001b'), 'no raw escape reaches the terminal');
      assert.ok(text.split('\n').every((l) => l.length <= 100));
      assert.ok(sessionTreeText(d, 40).split('\n').every((l) => l.length <= 40), 'fits a narrow terminal');
      const html = sessionTreeHtml(d);
      assert.ok(!/<script|https?:\/\/|src=/i.test(html), 'self-contained');
      assert.equal(html.match(/class="process"/g)?.length, 4);
      assert.equal(html.match(/class="what connection"/g)?.length, 2);
      assert.ok(!html.includes('\u001b'));
    } finally {
      r.close();
    }
  } finally {
    tmp.cleanup();
  }
});

test('caps: a session spawning 10,000 processes keeps the first N rows and counts the rest', () => {
  const tmp = tempDir('journal-cap');
  try {
    const raws: RawEvent[] = [{ ...L, kind: 'exec', timeMs: T0, process: proc(2, '2', { ppid: 1, parentStartKey: '1', executable: '/usr/bin/claude', args: ['claude'] }) }];
    for (let i = 0; i < 10_000; i++) {
      const pid = 1000 + i;
      raws.push({ ...L, kind: 'fork', timeMs: T0 + 1 + i, process: proc(pid, String(pid), { ppid: 2, parentStartKey: '2' }) });
      raws.push({ ...L, kind: 'exec', timeMs: T0 + 1 + i, process: proc(pid, String(pid), { ppid: 2, parentStartKey: '2', executable: '/usr/bin/true', args: ['true', String(i)] }) });
      raws.push({ ...L, kind: 'exit', timeMs: T0 + 1 + i, exitCode: 0, process: proc(pid, String(pid)) });
    }
    journalOf(tmp.dir, normalize(raws), { ...LIMITS, maxProcessesPerSession: 1000 });
    const r = JournalReader.open(join(tmp.dir, 'alerts-ai.db'));
    try {
      const s = r.sessions()[0]!;
      assert.deepEqual([s.processes, s.processesDropped], [10_001, 9_001]);
      const d = r.session(s.id)!;
      assert.equal(d.processes.length, 1000);
      assert.ok(sessionTreeText(d, 120).includes('10001 processes (+9001 not kept)'));
    } finally {
      r.close();
    }
  } finally {
    tmp.cleanup();
  }
});

test('retention: ended sessions older than the retention age are deleted; running ones stay', () => {
  const tmp = tempDir('journal-retention');
  try {
    const old = Date.now() - 40 * 86_400_000;
    const raws: RawEvent[] = [
      { ...L, kind: 'exec', timeMs: old, process: proc(2, '2', { ppid: 1, parentStartKey: '1', executable: '/usr/bin/claude', args: ['claude'] }) },
      { ...L, kind: 'exit', timeMs: old + 1, exitCode: 0, process: proc(2, '2') },
      { ...L, kind: 'exec', timeMs: old + 2, process: proc(3, '3', { ppid: 1, parentStartKey: '1', executable: '/usr/bin/codex', args: ['codex'] }) },
    ];
    journalOf(tmp.dir, normalize(raws));
    const path = join(tmp.dir, 'alerts-ai.db');
    let r = JournalReader.open(path);
    assert.equal(r.sessions().length, 2);
    r.close();
    const j = ActivityJournal.open(path, LIMITS);
    assert.equal(j.stats().pruned, 1, 'pruned at open');
    j.close();
    r = JournalReader.open(path);
    assert.deepEqual(r.sessions().map((s) => s.agent), ['codex']);
    r.close();
  } finally {
    tmp.cleanup();
  }
});

test('file events: changes and sensitive opens of a session are journaled, counted and shown', () => {
  const tmp = tempDir('journal-files');
  try {
    const raws: RawEvent[] = [
      { ...L, kind: 'exec', timeMs: T0, process: proc(2, '2', { ppid: 1, parentStartKey: '1', executable: '/usr/bin/claude', args: ['claude'] }) },
      { ...L, kind: 'exec', timeMs: T0 + 1, process: proc(3, '3', { ppid: 2, parentStartKey: '2', executable: '/usr/bin/python3', args: ['python3', 'x.py'] }) },
      { ...L, kind: 'file', action: 'creation', timeMs: T0 + 2, process: proc(3, '3'), path: '/tmp/proj/out.txt', result: 0 },
      { ...L, kind: 'file', action: 'open', timeMs: T0 + 3, process: proc(3, '3'), path: '/root/.ssh/id_ed25519', result: 3 },
      { ...L, kind: 'file', action: 'rename', timeMs: T0 + 4, process: proc(3, '3'), path: '/tmp/proj/b', originalPath: '/tmp/proj/a', result: 0 },
      // a plain process's file events belong to no session
      { ...L, kind: 'exec', timeMs: T0 + 5, process: proc(9, '9', { ppid: 1, parentStartKey: '1', executable: '/usr/bin/vim', args: ['vim'] }) },
      { ...L, kind: 'file', action: 'modification', timeMs: T0 + 6, process: proc(9, '9'), path: '/root/.bashrc', result: 0 },
    ];
    journalOf(tmp.dir, normalize(raws), { ...LIMITS, maxFilesPerSession: 2 });
    const r = JournalReader.open(join(tmp.dir, 'alerts-ai.db'));
    try {
      const [s, ...others] = r.sessions();
      assert.equal(others.length, 0);
      assert.deepEqual([s!.filesWritten, s!.sensitiveReads, s!.filesDropped], [2, 1, 1]);
      const d = r.session(s!.id)!;
      assert.deepEqual(d.files.map((f) => [f.action, f.path, f.sensitive]), [['creation', '/tmp/proj/out.txt', false], ['open', '/root/.ssh/id_ed25519', true]]);
      const text = sessionTreeText(d, 120);
      assert.match(text, /created \/tmp\/proj\/out\.txt/);
      assert.match(text, /read \(sensitive\) \/root\/\.ssh\/id_ed25519/);
      assert.match(text, /2 files written, 1 sensitive read \(\+1 not kept\)/);
    } finally {
      r.close();
    }
  } finally {
    tmp.cleanup();
  }
});
