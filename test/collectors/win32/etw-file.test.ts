import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import type { RawFile } from '../../../src/collectors/raw-event.js';
import { etwRecordToRaw } from '../../../src/collectors/win32/etw-record-to-raw.js';
import type { EtwRecord } from '../../../src/collectors/win32/etw-record.js';
import type { EcsEvent } from '../../../src/ecs/ecs-event.js';
import { compileFieldGetter } from '../../../src/ecs/field-getter.js';
import { loadRecords, normalizeRecords, projectRoot } from './win32-fixtures.js';

// Kernel-File records as the addon's tracker hands them to JS (test/fixtures/win32/file-changes.json, written
// from the provider's manifest; the tracker itself is unit-tested in native/win32/test/units.cc).
const records = loadRecords('file-changes');
const fileRecords = records.filter((r) => r.provider === 'kernel-file');
const get = (doc: EcsEvent, field: string): unknown => compileFieldGetter(field)(doc);

test('Kernel-File records -> RawFile: action, Win32 path, original path, status, thread, process identity', () => {
  const raws = fileRecords.map((r) => {
    const m = etwRecordToRaw(r);
    assert.ok(m.ok, JSON.stringify(m));
    return m.event as RawFile;
  });
  assert.deepEqual(raws.map((e) => e.action), ['open', 'open', 'creation', 'overwrite', 'modification', 'deletion', 'deletion', 'rename', 'creation', 'open']);
  const [open, failed, created, , , , , renamed, deep] = raws;
  assert.equal(open!.kind, 'file');
  assert.equal(open!.platform, 'windows');
  assert.equal(open!.backend, 'etw');
  assert.equal(open!.path, 'C:\\Users\\dev\\.aws\\credentials');
  assert.equal(open!.result, 0);
  assert.equal(open!.threadId, 7104);
  assert.equal(open!.process.pid, 7100);
  assert.equal(open!.process.startKey, '3001', 'the sequence number the addon knew for the pid');
  assert.equal(open!.process.executable, 'C:\\Users\\dev\\AppData\\Local\\AnthropicClaude\\claude.exe');
  assert.equal(failed!.result, -1073741772, 'STATUS_OBJECT_NAME_NOT_FOUND as a signed NTSTATUS');
  assert.equal(created!.path, 'C:\\Users\\dev\\Documents\\R\u00e9sum\u00e9 \u65e5\u672c.docx');
  assert.equal(renamed!.path, 'C:\\Users\\dev\\Archive\\notes-\u00e9t\u00e9.md');
  assert.equal(renamed!.originalPath, 'C:\\Users\\dev\\Projects\\app\\notes.md');
  assert.equal(deep!.path.length, 32766, 'a 32k-character path comes through whole');
});

test('Kernel-File records that cannot be mapped say why', () => {
  const base = fileRecords[0]!;
  const bad = (enrich: Partial<EtwRecord['enrich']>, extra: Partial<EtwRecord> = {}): string => {
    const r = etwRecordToRaw({ ...base, ...extra, enrich: { ...base.enrich, ...enrich } } as EtwRecord);
    return r.ok ? 'mapped' : r.reason;
  };
  assert.equal(bad({ filePath: '' }), 'bad_file');
  assert.equal(bad({ fileAction: 'chmod' as never }), 'bad_file');
  assert.equal(bad({}, { headerPid: 0 }), 'missing_pid');
  assert.equal(bad({}, { eventId: 16 }), 'unknown_event', 'a Write never reaches JS on its own');
});

test('Windows file documents have Defend\'s shape (action, type, outcome, file.*, original path)', () => {
  const docs = normalizeRecords(records).filter((d) => get(d, 'event.category')?.toString() === 'file');
  assert.equal(docs.length, 10);
  const byAction = (a: string) => docs.filter((d) => get(d, 'event.action') === a);
  const open = byAction('open')[0]!;
  assert.deepEqual(get(open, 'event.type'), ['access']);
  assert.equal(get(open, 'event.outcome'), 'success');
  assert.equal(get(open, 'event.dataset'), 'endpoint.events.file');
  assert.equal(get(open, 'file.name'), 'credentials');
  assert.equal(get(open, 'file.directory'), 'C:\\Users\\dev\\.aws');
  assert.equal(get(open, 'process.name'), 'claude.exe');
  assert.equal(get(open, 'process.thread.id'), 7104);
  assert.equal(get(open, 'host.os.type'), 'windows');
  assert.equal(get(byAction('open')[1]!, 'event.outcome'), 'failure');
  const overwrite = byAction('overwrite')[0]!;
  assert.deepEqual(get(overwrite, 'event.type'), ['creation']);
  const created = byAction('creation')[0]!;
  assert.equal(get(created, 'file.name'), 'R\u00e9sum\u00e9 \u65e5\u672c.docx');
  assert.equal(get(created, 'file.extension'), 'docx');
  const renamed = byAction('rename')[0]!;
  assert.equal(get(renamed, 'file.Ext.original.path'), 'C:\\Users\\dev\\Projects\\app\\notes.md');
  assert.equal(get(renamed, 'file.Ext.original.name'), 'notes.md');
  assert.equal(byAction('deletion').length, 2);
});

test('the GenAI sensitive-file rule fires through `vigil hunt` on the recorded Windows scenario, only for claude.exe', (t) => {
  const rule = parse(readFileSync(join(projectRoot, 'config', 'rules', 'credential_access_genai_process_sensitive_file_access.toml'), 'utf8')) as { rule: { query: string } };
  const dir = mkdtempSync(join(tmpdir(), 'vigil-win32-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const events = join(dir, 'events.ndjson');
  writeFileSync(events, normalizeRecords(records).map((d) => JSON.stringify(d)).join('\n') + '\n');
  const run = spawnSync(process.execPath, [join(projectRoot, 'dist', 'src', 'cli', 'main.js'), 'hunt', rule.rule.query, '--events', events], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  const hits = run.stdout.split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { _source: EcsEvent })._source);
  assert.deepEqual(hits.map((h) => [get(h, 'process.name'), get(h, 'event.action'), get(h, 'file.name')]), [
    ['claude.exe', 'open', 'credentials'],
    ['claude.exe', 'modification', '.bashrc'],
  ], 'notepad.exe opening the same file and the failed open of known_hosts are not hits');
});
