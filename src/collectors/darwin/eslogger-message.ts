/**
 * The subset of eslogger's JSON (one `es_message_t` per line, macOS 13+) that Vigil reads. Field names follow
 * Apple's EndpointSecurity headers (ESMessage.h), which eslogger serialises as snake_case keys:
 * `{schema_version, version, time, mach_time, global_seq_num, seq_num, event_type, process, event: {exec|fork|exit}}`.
 * Everything is optional here: a line is untrusted input, and the parser checks what it uses.
 */
export interface EsAuditToken {
  readonly pid?: number;
  readonly pidversion?: number;
  readonly ruid?: number;
  readonly euid?: number;
  readonly rgid?: number;
  readonly egid?: number;
  readonly auid?: number;
  readonly asid?: number;
}

export interface EsFile {
  readonly path?: string;
  readonly path_truncated?: boolean;
}

/** `es_process_t`. `start_time` is a `struct timeval`, written as ISO-8601 UTC with microseconds. */
export interface EsProcess {
  readonly audit_token?: EsAuditToken;
  readonly ppid?: number;
  readonly original_ppid?: number;
  readonly group_id?: number;
  readonly session_id?: number;
  readonly executable?: EsFile;
  readonly start_time?: string;
  readonly signing_id?: string | null;
  readonly team_id?: string | null;
  readonly is_platform_binary?: boolean;
  readonly is_es_client?: boolean;
  readonly parent_audit_token?: EsAuditToken;
  readonly responsible_audit_token?: EsAuditToken;
}

/** `es_event_exec_t`: eslogger adds `args` and `env` (from es_exec_arg / es_exec_env) to the struct's fields. */
export interface EsExec {
  readonly target?: EsProcess;
  readonly args?: readonly unknown[];
  readonly cwd?: EsFile;
  readonly script?: EsFile | null;
}

export interface EsFork {
  readonly child?: EsProcess;
}

/** `es_event_exit_t`: `stat` is the wait(2) status. */
export interface EsExit {
  readonly stat?: number;
}

export interface EsMessage {
  readonly schema_version?: number;
  readonly version?: number;
  readonly time?: string;
  readonly mach_time?: number;
  readonly global_seq_num?: number;
  readonly seq_num?: number;
  readonly event_type?: number;
  readonly process?: EsProcess;
  /** The calling thread (message version 4+). */
  readonly thread?: { readonly thread_id?: number };
  /** exec / fork / exit, or one of the file events (eslogger-file.ts reads those). */
  readonly event?: { readonly exec?: EsExec; readonly fork?: EsFork; readonly exit?: EsExit } & Readonly<Record<string, unknown>>;
}

/** The event kinds Vigil subscribes to, with their `es_event_type_t` numbers (ESTypes.h). */
export const ES_EVENT_KINDS = ['exec', 'fork', 'exit'] as const;
export type EsEventKind = (typeof ES_EVENT_KINDS)[number];
export const ES_EVENT_TYPE: Readonly<Record<EsEventKind, number>> = {
  exec: 9, // ES_EVENT_TYPE_NOTIFY_EXEC
  fork: 11, // ES_EVENT_TYPE_NOTIFY_FORK
  exit: 15, // ES_EVENT_TYPE_NOTIFY_EXIT
};
