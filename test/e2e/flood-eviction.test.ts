import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EbpfCollector } from '../../src/collectors/linux/ebpf-collector.js';
import { projectRoot, startAgent } from '../helpers/agent-process.js';
import { listAlerts, type AlertJson } from '../helpers/alerts-cli.js';

/**
 * Issue 19, defect 1 (flood evasion), on real eBPF: a root process started from /tmp waits, then connects
 * out; meanwhile `nobody` execs a binary copied to /tmp 3000 times a second for 10 s, each exec a first
 * stage of "Program Started from a Temporary Directory Connects Out", so the rule's 10 000 partial
 * sequences fill up three times over. With oldest-first eviction the pending sequence was flushed and the
 * connect raised nothing; with fair eviction nobody's flood evicts nobody's sequences, the real one alerts,
 * the evictions are counted per rule in status.json and a health alert is stored.
 */
const RULE = join(projectRoot, 'config', 'rules', 'command_and_control_temp_binary_network_connection.toml');
const RULE_ID = 'cc3fb7af-3a33-4108-9d6f-45b88009aa60';
const cannotLoad = await EbpfCollector.probe();
const skip = cannotLoad ?? (process.arch !== 'x64' ? 'exec-nop is x86-64 only' : process.getuid?.() !== 0 ? 'needs root to run a flood as nobody' : false);

function build(dir: string): { pacer: string; nop: string } {
  const src = join(projectRoot, 'native', 'linux', 'bench');
  const pacer = join(dir, 'exec-pacer');
  const nop = join(dir, 'flood-nop');
  for (const [args, what] of [
    [['-O2', join(src, 'exec-pacer.c'), '-o', pacer], 'exec-pacer'],
    [['-O2', '-static', '-nostdlib', '-fno-stack-protector', join(src, 'exec-nop.c'), '-o', nop], 'exec-nop'],
  ] as const) {
    const r = spawnSync('cc', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cannot build ${what}: ${r.stderr}`);
  }
  return { pacer, nop };
}

interface Paced {
  readonly spawned: number;
  readonly achieved: number;
  readonly seconds: number;
}

/** `exec-pacer 1500 10` as nobody: 15 000 execs of the /tmp copy of exec-nop. */
async function runPacer(pacer: string, nop: string, token: string): Promise<Paced> {
  const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', pacer, '1500', '10', token, nop], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0, `the flood ran: ${err}`);
  return JSON.parse(out) as Paced;
}

async function waitFor(db: string, pred: (alerts: AlertJson[]) => boolean, timeoutMs: number): Promise<AlertJson[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alerts = listAlerts(db);
    if (pred(alerts) || Date.now() > deadline) return alerts;
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('flood evasion: a pending sequence still alerts while nobody floods its first stage at 3000 execs/s for 10 s; the eviction health alert is stored', { skip, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-flood-'));
  chmodSync(dir, 0o755); // nobody runs the flood binaries from here
  const db = join(dir, 'alerts.db');
  const config = join(dir, 'vigil.toml');
  writeFileSync(config, `[rules]\npaths = [${JSON.stringify(RULE)}]\n[engine]\nmax_sequences_per_rule = 10000\n[status]\ninterval_s = 1\n`);
  const agent = await startAgent(['--config', config, '--db', db, '--state-dir', dir, '--backend', 'ebpf', '--log-format', 'json', '--no-notify'], { timeoutMs: 30000 });
  try {
    const { pacer, nop } = build(dir);
    const shell = join(dir, 'stager');
    copyFileSync('/bin/bash', shell);
    chmodSync(shell, 0o755);
    // The real one: root, started from /tmp just before the flood; connects out (no route: ENETUNREACH) 7 s later.
    const victim = spawn('unshare', ['-n', shell, '-c', 'echo $$; sleep 7; exec 3<>/dev/tcp/203.0.113.7/443'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const victimExit = once(victim, 'exit');
    let victimOut = '';
    victim.stdout!.on('data', (c: Buffer) => (victimOut += c.toString()));
    await new Promise((r) => setTimeout(r, 300));
    // Two pacers of 1500/s each: one process alone falls behind when the shared cores are busy.
    const paced = await Promise.all([0, 1].map((i) => runPacer(pacer, nop, `vigil-flood-${i}`)));
    const spawned = paced[0]!.spawned + paced[1]!.spawned;
    const rate = Math.round(spawned / Math.max(paced[0]!.seconds, paced[1]!.seconds));
    await victimExit;
    const victimPid = Number(victimOut.trim());
    assert.ok(victimPid > 0, 'the stager printed its pid');

    const mine = (alerts: AlertJson[]) => alerts.filter((a) => a.rule.id === RULE_ID && a.events[0]?.['process']?.['pid'] === victimPid);
    const health = (alerts: AlertJson[]) => alerts.filter((a) => a.rule.id === 'vigil-health:sequence-eviction');
    const alerts = await waitFor(db, (a) => mine(a).length > 0 && health(a).length > 0, 15_000);
    const status = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as { sequences: { evicted?: number; evictedByRule?: Record<string, number> } };
    const evicted = status.sequences.evictedByRule?.['Program Started from a Temporary Directory Connects Out'] ?? 0;
    console.log(`flood: ${spawned} execs as nobody (${rate}/s); evicted ${evicted}; ${health(alerts).length} health alert(s)`);
    assert.ok(spawned > 10_000, `the flood exceeded the cap (${spawned} execs)`);
    assert.equal(mine(alerts).length, 1, 'the pending sequence of the real process tree alerted despite the flood');
    assert.equal(mine(alerts)[0]!.events[1]?.['destination']?.['ip'], '203.0.113.7');
    assert.ok(evicted > 0, 'status.json counts the evictions per rule');
    const h = health(alerts);
    assert.equal(h.length, 1, 'one health alert per rule per interval');
    assert.match(h[0]!.rule.name, /^detection degraded: rule Program Started from a Temporary Directory Connects Out evicted \d+ partial sequences$/);
    const details = h[0]!.events[0]?.['vigil']?.['health'];
    assert.equal(details?.['rule']?.['id'], RULE_ID);
    assert.equal(details?.['top_owners']?.[0]?.['user_id'], '65534', 'the flood came from nobody');
  } finally {
    assert.equal(await agent.stop('SIGTERM'), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});
