import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cliPath } from '../helpers/agent-process.js';

const vigil = (...args: string[]) => spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', input: '' });

const rows: Array<[string, string[], number, RegExp | null]> = [
  ['help', ['--help'], 0, /Usage: vigil/],
  ['version', ['--version'], 0, /^\d+\.\d+\.\d+/],
  ['help of one command', ['help', 'hunt'], 0, /Usage: vigil hunt/],
  // usage errors: exit 2, with the reason on stderr
  ['unknown command', ['bogus'], 2, /unknown command 'bogus'/],
  ['unknown option', ['run', '--bogus'], 2, /unknown option '--bogus'/],
  ['missing argument', ['hunt'], 2, /missing required argument 'query'/],
  ['bad query', ['hunt', 'process where ='], 2, /EQL_SYNTAX/],
];

for (const [name, args, code, pattern] of rows) {
  test(`vigil ${args.join(' ')}: ${name} exits ${code}`, () => {
    const r = vigil(...args);
    assert.equal(r.status, code, r.stderr);
    if (pattern !== null) assert.match(code === 0 ? r.stdout : r.stderr, pattern);
  });
}
