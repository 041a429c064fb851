import { extname } from 'node:path';
import type { OsType } from '../ecs/ecs-event.js';
import type { CompileOptions } from '../eql/compiled-query.js';
import { compileRule } from './compile-rule.js';
import { readEqlFile } from './eql-file-reader.js';
import type { LoadedRule } from './loaded-rule.js';
import type { ReadResult } from './read-result.js';
import { formatDiagnostic } from './rule-diagnostic.js';
import type { RuleEntry } from './rule-entry.js';
import { isDeprecatedPath, listRuleFiles, readRuleFile } from './rule-files.js';
import { targetsOs } from './os-list.js';
import { readTomlRule } from './toml-rule-reader.js';

export interface LoadOptions {
  /** The host OS. With `skipOtherOs` (the default), rules that declare other systems only are skipped. */
  readonly os?: OsType;
  readonly skipOtherOs?: boolean;
  readonly compile?: Partial<CompileOptions>;
  /** Receives one `file:line:column: CODE message` line per error diagnostic, as it happens. */
  readonly log?: (line: string) => void;
  /** Cap on the number of files walked (default 100000). */
  readonly maxFiles?: number;
}

export interface LoadResult {
  readonly rules: LoadedRule[];
  readonly skipped: RuleEntry[];
  readonly errors: RuleEntry[];
  /** Every file's entry, in load order. */
  readonly entries: RuleEntry[];
  /** True when `maxFiles` cut the walk short. */
  readonly truncated: boolean;
}

type FileReader = (file: string, text: string, deprecatedPath: boolean) => ReadResult;
const READERS: Readonly<Record<string, FileReader>> = { '.toml': readTomlRule, '.eql': readEqlFile };

/** Reads and compiles one rule file. Never throws. */
export function loadRuleFile(file: string, options: LoadOptions = {}): RuleEntry {
  const reader = READERS[extname(file).toLowerCase()];
  const error = (code: string, message: string): RuleEntry => ({
    file,
    format: null,
    name: '',
    id: '',
    status: 'error',
    diagnostics: [{ code, message, file, line: 1, column: 1 }],
  });
  if (reader === undefined) return error('RULE_UNKNOWN_FORMAT', `unsupported rule file extension "${extname(file)}" (expected .toml or .eql)`);
  let text: string;
  try {
    text = readRuleFile(file);
  } catch (err) {
    return error('RULE_READ_ERROR', err instanceof Error ? err.message : String(err));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const read = reader(file, text, isDeprecatedPath(file));
  const base = { file, format: read.format };
  if (read.kind === 'skipped') return { ...base, name: read.name, id: read.id, status: 'skipped', diagnostics: [], reason: read.reason };
  if (read.kind === 'error') return { ...base, name: read.name, id: read.id, status: 'error', diagnostics: read.diagnostics };
  const { meta } = read;
  if (options.os !== undefined && options.skipOtherOs !== false && !targetsOs(meta.osList, options.os)) {
    const reason = { code: 'SKIP_OTHER_OS' as const, message: `rule targets ${meta.osList!.join(', ')}, not ${options.os}` };
    return { ...base, name: meta.name, id: meta.id, status: 'skipped', diagnostics: [], reason };
  }
  const compiled = compileRule(read, options.compile);
  if (!compiled.ok) return { ...base, name: meta.name, id: meta.id, status: 'error', diagnostics: compiled.diagnostics };
  return { ...base, name: meta.name, id: meta.id, status: 'ok', diagnostics: [], rule: compiled.rule };
}

/**
 * Loads every rule under `paths` (files or directories, recursively). A bad rule never stops the others:
 * it becomes an `error` entry with positioned diagnostics. Rule ids are unique: a later duplicate is an error.
 */
export function loadRules(paths: readonly string[], options: LoadOptions = {}): LoadResult {
  const listing = listRuleFiles(paths, options.maxFiles);
  const entries: RuleEntry[] = listing.unreadable.map((u) => ({
    file: u.path,
    format: null,
    name: '',
    id: '',
    status: 'error' as const,
    diagnostics: [{ code: 'RULE_READ_ERROR', message: u.message, file: u.path, line: 1, column: 1 }],
  }));
  for (const s of listing.skipped) {
    entries.push({ file: s.path, format: null, name: '', id: '', status: 'skipped', diagnostics: [], reason: s.reason });
    options.log?.(`${s.path}: ${s.reason.code} ${s.reason.message}`);
  }
  const seen = new Map<string, string>();
  for (const file of listing.files) {
    let entry = loadRuleFile(file, options);
    if (entry.status === 'ok') {
      const first = seen.get(entry.id);
      if (first !== undefined) {
        const at = entry.rule!.source;
        entry = {
          ...entry,
          status: 'error',
          rule: undefined,
          diagnostics: [{ code: 'RULE_DUPLICATE_ID', message: `rule id "${entry.id}" already loaded from ${first}`, file, line: at.queryLine, column: at.queryColumn }],
        };
      } else {
        seen.set(entry.id, file);
      }
    }
    entries.push(entry);
  }
  if (options.log) for (const e of entries) for (const d of e.diagnostics) options.log(formatDiagnostic(d));
  return {
    rules: entries.flatMap((e) => (e.rule ? [e.rule] : [])),
    skipped: entries.filter((e) => e.status === 'skipped'),
    errors: entries.filter((e) => e.status === 'error'),
    entries,
    truncated: listing.truncated,
  };
}
