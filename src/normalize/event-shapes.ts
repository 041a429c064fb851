import type { RawEventKind } from '../collectors/raw-event.js';

export const EVENT_CATEGORIES = ['process', 'network'] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export interface EventShape {
  readonly category: EventCategory;
  /** event.action, as Elastic Defend spells it. */
  readonly action: string;
  /** event.type (one value; emitted as an array). */
  readonly type: 'start' | 'end' | 'info';
  /** event.dataset, as Defend's data streams name it. */
  readonly dataset: string;
}

/** Raw event kind -> the ECS event it becomes (Defend: endpoint.events.process / endpoint.events.network). */
export const EVENT_SHAPES: Readonly<Record<RawEventKind, EventShape>> = {
  exec: { category: 'process', action: 'exec', type: 'start', dataset: 'endpoint.events.process' },
  fork: { category: 'process', action: 'fork', type: 'start', dataset: 'endpoint.events.process' },
  exit: { category: 'process', action: 'end', type: 'end', dataset: 'endpoint.events.process' },
  snapshot: { category: 'process', action: 'already_running', type: 'info', dataset: 'endpoint.events.process' },
  connect: { category: 'network', action: 'connection_attempted', type: 'start', dataset: 'endpoint.events.network' },
  accept: { category: 'network', action: 'connection_accepted', type: 'start', dataset: 'endpoint.events.network' },
  disconnect: { category: 'network', action: 'disconnect_received', type: 'end', dataset: 'endpoint.events.network' },
};
