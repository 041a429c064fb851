/**
 * What the AI-agent activity journal costs: two `vigil run` agents (eBPF, bundled rules, alert store) attached
 * at the same time, one with the journal on and one with `[journal] enabled = false`, watch the same exec storm
 * at 1600 execs/s run under a process named `claude` (a copy of bash that execs native/linux/bench/exec-pacer),
 * so every exec is an AI-agent descendant. The journal's per-session process cap is raised above the storm,
 * so every process is journaled (the worst case; past the cap processes are only counted). Each side's CPU
 * (Node + its eBPF helper, from /proc) over the same storm; ROUNDS rounds, each a new session.
 *
 * Needs root (eBPF); skips with the reason otherwise. Prints a table, writes bench/results/ai-journal-cost.json.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EbpfCollector } from '../src/collectors/linux/ebpf-collector.js';
import { JournalReader } from '../src/journal/journal-reader.js';
import { projectRoot, startAgent, type RunningAgent } from '../test/helpers/agent-process.js';
import { childrenOf, cpuPct, cpuTicks, mb, statusKb } from './proc-usage.js';
import { runPacer, type PacerResult } from './pacer-run.js';

const STORM_S = Number(process.env['BENCH_STORM_SECONDS'] ?? 10);
const RATE = Number(process.env['BENCH_RATE'] ?? 1600);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
const nativeBuild = join(projectRoot, 'native', 'linux', 'build');
const resultPath = join(projectRoot, 'bench', 'results', 'ai-journal-cost.json');
const program = join(nativeBuild, 'exec-nop');

function writeResult(body: object): void {
  mkdirSync(join(projectRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(resultPath, JSON.stringify(body, null, 2) + '\n');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const r2 = (x: number): number => Math.round(x * 100) / 100;

/** exec-pacer at `rate` for `seconds`, exec'd by a process named claude (so the pacer is the agent's root). */
function stormUnderClaude(claude: string, rate: number, seconds: number, token: string): Promise<PacerResult> {
  return runPacer(claude, ['-c', `exec ${join(nativeBuild, 'exec-pacer')} ${rate} ${seconds} ${token} ${program}`]);
}

function status(dir: string): { raw: number; lost: number } {
  const s = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as { stages: { collector: { in: number; lost: number } } };
  return { raw: s.stages.collector.in, lost: s.stages.collector.lost };
}

interface Side {
  readonly name: 'on' | 'off';
  readonly dir: string;
  readonly agent: RunningAgent;
  readonly pids: number[];
}

async function main(): Promise<void> {
  const why = await EbpfCollector.probe();
  if (why !== null) {
    console.log(`ai-journal-cost: skipped: ${why}`);
    writeResult({ bench: 'ai-journal-cost', skipped: why });
    return;
  }
  if (!existsSync(join(nativeBuild, 'exec-pacer')) || !existsSync(program)) {
    if (spawnSync('make', ['-C', join(projectRoot, 'native', 'linux'), 'bench'], { stdio: 'inherit' }).status !== 0) throw new Error('cannot build exec-pacer');
  }
  const root = mkdtempSync(join(tmpdir(), 'vigil-bench-journal-'));
  const claude = join(root, 'claude');
  copyFileSync('/bin/bash', claude);
  const sides: Side[] = [];
  try {
    for (const name of ['on', 'off'] as const) {
      const dir = join(root, name);
      mkdirSync(dir);
      const config = join(dir, 'vigil.toml');
      writeFileSync(config, `[status]\ninterval_s = 1\n\n[journal]\nenabled = ${name === 'on'}\nmax_processes_per_session = 1000000\n`);
      const agent = await startAgent(['--config', config, '--db', join(dir, 'alerts.db'), '--state-dir', dir, '--backend', 'ebpf', '--log-format', 'json', '--no-notify']);
      sides.push({ name, dir, agent, pids: [agent.child.pid!, ...childrenOf(agent.child.pid!)] });
    }
    await sleep(3000);
    await stormUnderClaude(claude, RATE, 3, 'warmup'); // JIT of the per-event paths, not measured
    await sleep(3000);
    const rows: Array<Record<string, number>> = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const s0 = sides.map((s) => status(s.dir));
      const t0 = sides.map((s) => s.pids.map(cpuTicks));
      const start = performance.now();
      const pacer = await stormUnderClaude(claude, RATE, STORM_S, `journal-${round}`);
      const seconds = (performance.now() - start) / 1000;
      const t1 = sides.map((s) => s.pids.map(cpuTicks));
      await sleep(2500);
      const s1 = sides.map((s) => status(s.dir));
      const [on, off] = [cpuPct(t0[0]!, t1[0]!, seconds), cpuPct(t0[1]!, t1[1]!, seconds)];
      rows.push({
        round, achieved: Math.round(pacer.achieved), spawned: pacer.spawned, cpuOnPct: on, cpuOffPct: off, ratio: off > 0 ? r2(on / off) : Number.NaN,
        extraCpuPct: r2(on - off), rawOn: s1[0]!.raw - s0[0]!.raw, rawOff: s1[1]!.raw - s0[1]!.raw, lostOn: s1[0]!.lost - s0[0]!.lost, lostOff: s1[1]!.lost - s0[1]!.lost,
        rssOnMb: mb(statusKb(sides[0]!.pids[0]!, 'VmRSS')), rssOffMb: mb(statusKb(sides[1]!.pids[0]!, 'VmRSS')),
      });
      await sleep(1000);
    }
    for (const s of sides) await s.agent.stop('SIGINT');
    const reader = JournalReader.open(join(sides[0]!.dir, 'alerts-ai.db'));
    const sessions = reader.sessions().filter((s) => s.agent === 'claude_code' && (s.commandLine ?? '').includes('exec-pacer'));
    reader.close();
    const journaled = sessions.map((s) => ({ id: s.id, processes: s.processes, dropped: s.processesDropped }));
    console.log(`ai-journal-cost: two agents (journal on / off) on the same ${RATE} execs/s storm under claude, ${STORM_S} s per round`);
    console.log('| round | execs/s | agent CPU % journal on | agent CPU % journal off | on/off | extra % of a core | raw events on / off | lost on / off | RSS MB on / off |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(`| ${r['round']} | ${r['achieved']} | ${r['cpuOnPct']} | ${r['cpuOffPct']} | ${r['ratio']} | ${r['extraCpuPct']} | ${r['rawOn']} / ${r['rawOff']} | ${r['lostOn']} / ${r['lostOff']} | ${r['rssOnMb']} / ${r['rssOffMb']} |`);
    }
    console.log(`journal sessions of the storms: ${journaled.map((j) => `${j.processes} processes (${j.dropped} over the cap)`).join(', ')}`);
    writeResult({
      bench: 'ai-journal-cost', when: new Date().toISOString(), cpus: cpus().length, cpuModel: cpus()[0]?.model, loadavg: loadavg(),
      rate: RATE, stormSeconds: STORM_S, rows, journaled,
    });
  } finally {
    for (const s of sides) await s.agent.stop('SIGINT');
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
