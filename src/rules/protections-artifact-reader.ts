import type { ReadResult } from './read-result.js';
import { normalizeOs } from './os-list.js';
import { tomlRuleMeta } from './toml-rule-meta.js';
import type { TomlSource } from './toml-source.js';
import { asString, asStringList, asTable, asTableList, toPlainJson, type TomlTableLike } from './toml-values.js';

/**
 * Elastic protections-artifacts TOML (endpoint behavior rules): `[rule]` with id, name, os_list, query,
 * version; `[[actions]]` / `[[optional_actions]]` inside `[rule]` or at the top level; `[[threat]]`.
 */
export function readProtectionsArtifact(doc: TomlTableLike, src: TomlSource, deprecatedPath: boolean): ReadResult {
  const rule = asTable(doc['rule']) ?? {};
  const name = asString(rule['name']) ?? '';
  const id = asString(rule['id']) ?? '';
  const base = { format: 'protections-artifacts' as const, name, id };
  if (deprecatedPath || asString(rule['maturity']) === 'deprecated') {
    return { kind: 'skipped', ...base, reason: { code: 'SKIP_DEPRECATED', message: 'deprecated rule' } };
  }
  const missing = (['id', 'name', 'query'] as const).filter((k) => asString(rule[k]) === undefined);
  if (missing.length > 0) {
    return {
      kind: 'error',
      ...base,
      diagnostics: [src.diagnostic('RULE_MISSING_FIELD', `[rule] lacks string key(s): ${missing.join(', ')}`, src.tablePosition('rule'))],
    };
  }
  const query = asString(rule['query'])!;
  const osNames = asStringList(rule['os_list']) ?? [];
  const osList = [...new Set(osNames.map(normalizeOs).filter((o) => o !== null))];
  const actions = [
    ...asTableList(rule['actions']),
    ...asTableList(doc['actions']),
    ...[...asTableList(rule['optional_actions']), ...asTableList(doc['optional_actions'])].map((a) => ({ ...a, optional: true })),
  ].map(toPlainJson);
  const threat = [...asTableList(doc['threat']), ...asTableList(rule['threat'])].map(toPlainJson);
  const meta = tomlRuleMeta(rule, src.file, { id, name, tags: asStringList(rule['tags']) ?? [], threat, osList, actions });
  return { kind: 'rule', format: 'protections-artifacts', meta, query, position: src.queryPositions([['rule', 'query']], query, 'rule') };
}
