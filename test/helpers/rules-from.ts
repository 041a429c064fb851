import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleSet } from '../../src/rules/rule-set.js';

/** A Linux rule set of the given EQL queries, one `.eql` file each (written to a temporary folder, removed after). */
export function rulesFrom(queries: readonly string[]): RuleSet {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
  try {
    queries.forEach((q, i) => writeFileSync(join(dir, `r${i}.eql`), `${q}\n`));
    return RuleSet.load([dir], { os: 'linux' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
