import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Imports point one way (STYLE.md): collectors -> normalize -> ecs <- eql / sequence / rules <- alerts <- notify;
 * agent, service and cli sit on top, and nothing below imports them. Files directly under src/ (package-root)
 * are leaves anyone may use. Each row: a folder and the folders it may import.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  ecs: [],
  eql: ['ecs'],
  sequence: ['ecs', 'eql'],
  rules: ['ecs', 'eql'],
  collectors: [],
  normalize: ['collectors', 'ecs'],
  alerts: ['ecs', 'eql', 'rules', 'sequence'],
  notify: ['alerts', 'ecs'],
  journal: ['alerts', 'ecs'],
  agent: ['alerts', 'collectors', 'ecs', 'eql', 'journal', 'normalize', 'notify', 'rules', 'sequence'],
  // The service layer reads the agent's status-file contract, nothing else of the agent.
  service: ['agent/status-file', 'alerts', 'collectors', 'ecs', 'eql', 'normalize', 'notify', 'rules', 'sequence'],
  cli: ['agent', 'alerts', 'collectors', 'ecs', 'eql', 'journal', 'normalize', 'notify', 'rules', 'sequence', 'service'],
};

const src = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

test('every src folder is in the import table', () => {
  const folders = readdirSync(src).filter((n) => statSync(join(src, n)).isDirectory());
  assert.deepEqual(folders.filter((f) => !(f in ALLOWED)), []);
});

test('imports point one way between src folders', () => {
  const violations: string[] = [];
  for (const file of sources(src)) {
    const from = relative(src, file).split(sep);
    if (from.length === 1) continue; // a leaf file under src/
    const folder = from[0]!;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = relative(src, resolve(dirname(file), m[1]!)).split(sep);
      if (target.length === 1 || target[0] === folder) continue;
      const to = target[0]!;
      const toPath = target.join('/').replace(/\.js$/, '');
      const ok = ALLOWED[folder]!.some((a) => a === to || a === toPath);
      if (!ok) violations.push(`${relative(src, file)} imports ${m[1]}`);
    }
  }
  assert.deepEqual(violations, []);
});
