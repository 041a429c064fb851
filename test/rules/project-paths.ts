import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: compiled tests run from dist/test/rules/. */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const bundledRulesDir = join(projectRoot, 'config', 'rules');
export const fixturesDir = join(projectRoot, 'test', 'fixtures', 'rules');
export const sharedDir = join(projectRoot, '..', 'shared');
export const cliPath = join(projectRoot, 'dist', 'src', 'cli', 'main.js');

/** A reason to skip when ../shared is absent, else false. */
export function sharedMissing(sub: string): string | false {
  return existsSync(join(sharedDir, sub)) ? false : `${join(sharedDir, sub)} is absent`;
}
