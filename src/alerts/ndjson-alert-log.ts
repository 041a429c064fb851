import { closeSync, fstatSync, fsyncSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Alert } from './alert.js';
import { alertDocument } from './alert-document.js';
import { ensurePrivateDir, openAppendNoFollow } from './safe-files.js';

/** When appended lines reach the disk: `always` fsyncs after every alert; `never` leaves it to the OS. */
export const FSYNC_POLICIES = ['always', 'never'] as const;
export type FsyncPolicy = (typeof FSYNC_POLICIES)[number];

export interface NdjsonAlertLogOptions {
  /** Default `always`: a line is on disk when `append` returns, like the SQLite commit before it. */
  readonly fsync?: FsyncPolicy;
  /** The file is renamed to `<path>.1` (replacing it) once it exceeds this size; default 64 MiB; 0 = never. */
  readonly maxBytes?: number;
  /** Mode of a newly created file (default 0o600). */
  readonly fileMode?: number;
  readonly agentVersion?: string;
}

export interface NdjsonAlertLogStats {
  readonly written: number;
  readonly bytes: number;
  readonly rotations: number;
}

/**
 * The optional ECS NDJSON alert log that Filebeat / Elastic Agent ship (filestream input, ndjson parser).
 * One document per line (alert-document.ts), appended with a single write(2) per alert so a reader never
 * sees half a line from us; the SQLite store stays the system of record. Rotation is a rename, which
 * Filebeat follows by inode.
 */
export class NdjsonAlertLog {
  readonly path: string;
  readonly #fsync: FsyncPolicy;
  readonly #maxBytes: number;
  readonly #mode: number;
  readonly #agentVersion: string | undefined;
  #fd: number;
  #size: number;
  #stats = { written: 0, bytes: 0, rotations: 0 };

  constructor(path: string, options: NdjsonAlertLogOptions = {}) {
    this.path = path;
    this.#fsync = options.fsync ?? 'always';
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#mode = options.fileMode ?? 0o600;
    this.#agentVersion = options.agentVersion;
    this.#fd = this.#open();
    this.#size = fstatSync(this.#fd).size;
  }

  #open(): number {
    ensurePrivateDir(dirname(this.path));
    return openAppendNoFollow(this.path, this.#mode);
  }

  append(alert: Alert): void {
    const line = Buffer.from(JSON.stringify(alertDocument(alert, this.#agentVersion)) + '\n', 'utf8');
    if (this.#maxBytes > 0 && this.#size > 0 && this.#size + line.length > this.#maxBytes) this.#rotate();
    let off = 0;
    while (off < line.length) off += writeSync(this.#fd, line, off, line.length - off);
    if (this.#fsync === 'always') fsyncSync(this.#fd);
    this.#size += line.length;
    this.#stats.written++;
    this.#stats.bytes += line.length;
  }

  #rotate(): void {
    fsyncSync(this.#fd);
    closeSync(this.#fd);
    renameSync(this.path, this.path + '.1');
    this.#fd = this.#open();
    this.#size = 0;
    this.#stats.rotations++;
  }

  stats(): NdjsonAlertLogStats {
    return { ...this.#stats };
  }

  close(): void {
    if (this.#fd < 0) return;
    fsyncSync(this.#fd);
    closeSync(this.#fd);
    this.#fd = -1;
  }
}
