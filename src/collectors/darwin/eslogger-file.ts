/**
 * Endpoint Security file events, as eslogger writes them (Apple's ESMessage.h structs in snake_case JSON), read
 * into the change Defend reports on macOS. Pure: one message's `event.<kind>` object in, a change or the reason
 * there is none out.
 *
 * - create (`es_event_create_t`): `destination_type` 0 = `existing_file` (an es_file_t), 1 = `new_path`
 *   (`dir` es_file_t + `filename` + `mode`) -> creation;
 * - rename (`es_event_rename_t`): `source`, and a destination in the same two forms -> rename, with the source
 *   as the original path (renames across directories keep both full paths);
 * - unlink (`es_event_unlink_t`): `target`, `parent_dir` -> deletion;
 * - write (`es_event_write_t`), truncate (`es_event_truncate_t`): `target` -> modification;
 * - close (`es_event_close_t`): `modified` true -> modification, false -> nothing;
 * - open (`es_event_open_t`): `fflag` (FREAD 1, FWRITE 2) and `file` -> open, for the sensitive-path policy to
 *   keep or drop;
 * - setmode / setowner (`es_event_setmode_t` / `es_event_setowner_t`): `target` -> attributes_modified.
 * An es_file_t is `{path, path_truncated, stat: {st_ino, st_mode, st_uid, st_gid, st_size, ...}}`.
 */

/** The file event kinds Vigil subscribes to, with their `es_event_type_t` numbers (ESTypes.h). */
export const ES_FILE_EVENT_KINDS = ['create', 'rename', 'unlink', 'write', 'close', 'truncate', 'open', 'setmode', 'setowner'] as const;
export type EsFileEventKind = (typeof ES_FILE_EVENT_KINDS)[number];
export const ES_FILE_EVENT_TYPE: Readonly<Record<EsFileEventKind, number>> = {
  open: 10, // ES_EVENT_TYPE_NOTIFY_OPEN
  close: 12, // ES_EVENT_TYPE_NOTIFY_CLOSE
  create: 13, // ES_EVENT_TYPE_NOTIFY_CREATE
  rename: 25, // ES_EVENT_TYPE_NOTIFY_RENAME
  setmode: 29, // ES_EVENT_TYPE_NOTIFY_SETMODE
  setowner: 30, // ES_EVENT_TYPE_NOTIFY_SETOWNER
  unlink: 32, // ES_EVENT_TYPE_NOTIFY_UNLINK
  write: 33, // ES_EVENT_TYPE_NOTIFY_WRITE
  truncate: 41, // ES_EVENT_TYPE_NOTIFY_TRUNCATE
};

/** Defend's macOS file actions (event.action). */
export const ES_FILE_ACTIONS = ['creation', 'modification', 'deletion', 'rename', 'open', 'attributes_modified'] as const;
export type EsFileAction = (typeof ES_FILE_ACTIONS)[number];

/** Open access class from `fflag` (sys/fcntl.h FREAD 0x1, FWRITE 0x2). */
export type EsOpenAccess = 'read' | 'write' | 'read_write';

export interface EsFileChange {
  readonly action: EsFileAction;
  /** The file's path (after a rename: the new one). */
  readonly path: string;
  /** rename: the path before. */
  readonly originalPath?: string;
  readonly inode?: number;
  readonly size?: number;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  /** Endpoint Security cut the path (`path_truncated`). */
  readonly pathTruncated?: boolean;
  /** open: how the file was opened. */
  readonly access?: EsOpenAccess;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);

interface FileFacts {
  readonly path: string;
  readonly pathTruncated: boolean;
  readonly stat?: Record<string, unknown>;
}

/** An es_file_t: its path (required, non-empty), truncation flag and stat. */
function esFile(v: unknown): FileFacts | undefined {
  if (!isObject(v) || typeof v['path'] !== 'string' || v['path'] === '') return undefined;
  return { path: v['path'], pathTruncated: v['path_truncated'] === true, ...(isObject(v['stat']) ? { stat: v['stat'] } : {}) };
}

/** Joins a directory and a file name with exactly one slash. */
function join(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** The destination of a create or rename: an existing file, or a new path in a directory. */
function destination(ev: Record<string, unknown>): FileFacts | string {
  const d = isObject(ev['destination']) ? ev['destination'] : undefined;
  if (d === undefined) return 'destination missing';
  const type = ev['destination_type'];
  const existing = esFile(d['existing_file']);
  if (existing !== undefined && type !== 1) return existing;
  const newPath = isObject(d['new_path']) ? d['new_path'] : undefined;
  if (newPath !== undefined && type !== 0) {
    const dir = esFile(newPath['dir']);
    const name = newPath['filename'];
    if (dir === undefined || typeof name !== 'string' || name === '') return 'destination.new_path needs dir.path and filename';
    return { path: join(dir.path, name), pathTruncated: dir.pathTruncated };
  }
  return `destination does not match destination_type ${String(type)}`;
}

function change(action: EsFileAction, file: FileFacts, extra: Partial<EsFileChange> = {}): EsFileChange {
  const st = file.stat;
  const out: { -readonly [K in keyof EsFileChange]?: EsFileChange[K] } = { action, path: file.path, ...extra };
  if (st !== undefined) {
    // An inode past 2^53 cannot survive JSON.parse exactly: left out rather than reported wrong.
    const ino = int(st['st_ino']);
    const inode = ino !== undefined && Number.isSafeInteger(ino) ? ino : undefined;
    const size = int(st['st_size']);
    const mode = int(st['st_mode']);
    const uid = int(st['st_uid']);
    const gid = int(st['st_gid']);
    if (inode !== undefined) out.inode = inode;
    if (size !== undefined) out.size = size;
    if (mode !== undefined) out.mode = mode;
    if (uid !== undefined) out.uid = uid;
    if (gid !== undefined) out.gid = gid;
  }
  if (file.pathTruncated) out.pathTruncated = true;
  return out as EsFileChange;
}

type Reader = (ev: Record<string, unknown>) => EsFileChange | null | string;

const target = (action: EsFileAction, field = 'target'): Reader => (ev) => {
  const file = esFile(ev[field]);
  return file === undefined ? `${field}.path missing` : change(action, file);
};

const READERS: Readonly<Record<EsFileEventKind, Reader>> = {
  create(ev) {
    const dest = destination(ev);
    if (typeof dest === 'string') return dest;
    const mode = isObject(ev['destination']) && isObject(ev['destination']['new_path']) ? int(ev['destination']['new_path']['mode']) : undefined;
    const c = change('creation', dest);
    return mode !== undefined && c.mode === undefined ? { ...c, mode } : c;
  },
  rename(ev) {
    const source = esFile(ev['source']);
    if (source === undefined) return 'source.path missing';
    const dest = destination(ev);
    if (typeof dest === 'string') return dest;
    // The stat describes the file renamed (the source); the path is where it went.
    return change('rename', { ...source, path: dest.path, pathTruncated: source.pathTruncated || dest.pathTruncated }, { originalPath: source.path });
  },
  unlink: target('deletion'),
  write: target('modification'),
  truncate: target('modification'),
  close(ev) {
    if (ev['modified'] !== true) return null;
    return target('modification')(ev);
  },
  open(ev) {
    const file = esFile(ev['file']);
    if (file === undefined) return 'file.path missing';
    const flags = typeof ev['fflag'] === 'number' ? ev['fflag'] : 1;
    const access: EsOpenAccess = (flags & 3) === 3 ? 'read_write' : (flags & 2) !== 0 ? 'write' : 'read';
    return change('open', file, { access });
  },
  setmode: target('attributes_modified'),
  setowner: target('attributes_modified'),
};

/**
 * `event.<kind>` of a file message -> the change it reports; null when it reports none (a close of an
 * unmodified file); a string saying what is missing when the message is malformed.
 */
export function esFileChange(kind: EsFileEventKind, ev: unknown): EsFileChange | null | string {
  if (!isObject(ev)) return `event.${kind} is not an object`;
  const r = READERS[kind](ev);
  return typeof r === 'string' ? `event.${kind}.${r}` : r;
}
