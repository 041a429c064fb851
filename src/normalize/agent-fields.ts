import { createHash } from 'node:crypto';
import type { EcsObject } from '../ecs/ecs-event.js';

export interface AgentInfo {
  /** agent.id: a UUID, stable per host (deriveAgentId) unless configured. */
  readonly id: string;
  readonly version: string;
  /** agent.type; Defend writes `endpoint`, and so does Vigil, so Elastic's content treats its documents alike. */
  readonly type?: string;
}

/** A UUID-shaped id derived from the host id, so it is stable across restarts without any state file. */
export function deriveAgentId(hostId: string): string {
  const h = createHash('sha256').update(`vigil-agent-v1\0${hostId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The `agent.*` field set, as a factory: one frozen object every document shares. */
export function agentFields(agent: AgentInfo): () => EcsObject {
  const { id, version } = agent;
  const type = agent.type ?? 'endpoint';
  const fields = Object.freeze({ id, type, version });
  return () => fields;
}
