import type { ReadResult } from './read-result.js';
import { osFromTags } from './os-list.js';
import { tomlRuleMeta } from './toml-rule-meta.js';
import type { TomlSource } from './toml-source.js';
import { asString, asStringList, asTable, asTableList, toPlainJson, type TomlTableLike } from './toml-values.js';

/**
 * Elastic detection-rules TOML: `[metadata]` (maturity, dates) and `[rule]` (name, rule_id, type, language,
 * query, severity, risk_score, tags, `[[rule.threat]]`). Only `type = "eql"` rules run; other types and
 * deprecated rules are skipped with a reason; unrelated blocks (`[[transform.osquery]]`, ...) are ignored.
 */
export function readDetectionRule(doc: TomlTableLike, src: TomlSource, deprecatedPath: boolean): ReadResult {
  const rule = asTable(doc['rule']) ?? {};
  const metadata = asTable(doc['metadata']) ?? {};
  const name = asString(rule['name']) ?? '';
  const id = asString(rule['rule_id']) ?? '';
  const base = { format: 'detection-rules' as const, name, id };

  if (deprecatedPath || asString(metadata['maturity']) === 'deprecated') {
    return { kind: 'skipped', ...base, reason: { code: 'SKIP_DEPRECATED', message: 'deprecated rule' } };
  }
  const type = asString(rule['type']);
  if (type !== undefined && type !== 'eql') {
    return { kind: 'skipped', ...base, reason: { code: 'SKIP_RULE_TYPE', message: `rule type "${type}" is not run (only "eql" rules run)` } };
  }
  const language = asString(rule['language']);
  if (language !== undefined && language !== 'eql') {
    return { kind: 'skipped', ...base, reason: { code: 'SKIP_LANGUAGE', message: `query language "${language}" is not run (only "eql")` } };
  }

  const at = src.tablePosition('rule');
  const missing = (['name', 'rule_id', 'query'] as const).filter((k) => asString(rule[k]) === undefined);
  if (missing.length > 0 || type === undefined) {
    const keys = type === undefined ? [...missing, 'type'] : missing;
    return {
      kind: 'error',
      ...base,
      diagnostics: [src.diagnostic('RULE_MISSING_FIELD', `[rule] lacks string key(s): ${keys.join(', ')}`, at)],
    };
  }
  const query = asString(rule['query'])!;
  const tags = asStringList(rule['tags']) ?? [];
  const meta = tomlRuleMeta(rule, src.file, { id, name, tags, threat: asTableList(rule['threat']).map(toPlainJson), osList: osFromTags(tags) });
  return { kind: 'rule', format: 'detection-rules', meta, query, position: src.queryPositions([['rule', 'query']], query, 'rule') };
}
