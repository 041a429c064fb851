import type { OsType } from './ecs-event.js';

/**
 * What Vigil's telemetry produces on each OS: the data `vigil rules check` uses to say whether a rule can ever
 * fire here. It is held true by test/ecs/emitted-fields.test.ts, which runs the real normalizer
 * (src/normalize/) over every raw event kind and checks that it emits only these fields, all of them, and
 * that each exists in ECS (or Elastic Defend's fields.yml) with the same type.
 */
export interface TelemetryCoverage {
  /** event.category values emitted. */
  readonly categories: readonly string[];
  /** Per category: the event.action values emitted. */
  readonly actions: Readonly<Record<string, readonly string[]>>;
  /** Per category: the event.type values emitted. */
  readonly types: Readonly<Record<string, readonly string[]>>;
  /** Every field path that can hold a value (leaf paths, dotted): the union of `fieldsByCategory`. */
  readonly fields: readonly string[];
  /** Per category: the field paths its documents can carry. */
  readonly fieldsByCategory?: Readonly<Record<string, readonly string[]>>;
}

/** On every document (normalize: event-fields, host-fields, agent-fields, user-fields, the thin process set). */
const COMMON_FIELDS = [
  '@timestamp', 'ecs.version', 'data_stream.type', 'data_stream.dataset', 'data_stream.namespace',
  'event.id', 'event.kind', 'event.category', 'event.type', 'event.action', 'event.created', 'event.dataset',
  'event.module', 'event.sequence',
  'host.id', 'host.name', 'host.hostname', 'host.architecture', 'host.os.type', 'host.os.family', 'host.os.kernel',
  'host.os.name', 'host.os.platform', 'host.os.version', 'host.os.full',
  'host.ip', 'host.mac', 'host.domain',
  'agent.id', 'agent.type', 'agent.version',
  'user.id', 'user.name', 'group.id', 'group.name',
  'process.entity_id', 'process.pid', 'process.name', 'process.executable', 'process.command_line',
  'process.parent.entity_id', 'process.Ext.ancestry', 'process.group_leader.entity_id', 'process.session_leader.entity_id',
] as const;

/** Process documents only (normalize: process-fields, parent-fields, leader-fields, user-fields). */
const PROCESS_FIELDS = [
  'process.args', 'process.args_count', 'process.working_directory', 'process.start', 'process.end', 'process.exit_code',
  'process.parent.pid', 'process.parent.name', 'process.parent.executable', 'process.parent.args',
  'process.parent.args_count', 'process.parent.command_line', 'process.parent.working_directory', 'process.parent.start',
  'process.group_leader.pid', 'process.session_leader.pid',
  'process.user.id', 'process.user.name', 'process.group.id', 'process.group.name',
  'process.real_user.id', 'process.real_user.name', 'process.real_group.id', 'process.real_group.name',
] as const;

/** Network documents only (normalize: network-fields, event.outcome from the connect result). */
const NETWORK_FIELDS = [
  'event.outcome',
  'source.ip', 'source.address', 'source.port', 'destination.ip', 'destination.address', 'destination.port',
  'network.transport', 'network.type', 'network.direction',
] as const;

/** File documents only (normalize: file-fields, event.outcome from the syscall result, the calling thread). */
const FILE_FIELDS = [
  'event.outcome', 'process.thread.id',
  'file.path', 'file.name', 'file.extension', 'file.directory', 'file.inode', 'file.size', 'file.mode',
  'file.uid', 'file.gid', 'file.owner', 'file.group', 'file.Ext.original.path', 'file.Ext.original.name',
] as const;

/** event.action values of file documents (Defend's names; attributes_modified is chmod, which Defend does not report on Linux). */
const FILE_ACTIONS = ['creation', 'modification', 'deletion', 'rename', 'open', 'attributes_modified'] as const;
/** Windows file actions (ETW Kernel-File through the addon's tracker): Defend's, with overwrite, without chmod. */
const WINDOWS_FILE_ACTIONS = ['creation', 'modification', 'overwrite', 'deletion', 'rename', 'open'] as const;
/** File documents on Windows carry no inode, mode or owner (the tracker reads none); the thread is the issuing one. */
const WINDOWS_FILE_NEVER = ['file.inode', 'file.size', 'file.mode', 'file.uid', 'file.gid', 'file.owner', 'file.group'] as const;

/**
 * Linux only: whether the process has a controlling terminal (procfs reads it; the eBPF helper does not send
 * it yet, so eBPF processes carry it when inherited at fork from a process whose terminal is known).
 */
const LINUX_FIELDS = ['process.interactive', 'process.parent.interactive'] as const;

/** Windows only: the collector reports the account domain (user.id is then the SID). */
const WINDOWS_FIELDS = ['user.domain'] as const;

/**
 * What the ETW collector never fills (src/collectors/win32/etw-record-to-raw.ts): no working directory, no
 * process group or session, no numeric uid/gid (the account is a SID with a name and domain).
 */
const WINDOWS_NEVER = [
  'process.working_directory', 'process.parent.working_directory',
  'process.group_leader.entity_id', 'process.group_leader.pid', 'process.session_leader.entity_id', 'process.session_leader.pid',
  'group.id', 'group.name', 'process.user.id', 'process.user.name', 'process.group.id', 'process.group.name',
  'process.real_user.id', 'process.real_user.name', 'process.real_group.id', 'process.real_group.name',
] as const;

interface CoverageOptions {
  /** Fields on every document of this OS. */
  readonly extra?: readonly string[];
  /** Fields on process documents only. */
  readonly processExtra?: readonly string[];
  readonly never?: readonly string[];
  /** event.action of a process creation (Defend: exec and fork on Linux and macOS, start on Windows). */
  readonly startActions?: readonly string[];
  /** The OS has file telemetry (Linux: the eBPF helper; procfs cannot see files). */
  readonly files?: boolean;
  /** File event actions of this OS (default FILE_ACTIONS). */
  readonly fileActions?: readonly string[];
  /** Fields file documents of this OS never carry. */
  readonly fileNever?: readonly string[];
}

function coverage(options: CoverageOptions = {}): TelemetryCoverage {
  const never = new Set<string>(options.never ?? []);
  const keep = (xs: readonly string[]): string[] => xs.filter((x) => !never.has(x));
  const extra = options.extra ?? [];
  const byCategory: Record<string, string[]> = {
    process: keep([...COMMON_FIELDS, ...PROCESS_FIELDS, ...(options.processExtra ?? []), ...extra]),
    network: keep([...COMMON_FIELDS, ...NETWORK_FIELDS, ...extra]),
  };
  const actions: Record<string, string[]> = {
    process: [...(options.startActions ?? ['exec', 'fork']), 'end', 'already_running'],
    network: ['connection_attempted', 'connection_accepted', 'disconnect_received'],
  };
  const types: Record<string, string[]> = { process: ['start', 'end', 'info'], network: ['start', 'end'] };
  if (options.files === true) {
    const fileNever = new Set<string>(options.fileNever ?? []);
    byCategory['file'] = keep([...COMMON_FIELDS, ...FILE_FIELDS, ...extra]).filter((f) => !fileNever.has(f));
    actions['file'] = [...(options.fileActions ?? FILE_ACTIONS)];
    types['file'] = ['creation', 'change', 'deletion', 'access'];
  }
  return {
    categories: Object.keys(byCategory),
    actions,
    types,
    fields: [...new Set(Object.values(byCategory).flat())],
    fieldsByCategory: byCategory,
  };
}

/**
 * Linux: eBPF and procfs both produce every listed field (procfs run unprivileged leaves other users'
 * executable/working_directory empty, and emits disconnect_received when a reported socket goes away).
 * macOS shares the Linux document shapes; its collector issues narrow its entry if a collector cannot fill a
 * field. Windows: Defend's Windows process events (`start`, `end`, `already_running`) with what ETW fills.
 */
export const TELEMETRY_COVERAGE: Readonly<Record<OsType, TelemetryCoverage>> = {
  linux: coverage({ processExtra: LINUX_FIELDS, files: true }),
  // macOS files: eslogger (Endpoint Security); ps-lsof polling cannot see files (vigil doctor says so).
  macos: coverage({ files: true }),
  windows: coverage({
    extra: WINDOWS_FIELDS, never: WINDOWS_NEVER, startActions: ['start'],
    files: true, fileActions: WINDOWS_FILE_ACTIONS, fileNever: WINDOWS_FILE_NEVER,
  }),
};
