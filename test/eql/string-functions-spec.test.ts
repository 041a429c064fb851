import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { compileExpression, EqlError } from '../../src/eql/index.js';
import { CONFORMANCE_DIR } from '../conformance/eql-conformance-harness.js';

// The fold and verifier cases of Elasticsearch's test_string_functions.toml, as unit tests of the functions.
const file = join(CONFORMANCE_DIR, 'test_string_functions.toml');

interface Case {
  readonly expression: string;
  readonly expected?: unknown;
}
type Section = { fold?: { tests?: Case[] }; tests?: Case[]; verifier?: { failures?: Case[] } };

if (!existsSync(file)) {
  test('test_string_functions.toml', { skip: `${file} is absent (../shared not checked out)` }, () => {});
} else {
  const doc = parseToml(readFileSync(file, 'utf8')) as unknown as Record<string, Section>;
  let folds = 0;
  let failures = 0;
  for (const [section, body] of Object.entries(doc)) {
    const cases = [...(body.fold?.tests ?? []), ...(body.tests ?? [])];
    cases.forEach((c, i) => {
      folds++;
      test(`fold ${section}[${i}]: ${c.expression}`, () => {
        const value = compileExpression(c.expression)({});
        const expected = c.expected === undefined ? null : typeof c.expected === 'bigint' ? Number(c.expected) : c.expected;
        assert.deepEqual(value ?? null, expected);
      });
    });
    (body.verifier?.failures ?? []).forEach((c, i) => {
      failures++;
      test(`verifier ${section}[${i}] rejects: ${c.expression}`, () => {
        assert.throws(() => compileExpression(c.expression), (err: unknown) => {
          assert.ok(err instanceof EqlError);
          assert.ok(err.line >= 1 && err.column >= 1);
          return true;
        });
      });
    });
  }
  test('the spec file has fold and verifier cases', () => {
    assert.ok(folds >= 90, `only ${folds} fold cases`);
    assert.ok(failures >= 8, `only ${failures} verifier cases`);
  });
}
