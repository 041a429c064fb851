import { readdirSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';

/** The file extensions the loader reads when walking a directory. */
export const RULE_FILE_EXTENSIONS = ['.toml', '.eql'] as const;

export interface RuleFileList {
  /** Files in a stable order: each path's files sorted, paths in the order given. */
  readonly files: string[];
  /** Paths that could not be read (missing, permission), with the reason. */
  readonly unreadable: Array<{ path: string; message: string }>;
  /** True when `maxFiles` cut the walk short. */
  readonly truncated: boolean;
}

/**
 * Lists rule files under `paths` (files or directories, recursively; hidden directories skipped). A file
 * named explicitly is listed whatever its extension (the loader then says if it cannot read it).
 */
export function listRuleFiles(paths: readonly string[], maxFiles = 100_000): RuleFileList {
  const files: string[] = [];
  const unreadable: Array<{ path: string; message: string }> = [];
  let truncated = false;
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (err) {
      unreadable.push({ path: dir, message: err instanceof Error ? err.message : String(err) });
      return;
    }
    for (const name of names) {
      if (files.length >= maxFiles) {
        truncated = true;
        return;
      }
      if (name.startsWith('.') || name === 'node_modules') continue;
      const path = join(dir, name);
      let isDir: boolean;
      try {
        isDir = statSync(path).isDirectory();
      } catch (err) {
        unreadable.push({ path, message: err instanceof Error ? err.message : String(err) });
        continue;
      }
      if (isDir) walk(path);
      else if ((RULE_FILE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase())) files.push(path);
    }
  };
  for (const p of paths) {
    try {
      if (statSync(p).isDirectory()) walk(p);
      else if (files.length < maxFiles) files.push(p);
      else truncated = true;
    } catch (err) {
      unreadable.push({ path: p, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return { files, unreadable, truncated };
}

/** A rule file under a `_deprecated` directory (detection-rules keeps retired rules there). */
export function isDeprecatedPath(file: string): boolean {
  return file.split(sep).includes('_deprecated') || file.split('/').includes('_deprecated');
}
