/**
 * The whole agent's cost: `vigil run` with the bundled rules on eBPF, measured from outside.
 * - idle: CPU (agent + eBPF helper, % of one core) and RSS over IDLE_S seconds with no load of ours, after a
 *   WARMUP_S-second warm-up;
 * - storm: CPU and RSS while native/linux/bench/exec-pacer execs a tiny program 1600 times a second.
 * Targets (issue 6): idle CPU < 1% of a core, RSS < 150 MB. Prints a table, writes
 * bench/results/agent-resources.json. Needs root (eBPF). The machine's own background activity counts as load.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EbpfCollector } from '../src/collectors/linux/ebpf-collector.js';
import { projectRoot, startAgent } from '../test/helpers/agent-process.js';
import { childrenOf, cpuPct, cpuTicks, mb, statusKb } from './proc-usage.js';

const IDLE_S = Number(process.env['BENCH_IDLE_SECONDS'] ?? 20);
const STORM_S = Number(process.env['BENCH_STORM_SECONDS'] ?? 10);
const RATE = Number(process.env['BENCH_RATE'] ?? 1600);
const WARMUP_S = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 10);
const nativeBuild = join(projectRoot, 'native', 'linux', 'build');

async function measure(pids: number[], seconds: number, during?: () => Promise<unknown>): Promise<{ cpuPct: number; rssMb: number }> {
  const before = pids.map(cpuTicks);
  const t0 = performance.now();
  if (during) await during();
  else await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = (performance.now() - t0) / 1000;
  return { cpuPct: cpuPct(before, pids.map(cpuTicks), elapsed), rssMb: mb(statusKb(pids[0]!, 'VmRSS')) };
}

const why = await EbpfCollector.probe();
if (why !== null) {
  console.error(`agent-resources: skipped: ${why}`);
  process.exit(0);
}
if (!existsSync(join(nativeBuild, 'exec-pacer'))) {
  if (spawnSync('make', ['-C', join(projectRoot, 'native', 'linux'), 'bench'], { stdio: 'inherit' }).status !== 0) throw new Error('cannot build exec-pacer');
}
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-resources-'));
const agent = await startAgent(['--db', join(dir, 'alerts.db'), '--state-dir', dir, '--backend', 'ebpf', '--log-format', 'json', '--no-notify']);
try {
  const agentPid = agent.child.pid!;
  // Steady state: the startup snapshot, module compilation and JIT warm-up are over after a few seconds.
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const pids = [agentPid, ...childrenOf(agentPid)];
  const idle = await measure(pids, IDLE_S);
  const storm = await measure(pids, STORM_S, () => new Promise<void>((resolve, reject) => {
    const pacer = spawn(join(nativeBuild, 'exec-pacer'), [String(RATE), String(STORM_S), 'agent-bench', join(nativeBuild, 'exec-nop')], { stdio: ['ignore', 'pipe', 'inherit'] });
    pacer.on('error', reject);
    pacer.on('close', () => resolve());
  }));
  await new Promise((r) => setTimeout(r, 1000));
  const status = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as { stages: { collector: { lost: number } } };
  const peakRssMb = mb(statusKb(agentPid, 'VmHWM'));
  const result = {
    rules: Number(agent.ready['rules']),
    idle: { seconds: IDLE_S, cpuPctOfOneCore: idle.cpuPct, rssMb: idle.rssMb },
    storm: { rate: RATE, seconds: STORM_S, cpuPctOfOneCore: storm.cpuPct, rssMb: storm.rssMb },
    peakRssMb,
    collectorLost: status.stages.collector.lost,
    targets: { idleCpuPct: 1, rssMb: 150 },
  };
  console.log(`agent-resources: vigil run, ${result.rules} bundled rules, eBPF (agent + helper, % of one core)`);
  console.log('| phase | CPU % | RSS MB |');
  console.log('|---|---|---|');
  console.log(`| idle ${IDLE_S} s | ${idle.cpuPct} | ${idle.rssMb} |`);
  console.log(`| ${RATE} execs/s for ${STORM_S} s | ${storm.cpuPct} | ${storm.rssMb} |`);
  console.log(`peak RSS ${peakRssMb} MB; collector lost ${result.collectorLost}`);
  mkdirSync(join(projectRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(join(projectRoot, 'bench', 'results', 'agent-resources.json'), JSON.stringify(result, null, 2) + '\n');
} finally {
  await agent.stop();
  rmSync(dir, { recursive: true, force: true });
}
