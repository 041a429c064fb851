/**
 * Generated Elastic Defend-shaped ECS events for the EQL benchmarks: process execs (full process, parent,
 * user, host fields, multi-valued event.type/category) and outbound network events (Defend's thin process set).
 * Deterministic (seeded PRNG); `@timestamp` is ISO-8601 as Defend writes it, in order.
 */
import type { EcsEvent } from '../src/ecs/ecs-event.js';
import { seededRandom } from '../test/helpers/seeded-random.js';


const T0 = Date.UTC(2026, 10, 28, 8, 0, 0);
const NAMES = ['bash', 'ls', 'git', 'node', 'python3', 'curl', 'make', 'cat', 'grep', 'sed', 'ssh', 'systemd', 'sleep', 'base64', 'gzip', 'tar'];
const PARENTS = ['bash', 'zsh', 'sshd', 'systemd', 'node', 'python3', 'claude', 'cursor', 'code', 'make'];
const ARGS = ['-la', '--help', '-c', 'status', 'commit', '-m', 'build', 'install', '--verbose', 'file.txt', '/tmp/x', 'README.md'];

export function generateDefendEvents(count: number, seed = 1): EcsEvent[] {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: EcsEvent[] = new Array<EcsEvent>(count);
  const host = { name: 'ws-bench', id: 'b3c1e0a2', hostname: 'ws-bench', os: { type: 'linux', family: 'debian', name: 'Debian GNU/Linux', kernel: '6.18.0' }, architecture: 'x86_64' };
  const agent = { id: 'a-1', type: 'endpoint', version: '8.15.0' };
  for (let i = 0; i < count; i++) {
    const ts = new Date(T0 + i * 3).toISOString();
    const pid = 1000 + (i % 30000);
    const entity = `Zjk2${(i % 50000).toString(36).padStart(8, '0')}`;
    const name = pick(NAMES);
    if (r() < 0.6) {
      const args = [name, pick(ARGS), pick(ARGS)];
      const parent = pick(PARENTS);
      const parentArgs = parent === 'node' ? ['node', r() < 0.3 ? '/opt/langchain/agent.js' : 'server.js'] : [parent];
      out[i] = {
        '@timestamp': ts,
        event: { category: ['process'], type: ['start'], action: 'exec', kind: 'event', id: `ev${i}`, dataset: 'endpoint.events.process', module: 'endpoint' },
        process: {
          entity_id: entity, pid, name, executable: `/usr/bin/${name}`, args, args_count: args.length, command_line: args.join(' '),
          working_directory: '/home/dev', start: ts,
          parent: { entity_id: `P${pid % 977}`, pid: pid - 1, name: parent, executable: `/usr/bin/${parent}`, args: parentArgs, args_count: parentArgs.length, command_line: parentArgs.join(' ') },
          Ext: { ancestry: [`P${pid % 977}`, 'P1'] },
        },
        user: { id: '1000', name: 'dev' }, group: { id: '1000', name: 'dev' },
        host, agent, ecs: { version: '8.11.0' },
      };
    } else {
      out[i] = {
        '@timestamp': ts,
        event: { category: ['network'], type: ['start'], action: 'connection_attempted', kind: 'event', id: `ev${i}`, dataset: 'endpoint.events.network', outcome: 'success' },
        process: { entity_id: entity, pid, name, executable: `/usr/bin/${name}` },
        source: { ip: '10.0.0.5', port: 30000 + (i % 30000) },
        destination: { ip: r() < 0.5 ? `10.1.${i % 250}.${(i >> 8) % 250}` : `93.184.${i % 250}.${(i >> 8) % 250}`, port: pick([443, 80, 22, 8080]) },
        network: { transport: 'tcp', type: 'ipv4', direction: 'egress' },
        host, agent, ecs: { version: '8.11.0' },
      };
    }
  }
  return out;
}
