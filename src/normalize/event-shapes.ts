import type { FileAction, Platform, RawEventKind } from '../collectors/raw-event.js';

export const EVENT_CATEGORIES = ['process', 'network', 'file'] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export interface EventShape {
  readonly category: EventCategory;
  /** event.action, as Elastic Defend spells it. */
  readonly action: string;
  /** event.type (one value; emitted as an array). */
  readonly type: 'start' | 'end' | 'info' | 'creation' | 'deletion' | 'change' | 'access';
  /** event.dataset and data_stream.dataset, as Defend's data streams name it. */
  readonly dataset: string;
}

/** Shapes of the kinds with one shape each (a file event's shape depends on its action: FILE_SHAPES). */
export type EventShapes = Readonly<Record<Exclude<RawEventKind, 'file'>, EventShape>>;

const PROCESS = 'endpoint.events.process';
const NETWORK = 'endpoint.events.network';
const FILE = 'endpoint.events.file';

/** File event action -> its ECS event (Defend's event.type per action; a rename is a `change`). */
export const FILE_SHAPES: Readonly<Record<FileAction, EventShape>> = {
  creation: { category: 'file', action: 'creation', type: 'creation', dataset: FILE },
  modification: { category: 'file', action: 'modification', type: 'change', dataset: FILE },
  // Defend's Windows overwrite (an existing file replaced through its create disposition): its content is new,
  // so it is typed as a creation (rules written for dropped files see it too).
  overwrite: { category: 'file', action: 'overwrite', type: 'creation', dataset: FILE },
  deletion: { category: 'file', action: 'deletion', type: 'deletion', dataset: FILE },
  rename: { category: 'file', action: 'rename', type: 'change', dataset: FILE },
  open: { category: 'file', action: 'open', type: 'access', dataset: FILE },
  attributes_modified: { category: 'file', action: 'attributes_modified', type: 'change', dataset: FILE },
};

/** Raw event kind -> the ECS event it becomes (Defend on Linux and macOS: exec, fork, end). */
export const EVENT_SHAPES: EventShapes = {
  exec: { category: 'process', action: 'exec', type: 'start', dataset: PROCESS },
  fork: { category: 'process', action: 'fork', type: 'start', dataset: PROCESS },
  exit: { category: 'process', action: 'end', type: 'end', dataset: PROCESS },
  snapshot: { category: 'process', action: 'already_running', type: 'info', dataset: PROCESS },
  connect: { category: 'network', action: 'connection_attempted', type: 'start', dataset: NETWORK },
  accept: { category: 'network', action: 'connection_accepted', type: 'start', dataset: NETWORK },
  disconnect: { category: 'network', action: 'disconnect_received', type: 'end', dataset: NETWORK },
};

/**
 * Defend on Windows writes a process creation as `start` (defend-event-docs/process/windows, the Windows
 * sample document): Windows has no exec/fork split, a new process is created with its image.
 */
const WINDOWS_SHAPES: EventShapes = {
  ...EVENT_SHAPES,
  exec: { category: 'process', action: 'start', type: 'start', dataset: PROCESS },
  fork: { category: 'process', action: 'start', type: 'start', dataset: PROCESS },
};

/** The shapes per platform, as Defend documents each OS. */
export const PLATFORM_EVENT_SHAPES: Readonly<Record<Platform, EventShapes>> = {
  linux: EVENT_SHAPES,
  macos: EVENT_SHAPES,
  windows: WINDOWS_SHAPES,
};
