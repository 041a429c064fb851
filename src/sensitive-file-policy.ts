/**
 * The sensitive-path policy: which read-only file opens are worth an `open` event, on every platform.
 * Module: src/sensitive-file-policy.ts (a leaf under src/: collectors, normalize, rules and agent all use it).
 *
 * Pure: patterns in, answers out, no I/O. A pattern constrains one of `file.path`, `file.name` or
 * `file.extension` with EQL's semantics (`*` any run, `?` one character, everything else literal;
 * case-insensitive for `:`, `like~`, `in~`). Patterns come from the loaded rules' file predicates on `open`
 * (src/rules/sensitive-open-patterns.ts), a bundled default list (config/sensitive-files.txt) and the
 * `[collector.files] sensitive` config list.
 *
 * `kernelKeyOf` says how a pattern is pre-filtered in the Linux kernel (native/linux: one hash lookup per
 * open on the basename, a basename prefix, the extension or the parent directory's name, ASCII case folded);
 * a pattern with none of those shapes is "broad": the kernel cannot narrow it, and `vigil rules check` says so.
 * User space always re-checks the exact pattern (`SensitiveFilePolicy.match`), so a kernel key only needs to
 * be a superset.
 */
import { matchWildcard } from './eql/wildcard.js';

export const SENSITIVE_FIELDS = ['path', 'name', 'extension'] as const;
export type SensitiveField = (typeof SENSITIVE_FIELDS)[number];

export interface SensitivePattern {
  readonly field: SensitiveField;
  readonly value: string;
  /** `*` and `?` are wildcards (`:`, `like`, `like~`); otherwise an exact value (`==`, `in`, `in~`). */
  readonly wildcard: boolean;
  readonly insensitive: boolean;
  /** Where it came from: a rule name, `default` or `config`. */
  readonly source: string;
}

/** The kernel pre-filter shapes (see native/linux/src/bpf/vg-file.bpf.h). */
export const KERNEL_KEY_KINDS = ['name', 'prefix', 'extension', 'dir'] as const;
export type KernelKeyKind = (typeof KERNEL_KEY_KINDS)[number];
export interface KernelKey {
  readonly kind: KernelKeyKind;
  /** ASCII lower-cased text hashed in the kernel. */
  readonly text: string;
}

/** Basename prefixes the kernel can hash: 1..MAX_PREFIX bytes. */
export const MAX_PREFIX = 32;
/** Bytes of a basename the kernel hashes (longer names only match prefix keys). */
export const MAX_NAME = 128;

const hasWild = (s: string): boolean => s.includes('*') || s.includes('?');
const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const lastPart = (p: string): string => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** An exact basename: hashed whole. */
function exactName(name: string): KernelKey | null {
  return name === '' || utf8Bytes(name) > MAX_NAME ? null : { kind: 'name', text: asciiLower(name) };
}

/**
 * A wildcard basename: its literal head before the first wildcard (2+ bytes) as a prefix key, else a literal
 * extension after the last star. A star is taken to stay inside the last component (`id_*` stands for files
 * named id_..., not for whatever lies under a directory named id_...).
 */
function wildNameKey(name: string): KernelKey | null {
  if (!hasWild(name)) return exactName(name);
  const head = name.slice(0, name.search(/[*?]/));
  if (head.length >= 2 && utf8Bytes(head) <= MAX_PREFIX) return { kind: 'prefix', text: asciiLower(head) };
  const star = name.lastIndexOf('*');
  const tail = name.slice(star + 1);
  const dot = tail.lastIndexOf('.');
  if (star >= 0 && dot >= 0 && dot < tail.length - 1 && !hasWild(tail) && utf8Bytes(tail) <= MAX_NAME) {
    return { kind: 'extension', text: asciiLower(tail.slice(dot + 1)) };
  }
  return null;
}

/**
 * How the kernel pre-filters a pattern, or null when it cannot (the pattern is broad). A path pattern is
 * keyed on its last component; `dir/*` on the directory's name (its direct children).
 */
export function kernelKeyOf(p: SensitivePattern): KernelKey | null {
  if (p.field === 'extension') {
    const v = p.value.startsWith('.') ? p.value.slice(1) : p.value;
    return v === '' || (p.wildcard && hasWild(v)) || utf8Bytes(v) > MAX_NAME ? null : { kind: 'extension', text: asciiLower(v) };
  }
  if (p.field === 'name') return p.wildcard ? wildNameKey(p.value) : exactName(p.value);
  const cut = Math.max(p.value.lastIndexOf('/'), p.value.lastIndexOf('\\'));
  if (cut < 0) return null;
  const leaf = p.value.slice(cut + 1);
  if (!p.wildcard) return exactName(leaf);
  if (leaf === '*') {
    const parent = lastPart(p.value.slice(0, cut));
    return parent === '' || hasWild(parent) ? null : exactName(parent) && { kind: 'dir', text: asciiLower(parent) };
  }
  return wildNameKey(leaf);
}

/** The parts of a file path the patterns look at. */
export interface FileNameParts {
  readonly path: string;
  readonly name: string;
  /** Without the dot; '' when none. */
  readonly extension: string;
}

export function fileNameParts(path: string): FileNameParts {
  const name = lastPart(path);
  const dot = name.lastIndexOf('.');
  return { path, name, extension: dot > 0 && dot < name.length - 1 ? name.slice(dot + 1) : '' };
}

function matches(p: SensitivePattern, value: string): boolean {
  if (p.wildcard) return matchWildcard(p.value, value, p.insensitive);
  return p.insensitive ? value.toLowerCase() === p.value.toLowerCase() : value === p.value;
}

/** The patterns, checked against a path. */
export class SensitiveFilePolicy {
  readonly patterns: readonly SensitivePattern[];
  readonly #byField: Readonly<Record<SensitiveField, readonly SensitivePattern[]>>;

  constructor(patterns: readonly SensitivePattern[]) {
    const seen = new Set<string>();
    const kept: SensitivePattern[] = [];
    for (const p of patterns) {
      const k = `${p.field}\0${p.wildcard}\0${p.insensitive}\0${p.value}`;
      if (seen.has(k) || p.value === '') continue;
      seen.add(k);
      kept.push(p);
    }
    this.patterns = kept;
    this.#byField = {
      path: kept.filter((p) => p.field === 'path'),
      name: kept.filter((p) => p.field === 'name'),
      extension: kept.filter((p) => p.field === 'extension'),
    };
  }

  /** The first pattern the path matches, or undefined. */
  match(path: string): SensitivePattern | undefined {
    const parts = fileNameParts(path);
    for (const p of this.#byField.name) if (matches(p, parts.name)) return p;
    if (parts.extension !== '') for (const p of this.#byField.extension) if (matches(p, parts.extension)) return p;
    for (const p of this.#byField.path) if (matches(p, path)) return p;
    return undefined;
  }

  /** Kernel keys of every narrowable pattern, and the broad ones. */
  kernelKeys(): { keys: KernelKey[]; broad: SensitivePattern[] } {
    const keys = new Map<string, KernelKey>();
    const broad: SensitivePattern[] = [];
    for (const p of this.patterns) {
      const k = kernelKeyOf(p);
      if (k === null) broad.push(p);
      else keys.set(`${k.kind}\0${k.text}`, k);
    }
    return { keys: [...keys.values()], broad };
  }
}

/**
 * Reads a sensitive-path list (config/sensitive-files.txt): `name|path|extension PATTERN` a line, `#`
 * comments; patterns are case-insensitive wildcards. Returns the patterns and the lines it could not read.
 */
export function parseSensitiveList(text: string, source: string): { patterns: SensitivePattern[]; errors: string[] } {
  const patterns: SensitivePattern[] = [];
  const errors: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(name|path|extension)\s+(.+)$/.exec(line);
    if (m === null) {
      errors.push(`${source}:${i + 1}: expected \`name|path|extension PATTERN\`, got ${JSON.stringify(line.slice(0, 80))}`);
      return;
    }
    patterns.push({ field: m[1] as SensitiveField, value: m[2]!, wildcard: true, insensitive: true, source });
  });
  return { patterns, errors };
}

/** Access classes of an open, as Defend counts "once per (process, file, access class)". */
export const ACCESS_CLASSES = ['read', 'write', 'read_write'] as const;
export type AccessClass = (typeof ACCESS_CLASSES)[number];

/**
 * Remembers which (process, file, access class) triples were reported, so each is reported once per process
 * life. Bounded: past `capacity` entries the oldest is forgotten (it may then be reported again, never lost).
 */
export class OncePerProcessFile {
  readonly #seen = new Map<string, true>();
  evicted = 0;

  readonly #capacity: number;

  constructor(capacity = 65_536) {
    this.#capacity = capacity;
  }

  /** True the first time this triple is seen (report it), false after. `process` is an entity id or pid+start key. */
  first(process: string, path: string, access: AccessClass): boolean {
    const key = `${process}\0${access}\0${path}`;
    if (this.#seen.has(key)) return false;
    if (this.#seen.size >= this.#capacity) {
      const oldest = this.#seen.keys().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
      this.evicted++;
    }
    this.#seen.set(key, true);
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }
}

/** FNV-1a 64 over a kind byte then the text's UTF-8 bytes: the hash the kernel computes (vg-file.bpf.h). */
export function kernelKeyHash(key: KernelKey): bigint {
  const seed = { name: 0x4e, prefix: 0x50, extension: 0x45, dir: 0x44 }[key.kind];
  let h = 0xcbf29ce484222325n;
  const mask = 0xffffffffffffffffn;
  for (const b of [seed, ...Buffer.from(key.text, 'utf8')]) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & mask;
  }
  return h;
}
