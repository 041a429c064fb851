import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EtwAddonError } from './etw-addon-error.js';
import type { EtwAddon } from './etw-record.js';

/** The record shape this JS side understands (native/win32/src/addon.cc exports the same `abiVersion`). */
export const ETW_ADDON_ABI_VERSION = 1;

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** Where the addon is looked for: the cross build's output, then node-gyp's (a build on Windows). */
export function defaultEtwAddonPaths(root: string = packageRoot()): string[] {
  return [join(root, 'native', 'win32', 'build', 'vigil_etw.node'), join(root, 'native', 'win32', 'build', 'Release', 'vigil_etw.node')];
}

export interface LoadEtwAddonOptions {
  /** An explicit addon file; default: the first of defaultEtwAddonPaths() that exists. */
  readonly path?: string;
  /** Node's platform name (tests pass another one to see the refusal). */
  readonly platform?: NodeJS.Platform;
}

/** The addon file that would be loaded, or null when none is built. */
export function findEtwAddon(path?: string): string | null {
  if (path !== undefined) return existsSync(path) ? path : null;
  return defaultEtwAddonPaths().find((p) => existsSync(p)) ?? null;
}

/**
 * Loads the ETW addon. Throws EtwAddonError: ETW_NOT_WINDOWS anywhere but Windows (the addon is a Windows DLL),
 * ETW_NOT_BUILT when no build exists, ETW_LOAD_FAILED when Windows refuses the DLL, ETW_ABI_MISMATCH when the
 * build is older or newer than this JS.
 */
export function loadEtwAddon(options: LoadEtwAddonOptions = {}): EtwAddon {
  const platform = options.platform ?? process.platform;
  if (platform !== 'win32') {
    throw new EtwAddonError('ETW_NOT_WINDOWS', `the ETW collector runs on Windows only (this is ${platform})`);
  }
  const path = findEtwAddon(options.path);
  if (path === null) {
    const where = options.path ?? defaultEtwAddonPaths().join(' or ');
    throw new EtwAddonError('ETW_NOT_BUILT', `no ETW addon at ${where}: run \`npx node-gyp rebuild -C native/win32\` (or cross-build with \`npm run build:win32\`)`);
  }
  let addon: EtwAddon;
  try {
    addon = createRequire(import.meta.url)(path) as EtwAddon;
  } catch (err) {
    throw new EtwAddonError('ETW_LOAD_FAILED', `cannot load ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (addon.abiVersion !== ETW_ADDON_ABI_VERSION) {
    throw new EtwAddonError('ETW_ABI_MISMATCH', `${path} has record ABI ${String(addon.abiVersion)}, this Vigil expects ${ETW_ADDON_ABI_VERSION}: rebuild it`);
  }
  return addon;
}
