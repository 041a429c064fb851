/**
 * The whole agent against a bare bpftrace exec printer, on the same exec storm, in one run.
 *
 * `vigil run` (eBPF, the bundled rules, the alert store on) and `bpftrace` running a script that prints one line
 * per exec (pid, ppid, filename) and three fields per fork and exit are attached at the same time; then
 * native/linux/bench/exec-pacer execs a tiny program at 1600 execs/s for a first storm (V8 compiles the agent's
 * per-event path during it: shown, not held to the goal), then at 1600 and 5000 execs/s. Each side's CPU is
 * read from /proc (whole process, every thread: for the agent, Node + its eBPF helper) over the same storm.
 * Reports both CPU figures and their ratio, the agent's idle CPU, peak RSS, lost counts (the agent's kernel
 * ring counter; bpftrace's exec lines missing and its own "Lost" reports), and Node CPU per raw event end to
 * end (frame decode -> normalize -> reorder -> rules -> store check) from the agent's own status counters.
 * Peak RSS is shown per storm (the agent's VmHWM is reset before each storm and read after its tail) and over
 * the whole run: the goal's peak is the 1600 execs/s storms'.
 *
 * Goal (issue 16): ratio <= 1.0 at 1600/s, peak RSS < 120 MB, idle < 0.5% of a core, 0 lost at 5000/s with
 * CPU <= 2.5x the 1600/s figure. Needs root (eBPF) and bpftrace; skips with the reason otherwise. Prints a
 * table, writes bench/results/agent-vs-bpftrace.json. BENCH_CPU_PROF=DIR writes the agent's CPU profile there.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EbpfCollector } from '../src/collectors/linux/ebpf-collector.js';
import { projectRoot, startAgent } from '../test/helpers/agent-process.js';
import { childrenOf, cpuPct, cpuTicks, mb, resetPeakRss, statusKb, TICKS_PER_S } from './proc-usage.js';
import { runPacer, type PacerResult } from './pacer-run.js';

const IDLE_S = Number(process.env['BENCH_IDLE_SECONDS'] ?? 15);
const STORM_S = Number(process.env['BENCH_STORM_SECONDS'] ?? 10);
const WARMUP_S = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 8);
/** The first storm, at 1600 execs/s: V8 compiles the per-event path during it (reported, not held to the goal). */
const COLD_STORM_S = Number(process.env['BENCH_COLD_STORM_SECONDS'] ?? 15);
const RATES = (process.env['BENCH_RATES'] ?? '1600,5000').split(',').map(Number);
const CPU_PROF = process.env['BENCH_CPU_PROF'];
const nativeBuild = join(projectRoot, 'native', 'linux', 'build');
const resultPath = join(projectRoot, 'bench', 'results', 'agent-vs-bpftrace.json');
const program = join(nativeBuild, 'exec-nop');
/** The agent's default [status] interval_s: the benchmark runs the shipped configuration. */
const STATUS_INTERVAL_MS = 5000;

/** The bare printer: what a one-line bpftrace exec monitor does, plus fork and exit as the agent sees them. */
const BPFTRACE_SCRIPT = `
BEGIN { printf("ready\\n"); }
tracepoint:sched:sched_process_exec { printf("exec %d %d %s\\n", pid, curtask->real_parent->tgid, str(args->filename)); }
tracepoint:sched:sched_process_fork { printf("fork %d %d %d\\n", args->parent_pid, args->child_pid, nsecs); }
tracepoint:sched:sched_process_exit { printf("exit %d %d %d\\n", pid, tid, nsecs); }
`;

function writeResult(body: object): void {
  mkdirSync(join(projectRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(resultPath, JSON.stringify(body, null, 2) + '\n');
}

function skip(reason: string): never {
  console.log(`agent-vs-bpftrace: skipped: ${reason}`);
  writeResult({ bench: 'agent-vs-bpftrace', skipped: reason });
  process.exit(0);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const r2 = (x: number): number => Math.round(x * 100) / 100;

/** Runs exec-pacer(s) for RATE execs/s over `seconds`; two in parallel above 2000/s (one falls behind). */
async function storm(rate: number, seconds: number, token: string): Promise<PacerResult> {
  const pacers = rate > 2000 ? 2 : 1;
  const parts = await Promise.all(
    Array.from({ length: pacers }, () => runPacer(join(nativeBuild, 'exec-pacer'), [String(rate / pacers), String(seconds), token, program])),
  );
  return { spawned: parts.reduce((n, p) => n + p.spawned, 0), achieved: parts.reduce((n, p) => n + p.achieved, 0) };
}

/** bpftrace with the printer script; counts the exec lines of our program and the events it says it lost. */
class BpftracePrinter {
  readonly child: ChildProcess;
  execLines = 0;
  lost = 0;
  readonly ready: Promise<void>;
  #stderr = '';

  constructor(scriptPath: string) {
    this.child = spawn('bpftrace', [scriptPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    const execOfProgram = `${program}\n`;
    let carry = '';
    this.ready = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('exit', (code) => reject(new Error(`bpftrace exited (${code}) before attaching: ${this.#stderr.slice(-500)}`)));
      this.child.stdout!.setEncoding('utf8');
      this.child.stdout!.on('data', (text: string) => {
        const lines = (carry + text).split('\n');
        carry = lines.pop() ?? '';
        for (const line of lines) {
          if (line.startsWith('exec ') && (line + '\n').endsWith(execOfProgram)) this.execLines++;
          else if (line === 'ready') resolve();
        }
      });
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (text: string) => {
      this.#stderr = (this.#stderr + text).slice(-4000);
      for (const m of text.matchAll(/Lost (\d+) events/g)) this.lost += Number(m[1]);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise((r) => this.child.once('close', r));
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  }
}

interface AgentStatusCounts {
  raw: number;
  lost: number;
  alerts: number;
}

function readStatus(dir: string): AgentStatusCounts {
  const s = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as {
    stages: { collector: { in: number; lost: number }; alerts: { out: number } };
  };
  return { raw: s.stages.collector.in, lost: s.stages.collector.lost, alerts: s.stages.alerts.out };
}

interface Row {
  /** cold: the first storm (V8 still compiling the per-event path); warm: the steady state the goal is about. */
  readonly phase: 'cold' | 'warm';
  readonly rate: number;
  readonly achieved: number;
  readonly spawned: number;
  readonly agentCpuPct: number;
  readonly agentNodeCpuPct: number;
  readonly agentHelperCpuPct: number;
  readonly bpftraceCpuPct: number;
  readonly ratio: number;
  readonly agentRawEvents: number;
  readonly agentLost: number;
  readonly bpftraceExecsMissing: number;
  readonly bpftraceLost: number;
  /** Node CPU (agent process, every thread) per raw event, storm + drain tail. */
  readonly nodeUsPerRawEvent: number;
  readonly agentRssMb: number;
  /** The agent's (Node's) peak RSS over this storm and its tail (VmHWM reset before the storm). */
  readonly agentPeakRssMb: number;
  readonly bpftraceRssMb: number;
}

async function main(): Promise<void> {
  const why = await EbpfCollector.probe();
  if (why !== null) skip(why);
  const bt = spawnSync('bpftrace', ['--version'], { encoding: 'utf8' });
  if (bt.error !== undefined || bt.status !== 0) skip(`bpftrace is not installed or does not run (${bt.error?.message ?? `exit ${bt.status}`}); Debian: apt-get install bpftrace`);
  const bpftraceVersion = bt.stdout.trim();
  if (!existsSync(join(nativeBuild, 'exec-pacer')) || !existsSync(program)) {
    if (spawnSync('make', ['-C', join(projectRoot, 'native', 'linux'), 'bench'], { stdio: 'inherit' }).status !== 0) throw new Error('cannot build exec-pacer');
  }

  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-vs-bpftrace-'));
  const scriptPath = join(dir, 'printer.bt');
  writeFileSync(scriptPath, BPFTRACE_SCRIPT);
  const nodeArgs = CPU_PROF !== undefined ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : [];
  const agent = await startAgent(['--db', join(dir, 'alerts.db'), '--state-dir', dir, '--backend', 'ebpf', '--log-format', 'json', '--no-notify'], { nodeArgs });
  let printer: BpftracePrinter | undefined;
  try {
    const agentPid = agent.child.pid!;
    const helperPids = childrenOf(agentPid);
    const agentPids = [agentPid, ...helperPids];
    await sleep(WARMUP_S * 1000);
    const idle0 = agentPids.map(cpuTicks);
    const tIdle = performance.now();
    await sleep(IDLE_S * 1000);
    const idleCpuPct = cpuPct(idle0, agentPids.map(cpuTicks), (performance.now() - tIdle) / 1000);
    const idleRssMb = mb(statusKb(agentPid, 'VmRSS'));

    printer = new BpftracePrinter(scriptPath);
    await printer.ready;
    const btPid = printer.child.pid!;
    /** Node's peak RSS over the run: each storm resets VmHWM, so the peak before each reset is kept here. */
    let runPeakKb = statusKb(agentPid, 'VmHWM');
    /** One storm with both attached: CPU of each over the storm, the agent's counters over storm + tail. */
    const measure = async (rate: number, stormSeconds: number, phase: Row['phase']): Promise<Row> => {
      const status0 = readStatus(dir);
      const lines0 = printer!.execLines;
      const btLost0 = printer!.lost;
      runPeakKb = Math.max(runPeakKb, statusKb(agentPid, 'VmHWM'));
      resetPeakRss(agentPid);
      const ticks0 = [...agentPids, btPid].map(cpuTicks);
      const t0 = performance.now();
      const pacer = await storm(rate, stormSeconds, `vs-${phase}-${rate}`);
      const ticks1 = [...agentPids, btPid].map(cpuTicks);
      const seconds = (performance.now() - t0) / 1000;
      const agentRssMb = mb(statusKb(agentPid, 'VmRSS'));
      const bpftraceRssMb = mb(statusKb(btPid, 'VmRSS'));
      // The tail: what the storm left in the reorder buffer is processed, status.json (every 5 s) catches up.
      await sleep(STATUS_INTERVAL_MS + 1000);
      const ticks2 = cpuTicks(agentPid);
      const peakKb = statusKb(agentPid, 'VmHWM');
      runPeakKb = Math.max(runPeakKb, peakKb);
      const status1 = readStatus(dir);
      const n = agentPids.length;
      const agentCpu = cpuPct(ticks0.slice(0, n), ticks1.slice(0, n), seconds);
      const btCpu = cpuPct(ticks0.slice(n), ticks1.slice(n), seconds);
      const raw = status1.raw - status0.raw;
      return {
        phase,
        rate,
        achieved: Math.round(pacer.achieved),
        spawned: pacer.spawned,
        agentCpuPct: agentCpu,
        agentNodeCpuPct: cpuPct([ticks0[0]!], [ticks1[0]!], seconds),
        agentHelperCpuPct: cpuPct(ticks0.slice(1, n), ticks1.slice(1, n), seconds),
        bpftraceCpuPct: btCpu,
        ratio: btCpu > 0 ? r2(agentCpu / btCpu) : Number.NaN,
        agentRawEvents: raw,
        agentLost: status1.lost - status0.lost,
        bpftraceExecsMissing: pacer.spawned - (printer!.execLines - lines0),
        bpftraceLost: printer!.lost - btLost0,
        nodeUsPerRawEvent: raw > 0 ? r2((((ticks2 - ticks0[0]!) / TICKS_PER_S) * 1e6) / raw) : Number.NaN,
        agentRssMb,
        agentPeakRssMb: mb(peakKb),
        bpftraceRssMb,
      };
    };

    // The first storm pays for V8 compiling the per-event path (its worker threads and the main thread; about
    // 15 s at 1600 execs/s on this machine class): measured and shown, but the goal is the agent's steady state.
    const rows: Row[] = [await measure(1600, COLD_STORM_S, 'cold')];
    await sleep(1000);
    for (const rate of RATES) {
      rows.push(await measure(rate, STORM_S, 'warm'));
      await sleep(1000);
    }
    const peakRssMb = mb(Math.max(runPeakKb, statusKb(agentPid, 'VmHWM')));
    /** The goal's figure: the peak over the steady 1600 execs/s storms (the first storm's JIT included apart). */
    const peakRssAt1600Mb = Math.max(0, ...rows.filter((r) => r.phase === 'warm' && r.rate === 1600).map((r) => r.agentPeakRssMb));
    const peakRssAll1600Mb = Math.max(0, ...rows.filter((r) => r.rate === 1600).map((r) => r.agentPeakRssMb));
    const helperPeakRssMb = helperPids.length > 0 ? mb(statusKb(helperPids[0]!, 'VmHWM')) : 0;
    const at1600 = rows.find((r) => r.phase === 'warm' && r.rate === 1600);
    const at5000 = rows.find((r) => r.phase === 'warm' && r.rate === 5000);
    const goal = {
      ratioAt1600: at1600 !== undefined ? at1600.ratio <= 1.0 : null,
      peakRssAt1600Under120Mb: peakRssAll1600Mb < 120,
      idleUnderHalfPct: idleCpuPct < 0.5,
      zeroLostAt5000: at5000 !== undefined ? at5000.agentLost === 0 : null,
      cpuAt5000Within2_5x: at1600 !== undefined && at5000 !== undefined ? at5000.agentCpuPct <= 2.5 * at1600.agentCpuPct : null,
    };

    console.log(`agent-vs-bpftrace: vigil run (${String(agent.ready['rules'])} bundled rules, eBPF, alert store on) vs ${bpftraceVersion} printer, same storm, ${STORM_S} s per rate`);
    console.log('| storm | execs/s | agent CPU % (node + helper) | bpftrace CPU % | ratio | agent lost | bpftrace missing / lost | Node us per raw event | RSS MB agent / bpftrace | agent peak RSS MB |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(`| ${r.phase === 'cold' ? `first (${COLD_STORM_S} s, JIT)` : `steady (${STORM_S} s)`} | ${r.rate} (${r.achieved}) | ${r.agentCpuPct} (${r.agentNodeCpuPct} + ${r.agentHelperCpuPct}) | ${r.bpftraceCpuPct} | ${r.ratio} | ${r.agentLost} | ${r.bpftraceExecsMissing} / ${r.bpftraceLost} | ${r.nodeUsPerRawEvent} | ${r.agentRssMb} / ${r.bpftraceRssMb} | ${r.agentPeakRssMb} |`);
    }
    console.log(`idle (${IDLE_S} s): ${idleCpuPct}% of a core, RSS ${idleRssMb} MB; peak RSS: 1600/s storms ${peakRssAll1600Mb} MB (steady ${peakRssAt1600Mb} MB), whole run ${peakRssMb} MB (helper ${helperPeakRssMb} MB)`);
    console.log(`goal: ${Object.entries(goal).map(([k, v]) => `${k} ${v === null ? 'n/a' : v ? 'met' : 'NOT met'}`).join(', ')}`);
    writeResult({
      bench: 'agent-vs-bpftrace',
      when: new Date().toISOString(),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      loadavg: loadavg(),
      bpftrace: bpftraceVersion,
      rules: Number(agent.ready['rules']),
      stormSeconds: STORM_S,
      coldStormSeconds: COLD_STORM_S,
      idle: { seconds: IDLE_S, cpuPctOfOneCore: idleCpuPct, rssMb: idleRssMb },
      peakRssMb,
      peakRssAt1600Mb,
      peakRssAll1600Mb,
      helperPeakRssMb,
      rows,
      goal,
    });
  } finally {
    await printer?.stop();
    await agent.stop('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
