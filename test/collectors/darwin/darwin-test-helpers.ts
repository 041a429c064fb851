import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineSplitter } from '../../../src/collectors/darwin/line-splitter.js';

/** The project root: compiled tests run from dist/test/collectors/darwin/. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'darwin');

/** A fixture's lines, split and decoded exactly as the collector does with eslogger's stdout. */
export function fixtureLines(name: string): string[] {
  const s = new LineSplitter();
  return [...s.push(readFileSync(join(FIXTURES, name))), ...s.end()];
}

/** Epoch seconds of an ISO time (test-side arithmetic, independent of the parser's). */
export function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}
