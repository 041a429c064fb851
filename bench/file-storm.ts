/**
 * File storm (issue 12): the eBPF collector + normalizer under 20k read-only opens/s of non-sensitive files
 * plus 2k create+write+unlink/s, with file telemetry on and then off, in one run; then the cost the file
 * program adds to one open()+close().
 *
 * Storm: native/linux/bench/file-storm drives the files on a 1 ms schedule; the collector runs in this process
 * with the bundled rules' sensitive-open policy and normalizes its RawEvents as the agent does (DocumentDemand:
 * documents no bundled rule can take are left unbuilt; BENCH_ALL_DOCS=1 builds them all; the rule engine and
 * the store are not in this loop). CPU = the helper + this Node process, % of one core over
 * the storm. Lost: creations and deletions of the storm's files the collector did not deliver (exact, by
 * path), and the kernel's file_lost counter.
 *
 * Probe cost: `file-storm loop N FILE` takes the CPU time of N open(O_RDONLY)+close of a non-sensitive file (no helper,
 * the helper without files, files on); the difference is the file program's cost per call (it
 * runs at open's and close's exits: close returns at the dispatcher's first test).
 *
 * Env: BENCH_SECONDS (storm length, default 10), BENCH_ROUNDS (default 2), BENCH_LOOP_N (default 200000).
 * Needs root (eBPF). Prints a table, writes bench/results/file-storm.json.
 */
// An entry point: rule regexes run on V8's linear-time fallback, as under the CLI.
import '../test/helpers/linear-regex-engine.js';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentDemand } from '../src/agent/document-demand.js';
import { buildFilePolicy } from '../src/agent/file-policy.js';
import { DEFAULT_CONFIG } from '../src/agent/agent-config.js';
import { readHostIdentity } from '../src/collectors/host-identity.js';
import { EbpfCollector } from '../src/collectors/linux/ebpf-collector.js';
import { Normalizer } from '../src/normalize/normalizer.js';
import { RuleSet } from '../src/rules/rule-set.js';
import { projectRoot } from '../test/helpers/agent-process.js';
import { cpuTicks, TICKS_PER_S } from './proc-usage.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
const LOOP_N = Number(process.env['BENCH_LOOP_N'] ?? 200_000);
const OPENS = 20_000;
const CREATES = 2_000;
const driver = join(projectRoot, 'native', 'linux', 'build', 'file-storm');
const resultPath = join(projectRoot, 'bench', 'results', 'file-storm.json');

function writeResult(body: object): void {
  mkdirSync(join(projectRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(resultPath, JSON.stringify(body, null, 2) + '\n');
}

function runDriver(args: string[]): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(driver, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Record<string, number>) : reject(new Error(`file-storm exited ${code}`))));
  });
}

interface StormRow {
  readonly files: boolean;
  readonly opens: number;
  readonly creates: number;
  readonly unlinks: number;
  readonly seconds: number;
  readonly creationsSeen: number;
  readonly deletionsSeen: number;
  readonly lostCreations: number;
  readonly lostDeletions: number;
  readonly kernelFileLost: number;
  readonly kernelLost: number;
  readonly opensFilteredInKernel: number;
  readonly helperCpuPct: number;
  readonly nodeCpuPct: number;
  readonly totalCpuPct: number;
}

const host = readHostIdentity('linux');
const ruleSet = RuleSet.load([join(projectRoot, 'config', 'rules')], { os: 'linux' });
const rules = ruleSet.rules;
const policy = buildFilePolicy(rules, DEFAULT_CONFIG.collector.files).policy;

/** BENCH_ALL_DOCS=1: build every document, as when [outputs] events_ndjson is set. */
const ALL_DOCS = process.env['BENCH_ALL_DOCS'] === '1';
const demand = new DocumentDemand(ruleSet, { logsEveryEvent: ALL_DOCS, ruleBudgetMs: DEFAULT_CONFIG.engine.rule_budget_ms });

async function storm(files: boolean, dir: string): Promise<StormRow> {
  const n = new Normalizer({ host, agent: { id: 'bench', version: '0' } });
  let creationsSeen = 0;
  let deletionsSeen = 0;
  const c = new EbpfCollector(files ? { files: { policy } } : {});
  await c.start((raw) => {
    // as the agent's #onRaw: kinds no rule reads only keep the cache in step; the others are probed first
    if (demand.wants(raw.platform, raw.kind)) n.normalize(raw, demand.probe(raw));
    else n.track(raw);
    if (raw.kind === 'file' && raw.path.startsWith(`${dir}/new-`)) {
      if (raw.action === 'creation') creationsSeen++;
      else if (raw.action === 'deletion') deletionsSeen++;
    }
  });
  await new Promise((r) => setTimeout(r, 1000));
  const helperPid = c.helperState().pid!;
  const h0 = cpuTicks(helperPid);
  const n0 = process.cpuUsage();
  const r = await runDriver(['storm', String(OPENS), String(CREATES), String(SECONDS), dir]);
  await new Promise((res) => setTimeout(res, 1500)); // a stats frame and the last drain
  const h1 = cpuTicks(helperPid);
  const n1 = process.cpuUsage(n0);
  const st = c.helperState().stats;
  await c.stop();
  const helperCpuPct = ((h1 - h0) / TICKS_PER_S / r['seconds']!) * 100;
  const nodeCpuPct = ((n1.user + n1.system) / 1e6 / r['seconds']!) * 100;
  const r1 = (x: number): number => Math.round(x * 10) / 10;
  return {
    files,
    opens: r['opens']!,
    creates: r['creates']!,
    unlinks: r['unlinks']!,
    seconds: r['seconds']!,
    creationsSeen,
    deletionsSeen,
    lostCreations: files ? r['creates']! - creationsSeen : 0,
    lostDeletions: files ? r['unlinks']! - deletionsSeen : 0,
    kernelFileLost: st?.fileLost ?? 0,
    kernelLost: st?.lost ?? 0,
    opensFilteredInKernel: st?.openFiltered ?? 0,
    helperCpuPct: r1(helperCpuPct),
    nodeCpuPct: r1(nodeCpuPct),
    totalCpuPct: r1(helperCpuPct + nodeCpuPct),
  };
}

async function loopNs(file: string): Promise<number> {
  return (await runDriver(['loop', String(LOOP_N), file]))['ns_per_open_close']!;
}

async function probeCost(dir: string): Promise<{ none: number; helper: number; files: number; addedNs: number }> {
  const file = join(dir, 'plain-0');
  const none = await loopNs(file);
  const off = new EbpfCollector();
  await off.start(() => undefined);
  const helper = await loopNs(file);
  await off.stop();
  const on = new EbpfCollector({ files: { policy } });
  await on.start(() => undefined);
  const files = await loopNs(file);
  await on.stop();
  return { none, helper, files, addedNs: Math.round(files - helper) };
}

async function main(): Promise<void> {
  const why = await EbpfCollector.probe();
  if (why !== null) {
    console.log(`file-storm: skipped: ${why}`);
    writeResult({ bench: 'file-storm', skipped: why });
    return;
  }
  const make = spawnSync('make', ['-C', join(projectRoot, 'native', 'linux'), 'bench'], { stdio: 'inherit' });
  if (make.status !== 0) throw new Error('cannot build the file-storm driver');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-file-storm-'));
  try {
    const rounds: Array<{ on: StormRow; off: StormRow; ratio: number; probe: Awaited<ReturnType<typeof probeCost>> }> = [];
    for (let i = 0; i < ROUNDS; i++) {
      const on = await storm(true, dir);
      const off = await storm(false, dir);
      const probe = await probeCost(dir);
      rounds.push({ on, off, ratio: Math.round((on.totalCpuPct / Math.max(off.totalCpuPct, 0.1)) * 100) / 100, probe });
    }
    console.log(`file storm: ${OPENS} read-only opens/s + ${CREATES} create+write+unlink/s for ${SECONDS} s; load ${loadavg()[0]!.toFixed(1)}`);
    console.log('round files  opens/s  creates/s  seen c/d        lost c/d  k.file_lost  filtered  helper%  node%  total%  ratio  open+close ns (none/helper/files)  added ns');
    rounds.forEach((r, i) => {
      for (const row of [r.on, r.off]) {
        console.log(
          [
            String(i + 1).padEnd(5), (row.files ? 'on' : 'off').padEnd(5), String(Math.round(row.opens / row.seconds)).padStart(7),
            String(Math.round(row.creates / row.seconds)).padStart(10), `${row.creationsSeen}/${row.deletionsSeen}`.padStart(15),
            `${row.lostCreations}/${row.lostDeletions}`.padStart(9), String(row.kernelFileLost).padStart(11), String(row.opensFilteredInKernel).padStart(9),
            String(row.helperCpuPct).padStart(8), String(row.nodeCpuPct).padStart(6), String(row.totalCpuPct).padStart(7),
            (row.files ? String(r.ratio) : '').padStart(6),
            (row.files ? `${r.probe.none}/${r.probe.helper}/${r.probe.files}` : '').padStart(36), (row.files ? String(r.probe.addedNs) : '').padStart(9),
          ].join(' '),
        );
      }
    });
    writeResult({ bench: 'file-storm', seconds: SECONDS, opensPerS: OPENS, createsPerS: CREATES, loopN: LOOP_N, loadavg: loadavg(), rounds });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
