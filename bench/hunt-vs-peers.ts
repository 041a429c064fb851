/**
 * Benchmark: `vigil hunt` against its peers on the same generated data, in the same run, whole process each
 * (start-up, reading, parsing, matching, printing), best of `--rounds`:
 *   A. `process where process.name == "curl"` against jq (`select(.event.category|index("process")) |
 *      select(.process.name=="curl")`);
 *   B. the seed rule (a sequence, ../shared/seed/) against the reference Python EQL engine
 *      (../shared/peers/eql-py, run as ../shared/peers/README.md says).
 * Vigil also runs with `--no-prefilter` (every line parsed) to show what the prefilter buys. Output counts
 * are checked against the generator's truth file. With `--big-gb N`, query A also runs over an N GB file
 * (the data repeated) for throughput and peak RSS. A peer that is not installed is skipped with the reason.
 * Prints a table and writes bench/results/hunt-vs-peers.json.
 *
 *   node dist/bench/hunt-vs-peers.js [--events FILE] [--rounds 3] [--big-gb 0]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { nativeLineScan } from '../src/eql/native-line-scan.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = join(root, '..', 'shared');
const argOf = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ROUNDS = Number(argOf('rounds') ?? 3);
const BIG_GB = Number(argOf('big-gb') ?? 0);
const VIGIL = join(root, 'dist', 'src', 'cli', 'main.js');
/** Whether the hunts below run the C line scanner (built by npm run build where a C compiler is). */
const native = nativeLineScan();
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

interface Measure {
  readonly wallS: number;
  readonly cpuS: number | null;
  readonly peakRssMb: number | null;
  readonly count: number;
}

interface Command {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly count: (stdout: string) => number;
  readonly env?: NodeJS.ProcessEnv;
}

function runOnce(c: Command): Measure {
  const argv = TIME === null ? [c.cmd, ...c.args] : [TIME, '-f', 'VIGIL_BENCH_TIME %U %S %M', c.cmd, ...c.args];
  const t0 = process.hrtime.bigint();
  const res = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, ...c.env } });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  if (res.status !== 0) throw new Error(`${c.cmd} ${c.args.join(' ').slice(0, 200)} exited ${res.status}: ${res.stderr.slice(-500)}`);
  const m = /VIGIL_BENCH_TIME (\S+) (\S+) (\d+)/.exec(res.stderr);
  return {
    wallS,
    cpuS: m === null ? null : Number(m[1]) + Number(m[2]),
    peakRssMb: m === null ? null : Math.round(Number(m[3]) / 1024),
    count: c.count(res.stdout),
  };
}

/**
 * Runs commands `rounds` times, interleaved (each round runs every command once, so a change of load on the
 * shared machine falls on all of them alike); for each, the best wall time and the best CPU time (of any
 * round), and the highest peak RSS. Null entries are skipped peers.
 */
function measureTogether(commands: ReadonlyArray<Command | null>, rounds = ROUNDS): Array<Measure | null> {
  const best: Array<Measure | null> = commands.map(() => null);
  const min = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
  for (let r = 0; r < rounds; r++) {
    commands.forEach((c, i) => {
      if (c === null) return;
      const run = runOnce(c);
      const b = best[i] ?? null;
      best[i] = b === null ? run : {
        wallS: Math.min(b.wallS, run.wallS),
        cpuS: min(b.cpuS, run.cpuS),
        peakRssMb: b.peakRssMb === null || run.peakRssMb === null ? null : Math.max(b.peakRssMb, run.peakRssMb),
        count: run.count,
      };
    });
  }
  return best;
}

const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const lines = (s: string): number => s.split('\n').filter((l) => l.length > 0).length;

function why(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): string | null {
  const res = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (res.error !== undefined) return `${cmd}: ${res.error.message}`;
  return res.status === 0 ? null : `${cmd} ${args.join(' ')}: ${(res.stderr || res.stdout).trim().split('\n').pop()}`;
}

function dataFile(): string {
  const given = argOf('events');
  if (given !== undefined) return given;
  const dir = join(tmpdir(), 'vigil-hunt-bench');
  const file = join(dir, 'ev.ndjson');
  if (!existsSync(file) || !existsSync(`${file}.truth.json`)) {
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`generating 200k events into ${file} (perf-gen.py)...\n`);
    const res = spawnSync('python3', [join(shared, 'tools', 'perf-gen.py'), '-n', '200000', '-o', file], { stdio: 'inherit' });
    if (res.status !== 0) throw new Error('perf-gen.py failed');
  }
  return file;
}

function seedQuery(): string {
  const dir = join(shared, 'seed');
  const toml = readFileSync(join(dir, 'defense_evasion_genai_process_encoding_prior_to_network_activity.toml'), 'utf8');
  return String((parseToml(toml) as { rule: { query: string } }).rule.query);
}

function main(): void {
  const file = dataFile();
  const truth = JSON.parse(readFileSync(`${file}.truth.json`, 'utf8')) as { expected_query_a_matches: number; expected_seed_rule_sequences: number };
  const mb = statSync(file).size / 1e6;
  const queryA = 'process where process.name == "curl"';
  const seed = seedQuery();
  const rows: Array<Record<string, unknown>> = [];
  const check = (name: string, got: number, want: number): void => {
    if (got !== want) throw new Error(`${name}: ${got} results, the truth file says ${want}`);
  };

  const jqWhy = why('jq', ['--version']);
  const eqlPy = join(shared, 'peers', 'eql-py');
  const pyWhy = !existsSync(eqlPy) ? `${eqlPy} is absent` : why('/usr/bin/python3', ['-c', 'import eql, lark'], { PYTHONPATH: eqlPy });
  // The older dialect the Python engine speaks: cidrMatch spelled so, ::1 as a CIDR (../shared/peers/README.md).
  const qfile = join(tmpdir(), 'vigil-hunt-bench-seed-py.eql');
  writeFileSync(qfile, seed.replace(/cidrmatch/g, 'cidrMatch').replace(/"::1"/g, '"::1/128"'));

  const loadA = loadavg();
  // `VIGIL_NATIVE_LINE_SCAN=0`: the JavaScript checks, search and projection, where the C line scanner is built.
  const jsOnly = { VIGIL_NATIVE_LINE_SCAN: '0' };
  const [vigilA = null, vigilAFull = null, jqA = null, vigilAJs = null] = measureTogether([
    { cmd: 'node', args: [VIGIL, 'hunt', queryA, '--events', file], count: lines },
    { cmd: 'node', args: [VIGIL, 'hunt', queryA, '--events', file, '--no-prefilter'], count: lines },
    jqWhy === null ? { cmd: 'jq', args: ['-c', 'select(.event.category|index("process")) | select(.process.name=="curl")', file], count: lines } : null,
    native === null ? null : { cmd: 'node', args: [VIGIL, 'hunt', queryA, '--events', file], count: lines, env: jsOnly },
  ]);
  if (vigilAJs !== null) check('vigil A without the C scanner', vigilAJs.count, truth.expected_query_a_matches);
  check('vigil A', vigilA!.count, truth.expected_query_a_matches);
  check('vigil A --no-prefilter', vigilAFull!.count, truth.expected_query_a_matches);
  if (jqA !== null) check('jq A', jqA!.count, truth.expected_query_a_matches);
  rows.push({ query: 'A: process.name == "curl"', vigil: vigilA, vigilNoPrefilter: vigilAFull, peer: 'jq', peerResult: jqA ?? { skipped: jqWhy } });
  // One core (taskset): no worker threads; the throughput a selective query gets from one core.
  const [oneCore = null] = measureTogether([{ cmd: 'taskset', args: ['-c', '0', 'node', VIGIL, 'hunt', queryA, '--events', file], count: lines }]);
  check('vigil A one core', oneCore!.count, truth.expected_query_a_matches);

  const loadB = loadavg();
  const [vigilB = null, vigilBFull = null, pyB = null, vigilBJs = null] = measureTogether([
    { cmd: 'node', args: [VIGIL, 'hunt', seed, '--events', file], count: lines },
    { cmd: 'node', args: [VIGIL, 'hunt', seed, '--events', file, '--no-prefilter'], count: lines },
    pyWhy === null
      ? { cmd: '/usr/bin/python3', args: [join(shared, 'tools', 'bench-eql.py'), '--query-file', qfile, file], count: (out) => Number((JSON.parse(out) as { results: number }).results), env: { PYTHONPATH: eqlPy } }
      : null,
    native === null ? null : { cmd: 'node', args: [VIGIL, 'hunt', seed, '--events', file], count: lines, env: jsOnly },
  ]);
  if (vigilBJs !== null) check('vigil seed without the C scanner', vigilBJs.count, truth.expected_seed_rule_sequences);
  check('vigil seed', vigilB!.count, truth.expected_seed_rule_sequences);
  check('vigil seed --no-prefilter', vigilBFull!.count, truth.expected_seed_rule_sequences);
  if (pyB !== null) check('python eql seed', pyB!.count, truth.expected_seed_rule_sequences);
  rows.push({ query: 'B: seed rule (sequence)', vigil: vigilB, vigilNoPrefilter: vigilBFull, peer: 'eql 1.0.0 (Python)', peerResult: pyB ?? { skipped: pyWhy } });

  let big: Record<string, unknown> | null = null;
  if (BIG_GB > 0) {
    const bigFile = join(tmpdir(), 'vigil-hunt-bench', `big-${BIG_GB}gb.ndjson`);
    mkdirSync(dirname(bigFile), { recursive: true });
    const data = readFileSync(file);
    const fd = openSync(bigFile, 'w');
    let size = 0;
    let copies = 0;
    while (size < BIG_GB * 1e9) {
      writeSync(fd, data);
      size += data.length;
      copies++;
    }
    closeSync(fd);
    try {
      const [m] = measureTogether([{ cmd: 'node', args: [VIGIL, 'hunt', queryA, '--events', bigFile], count: lines }], 1);
      check('vigil A big', m!.count, truth.expected_query_a_matches * copies);
      // One core over the big file: the steady throughput of a selective query (start-up spread thin).
      const [one] = measureTogether([{ cmd: 'taskset', args: ['-c', '0', 'node', VIGIL, 'hunt', queryA, '--events', bigFile], count: lines }], 1);
      check('vigil A big one core', one!.count, truth.expected_query_a_matches * copies);
      big = {
        gb: Math.round(size / 1e7) / 100, ...m, mbPerS: Math.round(size / 1e6 / m!.wallS), mbPerCpuS: m!.cpuS === null ? null : Math.round(size / 1e6 / m!.cpuS),
        oneCore: { ...one!, mbPerS: Math.round(size / 1e6 / one!.wallS) },
      };
    } finally {
      rmSync(bigFile, { force: true });
    }
  }

  const ratio = (peer: Measure | null, v: Measure | null, key: 'wallS' | 'cpuS'): number | null =>
    peer === null || v === null || peer[key] === null || v[key] === null ? null : Math.round((peer[key]! / v[key]!) * 10) / 10;
  const fmt = (m: Measure | null): string => (m === null ? 'skipped' : `${m.wallS.toFixed(2)} s wall, ${m.cpuS?.toFixed(2) ?? '?'} s cpu, ${m.peakRssMb ?? '?'} MB`);
  const a = vigilA!;
  const summary = {
    file, mb: Math.round(mb), rounds: ROUNDS, cores: availableParallelism(),
    A: {
      load: loadA, vigil: a, vigilNoPrefilter: vigilAFull, jq: jqA ?? { skipped: jqWhy }, ratioWall: ratio(jqA, a, 'wallS'), ratioCpu: ratio(jqA, a, 'cpuS'),
      mbPerS: Math.round(mb / a.wallS), mbPerCpuS: a.cpuS === null ? null : Math.round(mb / a.cpuS),
      oneCore: { ...oneCore!, mbPerS: Math.round(mb / oneCore!.wallS) },
      vigilWithoutC: vigilAJs,
    },
    nativeLineScan: native !== null,
    B: { load: loadB, vigil: vigilB, vigilNoPrefilter: vigilBFull, vigilWithoutC: vigilBJs, python: pyB ?? { skipped: pyWhy }, ratioWall: ratio(pyB, vigilB, 'wallS'), ratioCpu: ratio(pyB, vigilB, 'cpuS') },
    loadAtEnd: loadavg(),
    big,
  };
  console.log(`hunt vs peers: ${file} (${Math.round(mb)} MB, 200k events), best wall and best CPU of ${ROUNDS} interleaved rounds, ${summary.cores} cores`);
  console.log(`${'query'.padEnd(28)}${'vigil'.padEnd(42)}${'vigil --no-prefilter'.padEnd(42)}${'peer'.padEnd(44)}ratio wall / cpu   load`);
  console.log(`${'A: name == "curl" (jq)'.padEnd(28)}${fmt(a).padEnd(42)}${fmt(vigilAFull).padEnd(42)}${(jqA === null ? `skipped: ${jqWhy}` : fmt(jqA)).padEnd(44)}${`${summary.A.ratioWall ?? '-'} / ${summary.A.ratioCpu ?? '-'}`.padEnd(19)}${loadA}`);
  console.log(`${'B: seed sequence (eql.py)'.padEnd(28)}${fmt(vigilB).padEnd(42)}${fmt(vigilBFull).padEnd(42)}${(pyB === null ? `skipped: ${pyWhy}` : fmt(pyB)).padEnd(44)}${`${summary.B.ratioWall ?? '-'} / ${summary.B.ratioCpu ?? '-'}`.padEnd(19)}${loadB}`);
  console.log(`A throughput: ${summary.A.mbPerS} MB/s wall, ${summary.A.mbPerCpuS ?? '?'} MB per cpu-second; on one core (taskset): ${summary.A.oneCore.mbPerS} MB/s`);
  if (big !== null) console.log(`A over ${String(big.gb)} GB: ${String(big.mbPerS)} MB/s wall, ${String(big.mbPerCpuS)} MB per cpu-second, peak RSS ${String(big.peakRssMb)} MB; on one core ${String((big.oneCore as { mbPerS: number }).mbPerS)} MB/s`);
  if (native === null) console.log('the C line scanner is not built here: every vigil figure is the JavaScript path');
  else console.log(`without the C line scanner (VIGIL_NATIVE_LINE_SCAN=0): A ${fmt(vigilAJs)}; B ${fmt(vigilBJs)}`);
  const out = join(root, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'hunt-vs-peers.json'), `${JSON.stringify(summary, null, 2)}\n`);
}

main();
