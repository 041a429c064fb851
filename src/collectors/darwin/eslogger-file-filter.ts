import type { RawFile } from '../raw-event.js';
import { OncePerProcessFile, type SensitiveFilePolicy } from '../../sensitive-file-policy.js';
import type { EsOpenAccess } from './eslogger-file.js';

/** What the filter dropped, by reason, and what it kept. */
export interface EsloggerFileFilterStats {
  /** File events kept. */
  readonly kept: number;
  /** Opens of paths the sensitive-path policy does not name. */
  readonly opensUnmatched: number;
  /** Sensitive opens already reported for that (process, file, access class). */
  readonly opensRepeated: number;
  /** Modifications already reported for that (process, file): eslogger's `write` comes once per syscall. */
  readonly modificationsRepeated: number;
  /** Remembered (process, file) pairs forgotten over the cap (they may be reported again, never lost). */
  readonly forgotten: number;
}

/**
 * Endpoint Security has no kernel-side path filter: every open of every file reaches eslogger. This filter runs
 * on each parsed file event before normalization and keeps an `open` only when the sensitive-path policy
 * matches it, once per (process, file, access class), as the Linux collector does; a process's modifications
 * of one file are reported once (writes are per syscall). Creations, deletions, renames and attribute changes
 * always pass. Bounded: the remembered pairs are capped (oldest forgotten first, counted).
 */
export class EsloggerFileFilter {
  readonly #policy: SensitiveFilePolicy;
  readonly #opens: OncePerProcessFile;
  readonly #writes: OncePerProcessFile;
  #kept = 0;
  #opensUnmatched = 0;
  #opensRepeated = 0;
  #modificationsRepeated = 0;

  constructor(policy: SensitiveFilePolicy, capacity = 65_536) {
    this.#policy = policy;
    this.#opens = new OncePerProcessFile(capacity);
    this.#writes = new OncePerProcessFile(capacity);
  }

  keep(event: RawFile, access: EsOpenAccess = 'read'): boolean {
    const who = `${event.process.pid}:${event.process.startKey}`;
    if (event.action === 'open') {
      if (this.#policy.match(event.path) === undefined) {
        this.#opensUnmatched++;
        return false;
      }
      if (!this.#opens.first(who, event.path, access)) {
        this.#opensRepeated++;
        return false;
      }
    } else if (event.action === 'modification' && !this.#writes.first(who, event.path, 'write')) {
      this.#modificationsRepeated++;
      return false;
    }
    this.#kept++;
    return true;
  }

  stats(): EsloggerFileFilterStats {
    return {
      kept: this.#kept,
      opensUnmatched: this.#opensUnmatched,
      opensRepeated: this.#opensRepeated,
      modificationsRepeated: this.#modificationsRepeated,
      forgotten: this.#opens.evicted + this.#writes.evicted,
    };
  }
}
