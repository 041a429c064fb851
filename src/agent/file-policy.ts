import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import type { LoadedRule } from '../rules/loaded-rule.js';
import { ruleOpenNeeds } from '../rules/sensitive-open-patterns.js';
import { parseSensitiveList, SensitiveFilePolicy, type SensitivePattern } from '../sensitive-file-policy.js';
import type { FilesConfig } from './agent-config.js';

/** The bundled sensitive-path list. */
export const BUNDLED_SENSITIVE_LIST = join(packageRoot, 'config', 'sensitive-files.txt');

export interface FilePolicyBuild {
  readonly policy: SensitiveFilePolicy;
  /** Rules whose opens the policy cannot fully feed (unbounded stages or patterns too broad for the kernel). */
  readonly partial: ReadonlyArray<{ readonly rule: string; readonly why: string }>;
  readonly errors: readonly string[];
}

/** The sensitive-open policy: the bundled list, `[collector.files] sensitive`, and the loaded rules' needs. */
export function buildFilePolicy(rules: readonly LoadedRule[], files: FilesConfig, listFile = BUNDLED_SENSITIVE_LIST): FilePolicyBuild {
  const errors: string[] = [];
  const patterns: SensitivePattern[] = [];
  try {
    const bundled = parseSensitiveList(readFileSync(listFile, 'utf8'), 'default');
    patterns.push(...bundled.patterns);
    errors.push(...bundled.errors);
  } catch (err) {
    errors.push(`${listFile}: ${(err as Error).message}`);
  }
  const configured = parseSensitiveList(files.sensitive.join('\n'), 'config');
  patterns.push(...configured.patterns);
  errors.push(...configured.errors);
  const partial: Array<{ rule: string; why: string }> = [];
  for (const rule of rules) {
    const needs = ruleOpenNeeds(rule);
    if (needs.openStages === 0) continue;
    patterns.push(...needs.patterns);
    if (needs.unboundedStages > 0) partial.push({ rule: rule.meta.name, why: 'a stage names no file path, name or extension' });
    if (needs.broad.length > 0) partial.push({ rule: rule.meta.name, why: `too broad for the kernel filter: ${needs.broad.map((p) => p.value).join(', ')}` });
  }
  return { policy: new SensitiveFilePolicy(patterns), partial, errors };
}
