import type { RuleMeta } from './rule-meta.js';
import { defaultRiskScore } from './severity.js';
import { asNumber, asString, type TomlTableLike } from './toml-values.js';

/** What differs between the two TOML formats; severity, risk score, description and version read the same. */
export interface TomlMetaParts {
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
  readonly threat: readonly unknown[];
  readonly osList?: readonly string[] | undefined;
  readonly actions?: readonly unknown[] | undefined;
}

/** RuleMeta from a `[rule]` table: severity defaults to medium, risk score to the severity's. */
export function tomlRuleMeta(rule: TomlTableLike, file: string, parts: TomlMetaParts): RuleMeta {
  const severity = (asString(rule['severity']) ?? 'medium').toLowerCase();
  const version = asString(rule['version']) ?? asNumber(rule['version']);
  const description = asString(rule['description']);
  return {
    id: parts.id,
    name: parts.name,
    severity,
    riskScore: asNumber(rule['risk_score']) ?? defaultRiskScore(severity),
    tags: parts.tags,
    threat: parts.threat,
    file,
    ...(description !== undefined ? { description: description.trim() } : {}),
    ...(version !== undefined ? { version: String(version) } : {}),
    ...(parts.osList !== undefined && parts.osList.length > 0 ? { osList: parts.osList } : {}),
    ...(parts.actions !== undefined && parts.actions.length > 0 ? { actions: parts.actions } : {}),
  };
}
