import { spawnSync } from 'node:child_process';
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const MINGW_CC = 'x86_64-w64-mingw32-gcc';

/** Where the packaged wrapper lives (windows-plan.ts points sc.exe at it): dist/src/service/vigil-service.exe. */
export function windowsWrapperOutput(packageRoot: string): string {
  return join(packageRoot, 'dist', 'src', 'service', 'vigil-service.exe');
}

export interface WrapperBuild {
  readonly ok: boolean;
  /** Why it was not built (no cross compiler, compile error). */
  readonly reason: string | null;
  readonly command: readonly string[];
}

/**
 * Cross-compiles config/windows/vigil-service.c (the SCM wrapper that runs node as a service) with mingw-w64:
 * static, warnings as errors. Returns a reason instead of throwing when the compiler is absent.
 */
export function buildWindowsServiceWrapper(packageRoot: string, out: string = windowsWrapperOutput(packageRoot)): WrapperBuild {
  const source = join(packageRoot, 'config', 'windows', 'vigil-service.c');
  const command = [MINGW_CC, '-municode', '-O2', '-Wall', '-Wextra', '-Werror', '-static', '-s', '-o', out, source, '-ladvapi32'];
  if (spawnSync(MINGW_CC, ['--version'], { stdio: 'ignore' }).status !== 0) {
    return { ok: false, reason: `${MINGW_CC} not found (Debian: apt install g++-mingw-w64-x86-64-posix)`, command };
  }
  mkdirSync(dirname(out), { recursive: true });
  const r = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) return { ok: false, reason: `${MINGW_CC} failed: ${(r.stderr || r.error?.message || '').trim()}`, command };
  return { ok: true, reason: null, command };
}

// `node dist/src/service/windows-wrapper-build.js` builds the packaged wrapper (exit 0 with a note when mingw is absent).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const result = buildWindowsServiceWrapper(root);
  process.stdout.write(result.ok ? `built ${windowsWrapperOutput(root)}\n` : `vigil-service.exe not built: ${result.reason}\n`);
}
