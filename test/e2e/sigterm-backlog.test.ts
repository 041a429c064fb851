import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EbpfCollector } from '../../src/collectors/linux/ebpf-collector.js';
import { projectRoot } from '../helpers/agent-process.js';
import { runExecPacer } from '../helpers/exec-pacer.js';
import { startMarkerAgent } from '../helpers/marker-agent.js';

/**
 * Issue 19 defect 10, shutdown half: on SIGTERM with a backlog the eBPF helper was killed after its grace and
 * thousands of events vanished with `lost` still 0. Now every record the kernel submitted is either delivered
 * or counted lost: the helper detaches first and reports how many records the kernel submitted in all, and
 * the collector counts what never reached it as lost (status.json, shutdown log).
 *
 * The backlog: the agent is stopped (SIGSTOP) while exec-pacer runs, so the records wait in a 64 MiB ring;
 * then SIGCONT and SIGTERM at once. Every exec is an alert of the marker rule, so the drain is slow (one
 * alert per exec), and the helper gets 300 ms of grace, so that it is killed with records left on any machine.
 */
/**
 * A checkout updated since its helper was built runs the old binary, which has no stop report: rebuilt here
 * when a source is newer (make links into a temp file and renames, so helpers running meanwhile are unharmed).
 */
function rebuildStaleHelper(): void {
  const dir = join(projectRoot, 'native', 'linux');
  const bin = join(dir, 'build', 'vigil-ebpf');
  if (!existsSync(bin)) return;
  const built = statSync(bin).mtimeMs;
  const sources = [join(dir, 'src'), join(dir, 'src', 'bpf')].flatMap((d) => readdirSync(d).map((f) => join(d, f)));
  if (sources.every((f) => statSync(f).mtimeMs <= built)) return;
  const make = spawnSync('make', ['-C', dir], { encoding: 'utf8' });
  if (make.status !== 0) throw new Error(`the eBPF helper is older than its sources and does not rebuild: ${make.stderr}`);
}

rebuildStaleHelper();
const cannotLoad = await EbpfCollector.probe();

test('issue 19 #10: SIGTERM with a backlog: every exec is stored or counted lost (status.json, shutdown log)', { skip: cannotLoad ?? false, timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-sigterm-'));
  const token = `vigil-sigterm-${process.pid}`;
  const m = await startMarkerAgent(dir, token, { extraConfig: '[collector]\nring_buffer_bytes = 67108864\nhelper_stop_grace_ms = 300\n' });
  const pid = m.agent.child.pid!;
  let stopped = false;
  try {
    assert.ok(await m.until(() => m.status()['stages']['collector'] !== undefined, 5000), 'status.json written');
    const lostBefore = m.status()['stages']['collector']['lost'] as number;
    process.kill(pid, 'SIGSTOP');
    stopped = true;
    const pacer = await runExecPacer(3000, 5, token);
    process.kill(pid, 'SIGCONT');
    stopped = false;
    const code = await m.agent.stop('SIGTERM');
    assert.equal(code, 0, 'the agent stopped cleanly');

    const stored = m.stored();
    const status = m.status();
    const lost = (status['stages']['collector']['lost'] as number) - lostBefore;
    const shutdown = m.agent.logs.find((l) => typeof l['message'] === 'string' && /records it never delivered/.test(l['message']));
    t.diagnostic(`${pacer.spawned} execs at ${pacer.achieved}/s during the pause; after SIGTERM ${stored} alerts stored, ${lost} records counted lost; log: ${String(shutdown?.['message'])}`);
    assert.ok(pacer.spawned >= 3000, `the pacer ran ${pacer.spawned} execs`);
    // Every exec of the pacer is an alert (plus the pacer's own exec, whose command line holds the token).
    assert.ok(stored <= pacer.spawned + 1, `${stored} alerts for ${pacer.spawned} execs`);
    // What was not stored is counted lost: each missing exec is at least one record (fork, exec, exit each are).
    assert.ok(stored + lost >= pacer.spawned, `${pacer.spawned} execs: ${stored} stored, but only ${lost} counted lost`);
    if (stored < pacer.spawned) {
      assert.ok(shutdown !== undefined, 'the shutdown log says how many records the helper never delivered');
      assert.ok((shutdown['lost'] as number) > 0 && (shutdown['lost'] as number) <= lost, `the log counts ${String(shutdown['lost'])} of the ${lost} lost`);
      assert.equal(shutdown['lost_total'], status['stages']['collector']['lost'], 'the shutdown log and the final status.json agree');
    }
  } finally {
    if (stopped) process.kill(pid, 'SIGCONT');
    await m.agent.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
