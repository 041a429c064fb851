import type { OsType } from './ecs-event.js';

/**
 * What Vigil's collectors can produce on each OS: the data `vigil rules check` uses to say whether a rule can
 * ever fire here. The normalizer's tests hold it to what normalization really emits.
 * (Preliminary: the Linux telemetry issue keeps it true.)
 */
export interface TelemetryCoverage {
  /** event.category values emitted. */
  readonly categories: readonly string[];
  /** Per category: the event.action values emitted. */
  readonly actions: Readonly<Record<string, readonly string[]>>;
  /** Per category: the event.type values emitted. */
  readonly types: Readonly<Record<string, readonly string[]>>;
  /** Every field path that can hold a value (leaf paths, dotted). */
  readonly fields: readonly string[];
}

const COMMON_FIELDS = [
  '@timestamp', 'event.id', 'event.kind', 'event.category', 'event.type', 'event.action', 'event.created',
  'event.dataset', 'event.module', 'event.sequence', 'event.outcome',
  'host.name', 'host.id', 'host.hostname', 'host.os.type', 'host.os.family', 'host.os.name', 'host.os.kernel', 'host.architecture',
  'agent.id', 'agent.type', 'agent.version', 'ecs.version',
  'process.entity_id', 'process.pid', 'process.name', 'process.executable', 'process.command_line',
  'process.parent.entity_id', 'process.parent.pid',
  'user.id', 'user.name', 'group.id', 'group.name',
] as const;

const PROCESS_FIELDS = [
  'process.args', 'process.args_count', 'process.working_directory', 'process.start', 'process.end', 'process.exit_code',
  'process.ppid',
  'process.parent.name', 'process.parent.executable', 'process.parent.args', 'process.parent.args_count',
  'process.parent.command_line', 'process.parent.start', 'process.parent.working_directory',
  'process.Ext.ancestry', 'process.group_leader.entity_id', 'process.group_leader.pid', 'process.session_leader.entity_id',
  'process.session_leader.pid', 'process.user.id', 'process.user.name', 'process.group.id', 'process.group.name',
  'process.real_user.id', 'process.real_group.id',
] as const;

const NETWORK_FIELDS = [
  'source.ip', 'source.port', 'source.address', 'destination.ip', 'destination.port', 'destination.address',
  'network.transport', 'network.type', 'network.direction',
] as const;

const LINUX: TelemetryCoverage = {
  categories: ['process', 'network'],
  actions: {
    process: ['exec', 'fork', 'end', 'already_running'],
    network: ['connection_attempted', 'connection_accepted', 'disconnect_received'],
  },
  types: { process: ['start', 'end', 'info'], network: ['start', 'end'] },
  fields: [...COMMON_FIELDS, ...PROCESS_FIELDS, ...NETWORK_FIELDS],
};

export const TELEMETRY_COVERAGE: Readonly<Record<OsType, TelemetryCoverage>> = {
  linux: LINUX,
  macos: LINUX,
  windows: LINUX,
};
