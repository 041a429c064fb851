import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { EsloggerFileFilter } from '../../../src/collectors/darwin/eslogger-file-filter.js';
import { parseEsloggerLine } from '../../../src/collectors/darwin/eslogger-parser.js';
import type { RawEvent, RawFile } from '../../../src/collectors/raw-event.js';
import type { EcsEvent } from '../../../src/ecs/ecs-event.js';
import { TELEMETRY_COVERAGE } from '../../../src/ecs/emitted-fields.js';
import { compileFieldGetter } from '../../../src/ecs/field-getter.js';
import { deriveAgentId } from '../../../src/normalize/agent-fields.js';
import { Normalizer } from '../../../src/normalize/normalizer.js';
import { SensitiveFilePolicy, type SensitivePattern } from '../../../src/sensitive-file-policy.js';
import { listAlerts } from '../../helpers/alerts-cli.js';
import { unlistedFields } from '../../helpers/leaf-paths.js';
import { ROOT, fixtureLines } from './darwin-test-helpers.js';
import { MAC_HOST } from './seed-scenario.js';

// A recorded macOS scenario written from Apple's Endpoint Security JSON schema (test/fixtures/darwin/
// eslogger-files.jsonl): the `claude` CLI creates, writes, renames and deletes project files, opens
// ~/.aws/credentials and ~/.ssh/known_hosts, and opens package.json (no sensitive path).
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const RULE_FILE = join(ROOT, 'config', 'rules', 'credential_access_genai_process_sensitive_file_access.toml');
const RULE_ID = 'c0136397-f82a-45e5-9b9f-a3651d77e21a';
const get = (doc: EcsEvent, field: string): unknown => compileFieldGetter(field)(doc);

const pattern = (field: SensitivePattern['field'], value: string): SensitivePattern => ({ field, value, wildcard: true, insensitive: true, source: 'test' });
/** The patterns the GenAI rule asks for on `open` (file.name of credential stores), as the policy module takes them. */
const POLICY = new SensitiveFilePolicy([pattern('name', 'credentials'), pattern('name', 'known_hosts'), pattern('name', '.zshrc')]);

/** The scenario through the collector's path: parse, filter (the sensitive-path policy), normalize. */
function scenario(): { docs: EcsEvent[]; raws: RawEvent[]; filter: EsloggerFileFilter; ignored: number } {
  const filter = new EsloggerFileFilter(POLICY);
  const raws: RawEvent[] = [];
  let ignored = 0;
  for (const line of fixtureLines('eslogger-files.jsonl')) {
    const r = parseEsloggerLine(line);
    if (!r.ok || r.event === null) {
      ignored++;
      continue;
    }
    if (r.event.kind === 'file' && !filter.keep(r.event, r.access)) continue;
    raws.push(r.event);
  }
  let now = 0;
  const n = new Normalizer({
    host: MAC_HOST, agent: { id: deriveAgentId(MAC_HOST.hostId), version: '0.1.0' }, nowMs: () => now,
    users: { userName: (uid) => (uid === 501 ? 'dev' : uid === 0 ? 'root' : undefined), groupName: (gid) => (gid === 20 ? 'staff' : undefined) },
  });
  const docs: EcsEvent[] = [];
  for (const raw of raws) {
    now = Math.floor(raw.timeMs) + 1;
    const d = n.normalize(raw);
    if (d !== null) docs.push(d);
  }
  return { docs, raws, filter, ignored };
}

test('eslogger file lines -> RawFile (macos/eslogger) -> Defend-shaped file documents; opens filtered by the policy, counted', () => {
  const { docs, raws, filter, ignored } = scenario();
  assert.equal(ignored, 2, 'the close of an unmodified file reports nothing; a malformed unlink is refused; nothing else');
  const files = raws.filter((e): e is RawFile => e.kind === 'file');
  assert.ok(files.every((e) => e.platform === 'macos' && e.backend === 'eslogger' && e.process.pid === 5200 && e.threadId === 880001 && e.result === 0));
  assert.deepEqual(filter.stats(), { kept: files.length, opensUnmatched: 1, opensRepeated: 0, modificationsRepeated: 2, forgotten: 0 },
    'package.json is not sensitive; the write, the close(modified) and the truncate of out.log are one modification');
  const actions = docs.map((d) => `${String(get(d, 'event.action'))} ${String(get(d, 'file.path'))}`);
  assert.deepEqual(actions, [
    'creation /Users/dev/Projects/app/notes.md',
    'creation /Users/dev/Projects/app/out.log',
    'modification /Users/dev/Projects/app/out.log',
    'rename /Users/dev/Archive/2026/notes-old.md',
    'rename /Users/dev/.zshrc',
    'deletion /Users/dev/Projects/app/out.log',
    'open /Users/dev/.aws/credentials',
    'open /Users/dev/.ssh/known_hosts',
    'attributes_modified /Users/dev/bin/run.sh',
    'attributes_modified /Users/dev/bin/run.sh',
    `creation /Users/dev/deep/${'d/'.repeat(40)}leaf.txt`,
  ]);
  const rename = docs[3]!;
  assert.equal(get(rename, 'file.Ext.original.path'), '/Users/dev/Projects/app/notes.md');
  assert.equal(get(rename, 'file.name'), 'notes-old.md');
  const open = docs[6]!;
  assert.deepEqual(get(open, 'event.category'), ['file']);
  assert.deepEqual(get(open, 'event.type'), ['access']);
  assert.equal(get(open, 'event.outcome'), 'success');
  assert.equal(get(open, 'process.name'), 'claude');
  assert.equal(get(open, 'host.os.type'), 'macos');
  assert.equal(get(open, 'file.owner'), 'dev');
  assert.equal(get(open, 'file.inode'), '20466119');
  assert.deepEqual(unlistedFields(docs, TELEMETRY_COVERAGE.macos.fieldsByCategory!), [], 'every field is one macOS coverage lists');
});

test('the GenAI sensitive-file rule fires on the recorded macOS scenario through vigil hunt and vigil run --replay', { timeout: 120_000 }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-darwin-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const events = join(dir, 'events.ndjson');
  writeFileSync(events, scenario().docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  const query = (parse(readFileSync(RULE_FILE, 'utf8')) as { rule: { query: string } }).rule.query;
  const hunt = spawnSync(process.execPath, [CLI, 'hunt', '--events', events, query], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(hunt.status, 0, hunt.stderr);
  const hits = hunt.stdout.split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { _source: EcsEvent })._source);
  assert.deepEqual(hits.map((h) => [get(h, 'process.name'), get(h, 'event.action'), get(h, 'file.path')]), [
    ['claude', 'open', '/Users/dev/.aws/credentials'],
    ['claude', 'open', '/Users/dev/.ssh/known_hosts'],
  ], 'a rename onto .zshrc is not one of the actions the rule watches');

  const db = join(dir, 'alerts.db');
  const run = spawnSync(process.execPath, [CLI, 'run', '--replay', events, '--db', db, '--state-dir', dir, '--log-format', 'json', '--no-notify'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  const alerts = listAlerts(db).filter((a) => a.rule.id === RULE_ID);
  assert.ok(alerts.length >= 1, `alerts: ${JSON.stringify(listAlerts(db).map((a) => a.rule.name))}`);
  const paths = alerts.flatMap((a) => a.events.map((e) => (e === null ? '' : (e['file']['path'] as string))));
  assert.ok(paths.includes('/Users/dev/.aws/credentials'), JSON.stringify(paths));
  assert.ok(alerts.every((a) => a.events[0]?.['host']['os']['type'] === 'macos'));
});
