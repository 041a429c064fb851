import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { CONFORMANCE_DIR, loadSpecs, projectRoot } from '../conformance/eql-conformance-harness.js';

export const RULE_CORPUS_DIR = join(projectRoot(), '..', 'shared', 'rule-corpus');

function tomlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tomlFiles(p));
    else if (name.endsWith('.toml')) out.push(p);
  }
  return out;
}

/** EQL queries of the shared rule corpus (detection-rules TOML, `language = "eql"`). */
export function corpusQueries(): string[] {
  if (!existsSync(RULE_CORPUS_DIR)) return [];
  const out: string[] = [];
  for (const file of tomlFiles(RULE_CORPUS_DIR)) {
    let doc: { rule?: { language?: string; query?: string; type?: string } };
    try {
      doc = parseToml(readFileSync(file, 'utf8')) as typeof doc;
    } catch {
      continue;
    }
    if (doc.rule?.language === 'eql' && typeof doc.rule.query === 'string') out.push(doc.rule.query);
  }
  return out;
}

/** Queries of the conformance specs (empty when ../shared is absent). */
export function specQueries(): string[] {
  return existsSync(CONFORMANCE_DIR) ? loadSpecs().map((s) => s.query) : [];
}
