import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TELEMETRY_COVERAGE } from '../../src/ecs/emitted-fields.js';
import { EbpfCollector } from '../../src/collectors/linux/ebpf-collector.js';
import { unlistedFields } from '../helpers/leaf-paths.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');


/** Runs `vigil collect` while `during` runs, returns the NDJSON documents and stderr. */
async function collect(args: string[], during: () => void): Promise<{ docs: Array<Record<string, any>>; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, [cli, 'collect', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  // wait until it says it is collecting
  await new Promise<void>((resolve) => {
    const check = (): void => (err.includes('collecting with') ? resolve() : void setTimeout(check, 20));
    check();
  });
  during();
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  return { docs: out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l)), stderr: err, code };
}

for (const backend of ['procfs', 'auto'] as const) {
  const skip = backend === 'auto' && (await EbpfCollector.probe()) !== null ? 'eBPF cannot load here' : false;
  test(`vigil collect --backend ${backend}: NDJSON ECS documents, only listed fields, and a summary on stderr`, { skip }, async () => {
    const marker = `vigil-collect-${backend}-${process.pid}`;
    const { docs, stderr, code } = await collect(['--backend', backend, '--duration', '1.5', '--output', 'ndjson'], () => {
      spawnSync('sh', ['-c', `sleep 0.3; /bin/echo ${marker} > /dev/null; sleep 0.3`]);
    });
    assert.equal(code, 0, stderr);
    assert.ok(docs.length > 0);
    assert.ok(docs.some((d) => d.event.action === 'already_running'), 'running processes reported at startup');
    const shell = docs.find((d) => d.event.category[0] === 'process' && d.process.args?.includes(`sleep 0.3; /bin/echo ${marker} > /dev/null; sleep 0.3`));
    assert.ok(shell, 'the shell started during collection');
    if (backend === 'auto') assert.ok(docs.some((d) => d.event.action === 'exec' && d.process.args?.[1] === marker), 'eBPF sees the short echo');
    assert.deepEqual(unlistedFields(docs, TELEMETRY_COVERAGE.linux.fieldsByCategory!), [], 'only fields listed for linux');
    const summary = JSON.parse(/summary (\{.*\})/.exec(stderr)![1]!);
    assert.equal(summary.backend, backend === 'auto' ? 'ebpf' : 'procfs');
    assert.equal(summary.normalizer.out, docs.length);
  });
}

const badArgs: Array<[string[], RegExp]> = [
  [['--backend', 'kprobe'], /'--backend <name>' argument 'kprobe' is invalid\. Allowed choices are auto, ebpf, procfs/],
  [['--output', 'csv'], /'--output <format>' argument 'csv' is invalid\. Allowed choices are ndjson/],
  [['--duration', '-1'], /'--duration <seconds>' argument '-1' is invalid\. expected a positive number/],
];
for (const [args, message] of badArgs) {
  test(`vigil collect rejects ${args.join(' ')}`, () => {
    const r = spawnSync(process.execPath, [cli, 'collect', ...args], { encoding: 'utf8', timeout: 30000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  });
}
