import type { RawEvent, RawFile, RawProcess } from '../raw-event.js';
import { darwinStartKey } from './darwin-start-key.js';
import { ES_FILE_EVENT_KINDS, ES_FILE_EVENT_TYPE, esFileChange, type EsFileEventKind, type EsOpenAccess } from './eslogger-file.js';
import { ES_EVENT_KINDS, ES_EVENT_TYPE, type EsEventKind, type EsMessage, type EsProcess } from './eslogger-message.js';
import { parseIsoTime } from './iso-time.js';

export const ESLOGGER_PARSE_ERRORS = ['ESLOGGER_BAD_JSON', 'ESLOGGER_NOT_EVENT', 'ESLOGGER_MISSING_FIELD'] as const;
export type EsloggerParseErrorCode = (typeof ESLOGGER_PARSE_ERRORS)[number];

export type EsloggerParseResult =
  /**
   * `globalSeqNum`: the message's `global_seq_num` (per client; a gap means Endpoint Security dropped messages).
   * `access`: for an `open`, how the file was opened (the collector reports each (process, file, access) once).
   */
  | { readonly ok: true; readonly event: RawEvent; readonly globalSeqNum?: number; readonly access?: EsOpenAccess }
  /** A well-formed message Vigil does not use (another event type). */
  | { readonly ok: true; readonly event: null; readonly ignored: string; readonly globalSeqNum?: number }
  | { readonly ok: false; readonly code: EsloggerParseErrorCode; readonly message: string };

export interface EsloggerParseOptions {
  /** Total argv bytes (UTF-8) kept per exec; the rest is cut and flagged `argsTruncated` (default 65536). */
  readonly maxArgsBytes?: number;
  /** The start key of a pid seen earlier, for a message whose process lacks `start_time`. */
  readonly startKeyOf?: (pid: number) => string | undefined;
  /** Event time when a message has no (valid) `time` (default Date.now). */
  readonly nowMs?: () => number;
}

type Fail = { readonly ok: false; readonly code: EsloggerParseErrorCode; readonly message: string };
const fail = (code: EsloggerParseErrorCode, message: string): Fail => ({ ok: false, code, message });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function put<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v !== undefined) o[k] = v;
}

/** `es_process_t` -> RawProcess; a string when it cannot name the process (no pid, no start time). */
function toProcess(p: EsProcess | undefined, what: string, options: EsloggerParseOptions): { process: RawProcess; startSeconds?: number } | string {
  if (!isObject(p)) return `${what} missing`;
  const token = isObject(p.audit_token) ? p.audit_token : undefined;
  const pid = int(token?.pid);
  if (pid === undefined || pid < 0) return `${what}.audit_token.pid missing`;
  const start = typeof p.start_time === 'string' ? parseIsoTime(p.start_time) : undefined;
  const startKey = start !== undefined ? darwinStartKey(start.epochSeconds) : options.startKeyOf?.(pid);
  if (startKey === undefined) return `${what}.start_time missing or invalid (pid ${pid}, not seen before)`;
  const out: { -readonly [K in keyof RawProcess]?: RawProcess[K] } = { pid, startKey };
  if (start !== undefined) out.startTimeMs = start.ms;
  put(out, 'ppid', int(p.ppid));
  const exe = isObject(p.executable) ? str(p.executable.path) : undefined;
  if (exe !== undefined && exe !== '') out.executable = exe;
  put(out, 'uid', int(token?.ruid));
  put(out, 'euid', int(token?.euid));
  put(out, 'gid', int(token?.rgid));
  put(out, 'egid', int(token?.egid));
  put(out, 'groupLeaderPid', int(p.group_id));
  put(out, 'sessionLeaderPid', int(p.session_id));
  const extra: Record<string, string | number | boolean> = {};
  put(extra, 'pidversion', int(token?.pidversion));
  const original = int(p.original_ppid);
  if (original !== undefined && original !== out.ppid) extra['original_ppid'] = original;
  put(extra, 'signing_id', str(p.signing_id));
  put(extra, 'team_id', str(p.team_id));
  if (typeof p.is_platform_binary === 'boolean') extra['is_platform_binary'] = p.is_platform_binary;
  if (isObject(p.executable) && p.executable.path_truncated === true) extra['executable_truncated'] = true;
  if (Object.keys(extra).length > 0) out.extra = extra;
  return { process: out as RawProcess, ...(start !== undefined ? { startSeconds: start.epochSeconds } : {}) };
}

/** Keeps argv up to `max` UTF-8 bytes; non-strings (never written by eslogger) become "". */
function cutArgs(args: readonly unknown[], max: number): { args: string[]; truncated: boolean; bytes: number } {
  const kept: string[] = [];
  let bytes = 0;
  let truncated = false;
  for (const a of args) {
    const s = typeof a === 'string' ? a : '';
    const n = Buffer.byteLength(s, 'utf8') + 1; // + NUL, as the kernel counts argv
    if (!truncated && bytes + n <= max) kept.push(s);
    else truncated = true;
    bytes += n;
  }
  return { args: kept, truncated, bytes };
}

type AnyKind = EsEventKind | EsFileEventKind;
const ALL_KINDS: readonly AnyKind[] = [...ES_EVENT_KINDS, ...ES_FILE_EVENT_KINDS];
const TYPE_OF: Readonly<Record<AnyKind, number>> = { ...ES_EVENT_TYPE, ...ES_FILE_EVENT_TYPE };

/** Which event a message carries: the `event` object's key, checked against `event_type` when present. */
function kindOf(m: EsMessage): AnyKind | string {
  const ev = isObject(m.event) ? m.event : undefined;
  if (ev === undefined) return 'no event object';
  for (const k of ALL_KINDS) {
    if (!isObject(ev[k])) continue;
    if (m.event_type !== undefined && m.event_type !== TYPE_OF[k]) return `event_type ${String(m.event_type)} does not match event.${k}`;
    return k;
  }
  return `event ${Object.keys(ev).join(',') || '(empty)'} not subscribed`;
}

/**
 * A file message -> RawFile: the acting `process` (its thread from `thread.thread_id`), what eslogger-file.ts
 * read from `event.<kind>`; notifications report what happened, so the result is success (0). A close of an
 * unmodified file reports nothing.
 */
function fileEvent(kind: EsFileEventKind, m: EsMessage, timeMs: number, o: EsloggerParseOptions): { event: RawFile; access?: EsOpenAccess } | null | Fail {
  const change = esFileChange(kind, m.event![kind]);
  if (change === null) return null;
  if (typeof change === 'string') return fail('ESLOGGER_MISSING_FIELD', change);
  const proc = toProcess(m.process, 'process', o);
  if (typeof proc === 'string') return fail('ESLOGGER_MISSING_FIELD', proc);
  const { access, ...fields } = change;
  const thread = isObject(m.thread) ? int(m.thread.thread_id) : undefined;
  const event: RawFile = {
    kind: 'file', timeMs, backend: 'eslogger', platform: 'macos', process: proc.process, result: 0,
    ...fields,
    ...(thread !== undefined ? { threadId: thread } : {}),
  };
  return access !== undefined ? { event, access } : { event };
}

type Handler = (m: EsMessage, timeMs: number, o: EsloggerParseOptions) => RawEvent | Fail;

const HANDLERS: Readonly<Record<EsEventKind, Handler>> = {
  exec(m, timeMs, o) {
    const exec = m.event!.exec!;
    const target = toProcess(exec.target, 'event.exec.target', o);
    if (typeof target === 'string') return fail('ESLOGGER_MISSING_FIELD', target);
    const p: Record<string, unknown> = { ...target.process };
    if (Array.isArray(exec.args)) {
      const cut = cutArgs(exec.args, o.maxArgsBytes ?? 65536);
      p['args'] = cut.args;
      if (cut.truncated) {
        p['argsTruncated'] = true;
        p['argsBytes'] = cut.bytes;
      }
    }
    const cwd = isObject(exec.cwd) ? str(exec.cwd.path) : undefined;
    if (cwd !== undefined && cwd !== '') p['cwd'] = cwd;
    return { kind: 'exec', timeMs, backend: 'eslogger', platform: 'macos', process: p as unknown as RawProcess };
  },
  fork(m, timeMs, o) {
    const child = toProcess(m.event!.fork!.child, 'event.fork.child', o);
    if (typeof child === 'string') return fail('ESLOGGER_MISSING_FIELD', child);
    const parent = toProcess(m.process, 'process', o);
    const p: Record<string, unknown> = { ...child.process };
    if (typeof parent !== 'string') {
      if (p['ppid'] === undefined) p['ppid'] = parent.process.pid;
      if (p['ppid'] === parent.process.pid) p['parentStartKey'] = parent.process.startKey;
    }
    return { kind: 'fork', timeMs, backend: 'eslogger', platform: 'macos', process: p as unknown as RawProcess };
  },
  exit(m, timeMs, o) {
    const proc = toProcess(m.process, 'process', o);
    if (typeof proc === 'string') return fail('ESLOGGER_MISSING_FIELD', proc);
    const stat = int(m.event!.exit!.stat);
    if (stat === undefined) return { kind: 'exit', timeMs, backend: 'eslogger', platform: 'macos', process: proc.process };
    const signal = stat & 0x7f;
    const exitCode = signal === 0 ? (stat >> 8) & 0xff : 128 + signal;
    return { kind: 'exit', timeMs, backend: 'eslogger', platform: 'macos', process: proc.process, exitCode };
  },
};

/**
 * One eslogger JSON line -> a RawEvent (platform `macos`, backend `eslogger`).
 * - exec: the new image (`event.exec.target`) with `args`, `cwd`; the start key is unchanged by exec;
 * - fork: the child (`event.fork.child`); the forking `process` gives the parent's start key;
 * - exit: `process`, with `exitCode` from the wait status `stat` (exit status, or 128 + signal);
 * - file events (create, rename, unlink, write, close, truncate, open, setmode, setowner): a RawFile
 *   (eslogger-file.ts); the collector decides which opens are kept (the sensitive-path policy).
 * Strings are taken as eslogger wrote them: JSON escapes are decoded by JSON.parse, and bytes that were not
 * UTF-8 reach here as U+FFFD (the collector decodes stdout as UTF-8, replacing invalid sequences).
 */
export function parseEsloggerLine(line: string, options: EsloggerParseOptions = {}): EsloggerParseResult {
  let m: unknown;
  try {
    m = JSON.parse(line);
  } catch (err) {
    return fail('ESLOGGER_BAD_JSON', (err as Error).message);
  }
  if (!isObject(m)) return fail('ESLOGGER_NOT_EVENT', 'not a JSON object');
  const msg = m as EsMessage;
  const kind = kindOf(msg);
  const seq = int(msg.global_seq_num);
  const seqField = seq !== undefined ? { globalSeqNum: seq } : {};
  if (!(ALL_KINDS as readonly string[]).includes(kind)) {
    return kind.startsWith('event ') && kind.endsWith('not subscribed') ? { ok: true, event: null, ignored: kind, ...seqField } : fail('ESLOGGER_NOT_EVENT', kind);
  }
  const t = typeof msg.time === 'string' ? parseIsoTime(msg.time) : undefined;
  const timeMs = t !== undefined ? t.ms : (options.nowMs ?? Date.now)();
  if ((ES_FILE_EVENT_KINDS as readonly string[]).includes(kind)) {
    const f = fileEvent(kind as EsFileEventKind, msg, timeMs, options);
    if (f === null) return { ok: true, event: null, ignored: `${kind} of an unmodified file`, ...seqField };
    return 'ok' in f ? f : { ok: true, event: f.event, ...seqField, ...(f.access !== undefined ? { access: f.access } : {}) };
  }
  const r = HANDLERS[kind as EsEventKind](msg, timeMs, options);
  return 'ok' in r ? r : { ok: true, event: r, ...seqField };
}
