import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EbpfCollector } from '../../src/collectors/linux/ebpf-collector.js';
import { startAgent, type RunningAgent } from '../helpers/agent-process.js';
import { listAlerts, type AlertJson } from '../helpers/alerts-cli.js';

// Issue 12: the corpus rule "GenAI Process Accessing Sensitive Files" (bundled unchanged) fires live on eBPF
// `open` events that the rule itself put into the kernel filter (known_hosts, credentials are its file.name
// values), for a process named claude; a process named bash doing the same raises nothing.
const RULE_ID = 'c0136397-f82a-45e5-9b9f-a3651d77e21a';
const cannotLoad = await EbpfCollector.probe();

let dir = '';
let db = '';
let events = '';
let agent: RunningAgent | null = null;

before(async () => {
  if (cannotLoad !== null) return;
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'vigil-e2e-files-')));
  db = join(dir, 'alerts.db');
  events = join(dir, 'events.ndjson');
  writeFileSync(join(dir, 'vigil.toml'), `[outputs]\nevents_ndjson = "${events}"\n`);
  writeFileSync(join(dir, 'known_hosts'), 'host ssh-ed25519 AAAA\n');
  writeFileSync(join(dir, 'credentials'), '[default]\n');
  agent = await startAgent(['--config', join(dir, 'vigil.toml'), '--db', db, '--state-dir', dir, '--backend', 'ebpf', '--log-format', 'json', '--no-notify'], { timeoutMs: 30000 });
});

after(async () => {
  const code = agent !== null ? await agent.stop('SIGTERM') : 0;
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
  assert.equal(code, 0, 'SIGTERM exits 0');
});

/** Runs a copy of bash named `name` that reads both files twice with builtins (the opens are its own). */
function readAs(name: string): Promise<number> {
  const exe = join(dir, name);
  copyFileSync('/bin/bash', exe);
  return new Promise((resolve, reject) => {
    const child = spawn(exe, ['-c', `cd ${dir}; for f in known_hosts credentials known_hosts credentials; do read -r l < $f; done`], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(child.pid!));
  });
}

async function alertsOf(pid: number, want: number, timeoutMs: number): Promise<AlertJson[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mine = listAlerts(db).filter((a) => a.rule.id === RULE_ID && a.events.some((e) => e?.['process']?.['pid'] === pid));
    if (mine.length >= want || Date.now() > deadline) return mine;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function opensOf(pid: number): Array<Record<string, any>> {
  if (!existsSync(events)) return [];
  // the agent may be appending: only complete lines (the text after the last newline is still being written)
  const lines = readFileSync(events, 'utf8').split('\n');
  lines.pop();
  return lines
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, any>)
    .filter((e) => e['event']?.['action'] === 'open' && e['process']?.['pid'] === pid);
}

/** The pid's open events once the event log holds `want` of them (it is flushed about once a second), or after 10 s. */
async function opensLogged(pid: number, want: number): Promise<Array<Record<string, any>>> {
  const deadline = Date.now() + 10_000;
  while (opensOf(pid).length < want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 1200)); // one more flush: nothing beyond `want` may follow
  return opensOf(pid);
}

test('claude (a copy of bash) reading known_hosts and credentials: the corpus rule fires, one open per file', { skip: cannotLoad ?? false }, async () => {
  const pid = await readAs('claude');
  const alerts = await alertsOf(pid, 2, 8000);
  assert.equal(alerts.length, 2, 'one alert per sensitive file (the second reads are deduplicated)');
  const files = alerts.map((a) => a.events[0]!['file']['path']).sort();
  assert.deepEqual(files, [join(dir, 'credentials'), join(dir, 'known_hosts')]);
  for (const a of alerts) {
    const e = a.events[0]!;
    assert.equal(a.collector, 'ebpf');
    assert.equal(e['event']['action'], 'open');
    assert.equal(e['event']['outcome'], 'success');
    assert.equal(e['process']['name'], 'claude');
    assert.equal(e['process']['executable'], join(dir, 'claude'));
  }
  const opens = (await opensLogged(pid, 2)).map((e) => e['file']['name']).sort();
  assert.deepEqual(opens, ['credentials', 'known_hosts'], 'each file read twice, reported once');
});

test('bash reading the same files raises nothing', { skip: cannotLoad ?? false }, async () => {
  const pid = await readAs('bash');
  assert.equal((await opensLogged(pid, 2)).length, 2, 'the opens are reported all the same');
  assert.deepEqual(await alertsOf(pid, 1, 1500), [], 'no alert of the rule');
});
