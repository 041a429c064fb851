/**
 * What the ETW addon (native/win32) hands to JS: one plain object per event, manifest properties under their
 * manifest names. This is the seam between the addon and the mapping (etw-record-to-raw.ts); recorded records
 * (test/fixtures/win32/) have exactly this shape.
 */

/** Where a record comes from: the ETW session, or the Toolhelp scan of processes running at start. */
export const ETW_SOURCES = ['etw', 'snapshot'] as const;
export type EtwSource = (typeof ETW_SOURCES)[number];

/**
 * `kernel-process`: Microsoft-Windows-Kernel-Process {22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716};
 * `kernel-network`: Microsoft-Windows-Kernel-Network {7dd42a49-5329-4832-8dfd-43d979153a88};
 * `kernel-file`: Microsoft-Windows-Kernel-File {edd08927-9cc4-4e65-b970-c2560fb5c289}, as the addon's file
 *   tracker consolidates it (native/win32/src/file-tracker.h): one record per file change, `eventId` the event
 *   that completed it, `enrich.fileAction` what happened;
 * `snapshot`: not a provider, the addon's scan of running processes (eventId 0).
 */
export const ETW_PROVIDERS = ['kernel-process', 'kernel-network', 'kernel-file', 'snapshot'] as const;
export type EtwProvider = (typeof ETW_PROVIDERS)[number];

export const ETW_PROVIDER_GUIDS: Readonly<Record<Exclude<EtwProvider, 'snapshot'>, string>> = {
  'kernel-process': '22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716',
  'kernel-network': '7dd42a49-5329-4832-8dfd-43d979153a88',
  'kernel-file': 'edd08927-9cc4-4e65-b970-c2560fb5c289',
};

/** What a `kernel-file` record reports (Defend's Windows file actions). */
export const ETW_FILE_ACTIONS = ['creation', 'modification', 'overwrite', 'deletion', 'rename', 'open'] as const;
export type EtwFileAction = (typeof ETW_FILE_ACTIONS)[number];

/**
 * A decoded property. TDH types travel as: 8/16/32-bit integers -> number (win:Port in host order);
 * 64-bit integers, pointers and FILETIMEs -> decimal string; win:IPv4 / win:IPv6 -> address text;
 * strings -> UTF-8; SIDs -> `S-1-...`; booleans -> boolean; other binaries -> hex.
 */
export type EtwValue = string | number | boolean;

/** What the addon adds that the event lacks (all optional: every live query can fail). */
export interface EtwEnrichment {
  /**
   * The command line, whole (Windows caps them at 32767 characters). `kernel`: from the kernel's own Process
   * start event (the session runs in system-logger mode), captured at creation; `peb`: read from the process
   * (NtQueryInformationProcess) when the event arrived, absent when it had already exited.
   */
  readonly commandLine?: string;
  readonly commandLineSource?: 'kernel' | 'peb';
  /** Win32 image path (ImageName's \Device\HarddiskVolumeN mapped to a drive letter). */
  readonly imagePath?: string;
  readonly userSid?: string;
  readonly userName?: string;
  readonly userDomain?: string;
  /** The event's process identity when the event has none (network events, old manifest versions). */
  readonly processSequenceNumber?: string;
  /** FILETIME ticks, decimal. */
  readonly createTime?: string;
  readonly parentSequenceNumber?: string;
  readonly parentCreateTime?: string;
  readonly parentImagePath?: string;
  /** Extended data of the event header (who logged it: for ProcessStart, the creator). */
  readonly headerUserSid?: string;
  readonly headerProcessStartKey?: string;
  /** kernel-file: what happened, the Win32 path (after a rename: the new one), the path before a rename. */
  readonly fileAction?: EtwFileAction;
  readonly filePath?: string;
  readonly originalFilePath?: string;
  /** kernel-file: the create disposition the file was opened with (FILE_SUPERSEDE 0 .. FILE_OVERWRITE_IF 5). */
  readonly createDisposition?: number;
  /** kernel-file: NTSTATUS of the operation as a signed 32-bit number (0 success, negative failure). */
  readonly status?: number;
}

/** A sensitive-path pattern handed to the addon's file tracker (the policy derived from the loaded rules). */
export interface EtwSensitivePattern {
  readonly field: 'path' | 'name' | 'extension';
  readonly value: string;
  readonly wildcard: boolean;
  readonly insensitive: boolean;
}

export interface EtwRecord {
  readonly source: EtwSource;
  readonly provider: EtwProvider;
  readonly eventId: number;
  readonly version: number;
  readonly opcode: number;
  /** Event time: FILETIME ticks (100 ns since 1601-01-01 UTC), decimal string. */
  readonly timestamp: string;
  /** EVENT_HEADER.ProcessId / ThreadId: who logged the event (not the subject of a network event). */
  readonly headerPid: number;
  readonly headerTid: number;
  readonly props: Readonly<Record<string, EtwValue>>;
  readonly enrich: EtwEnrichment;
}

export interface EtwStartOptions {
  /** ETW session name; a stale session of this name is stopped at start. Default `Vigil-ETW`. */
  readonly sessionName?: string;
  /** Records held between the ETW thread and JS; beyond it they are dropped and counted in `lost`. */
  readonly queueCapacity?: number;
  /** Records per JS callback. */
  readonly batchSize?: number;
  readonly process?: boolean;
  readonly network?: boolean;
  /** Emit the processes running at start (source `snapshot`). */
  readonly snapshot?: boolean;
  readonly fetchCommandLine?: boolean;
  readonly resolveUsers?: boolean;
  /** Run the session in system-logger mode for the kernel's Process events (command lines at creation). */
  readonly kernelCommandLines?: boolean;
  /** Microsoft-Windows-Kernel-File: file changes and sensitive opens (default false). */
  readonly files?: boolean;
  /** The opens worth reporting (read-only opens of other paths never cross into JS). */
  readonly sensitive?: readonly EtwSensitivePattern[];
  /** Open file objects tracked (oldest forgotten first, counted). Default 65536. */
  readonly fileObjects?: number;
  /** (process, path) pairs remembered so a sensitive open is reported once; also caps opens waiting for their status. Default 16384. */
  readonly reportedOpens?: number;
}

/** The addon's counters (native/win32/src/addon.cc `stats()`). */
export interface EtwAddonStats {
  readonly running: boolean;
  readonly callbacks: number;
  readonly emitted: number;
  readonly delivered: number;
  readonly lost: number;
  readonly queueDepth: number;
  readonly queueHighWater: number;
  readonly queueCapacity: number;
  readonly batches: number;
  readonly callbackErrors: number;
  readonly unknownEvents: number;
  /** Events dropped because handling them threw in the addon (allocation failure). */
  readonly handlerErrors: number;
  readonly decoded: number;
  readonly schemaErrors: number;
  readonly propertyErrors: number;
  readonly skippedProperties: number;
  /** The session got the kernel's Process events (system-logger mode). */
  readonly systemLogger: boolean;
  readonly commandLineFromKernel: number;
  readonly kernelCommandLinesStored: number;
  readonly kernelCommandLineMisses: number;
  readonly kernelCommandLineEvictions: number;
  readonly pendingStartsHighWater: number;
  readonly commandLineFetched: number;
  readonly commandLineUnavailable: number;
  readonly liveQueries: number;
  readonly pidTableSize: number;
  readonly pidTableEvictions: number;
  readonly udpFlows: number;
  readonly udpSuppressed: number;
  readonly udpFlowEvictions: number;
  readonly snapshotProcesses: number;
  readonly staleSessionsStopped: number;
  readonly etwEventsLost: number;
  readonly etwRealTimeBuffersLost: number;
  readonly processTraceStatus: number;
  /** Kernel-File (native/win32/src/file-tracker.h): events seen, changes emitted, and what was dropped in C++. */
  readonly fileEvents: number;
  readonly fileEmitted: number;
  readonly fileDirectories: number;
  readonly fileOffDisk: number;
  readonly fileUntracked: number;
  readonly fileOpensNotSensitive: number;
  readonly fileOpensRepeated: number;
  readonly fileObjectsTracked: number;
  readonly fileObjectsHighWater: number;
  readonly fileObjectEvictions: number;
  readonly fileOpenSetEvictions: number;
  readonly filePendingOpens: number;
  readonly filePendingEvictions: number;
  readonly fileParseErrors: number;
  readonly fileOldVersion: number;
  readonly fileOwnProcess: number;
}

/** The addon module's exports. */
export interface EtwAddon {
  readonly abiVersion: number;
  start(options: EtwStartOptions, onRecords: (records: EtwRecord[]) => void): void;
  /** Stops the session; records still queued are delivered to `onRecords` before it returns. */
  stop(): void;
  stats(): EtwAddonStats;
}
