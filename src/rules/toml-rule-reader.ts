import { parse, TomlError } from 'smol-toml';
import { readDetectionRule } from './detection-rule-reader.js';
import { readProtectionsArtifact } from './protections-artifact-reader.js';
import type { ReadResult } from './read-result.js';
import type { RuleFormat } from './rule-format.js';
import { TomlSource } from './toml-source.js';
import { asString, asTable, type TomlTableLike } from './toml-values.js';

type TomlFormat = Exclude<RuleFormat, 'eql'>;
type TomlReader = (doc: TomlTableLike, src: TomlSource, deprecatedPath: boolean) => ReadResult;

const READERS: Readonly<Record<TomlFormat, TomlReader>> = {
  'detection-rules': readDetectionRule,
  'protections-artifacts': readProtectionsArtifact,
};

/** detection-rules files have `[metadata]` and `rule.rule_id`; protections-artifacts have `rule.id`. */
function detectFormat(doc: TomlTableLike): TomlFormat | null {
  const rule = asTable(doc['rule']);
  if (asTable(doc['metadata']) !== undefined || asString(rule?.['rule_id']) !== undefined) return 'detection-rules';
  if (rule !== undefined && (asString(rule['id']) !== undefined || rule['os_list'] !== undefined)) return 'protections-artifacts';
  return null;
}

/** Reads one TOML rule file; a syntax error is a diagnostic at the parser's position. */
export function readTomlRule(file: string, text: string, deprecatedPath: boolean): ReadResult {
  const src = new TomlSource(file, text);
  let doc: TomlTableLike;
  try {
    doc = parse(text) as TomlTableLike;
  } catch (err) {
    const pos = err instanceof TomlError ? { line: err.line, column: err.column } : { line: 1, column: 1 };
    const message = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
    return { kind: 'error', format: null, name: '', id: '', diagnostics: [src.diagnostic('RULE_TOML_SYNTAX', message, pos)] };
  }
  const format = detectFormat(doc);
  if (format === null) {
    return {
      kind: 'error',
      format: null,
      name: '',
      id: '',
      diagnostics: [
        src.diagnostic('RULE_UNKNOWN_FORMAT', 'not a rule: expected [metadata] + [rule] with rule_id (detection-rules) or [rule] with id (protections-artifacts)', { line: 1, column: 1 }),
      ],
    };
  }
  return READERS[format](doc, src, deprecatedPath);
}
