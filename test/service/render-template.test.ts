import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTemplate } from '../../src/service/render-template.js';
import { ServiceError } from '../../src/service/service-error.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

test('renderTemplate substitutes every placeholder', () => {
  assert.equal(renderTemplate('a={{a}} b={{b}} a={{a}}', { a: '1', b: '2' }), 'a=1 b=2 a=1');
});

test('a placeholder without a value is an error with its line and column', () => {
  assert.throws(
    () => renderTemplate('line one\n  x={{missing}}\n', {}, 'unit.in'),
    (err: unknown) => err instanceof ServiceError && err.code === 'SVC_TEMPLATE_UNKNOWN_VAR' && err.where?.line === 2 && err.where.column === 5 && /unit\.in:2:5/.test(err.message),
  );
});

test('every template in config/ uses only the placeholders the planners fill', () => {
  // launchd plists are built by the plist library (launchd-plan.ts), not from templates.
  const known = new Set(['docs', 'execStart', 'exec', 'taskName', 'command', 'arguments']);
  let count = 0;
  for (const dir of ['systemd', 'windows']) {
    for (const name of readdirSync(join(root, 'config', dir)).filter((n) => n.endsWith('.in'))) {
      const text = readFileSync(join(root, 'config', dir, name), 'utf8');
      for (const m of text.matchAll(/\{\{(\w+)\}\}/g)) assert.ok(known.has(m[1]!), `${dir}/${name}: unknown placeholder ${m[1]}`);
      count++;
    }
  }
  assert.equal(count, 4);
});
