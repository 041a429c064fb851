import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding package.json (works from src/ under tsx and from dist/src/ when built). */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('vigil: cannot find package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

export const packageRoot: string = findPackageRoot();
