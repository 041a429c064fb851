import { isAbsolute, join, resolve } from 'node:path';

/**
 * Where a target-system path lands: itself on the live system, or under the staging root (`--root DIR`).
 * Windows paths map drive letters to a directory: `C:\ProgramData\Vigil` -> `DIR/C/ProgramData/Vigil`.
 */
export function stagedPath(root: string | null, targetPath: string): string {
  if (root === null) return targetPath;
  const drive = /^([A-Za-z]):[\\/](.*)$/.exec(targetPath);
  if (drive !== null) return join(resolve(root), drive[1]!.toUpperCase(), ...drive[2]!.split(/[\\/]+/).filter((s) => s !== ''));
  if (!isAbsolute(targetPath)) throw new Error(`not an absolute path: ${targetPath}`);
  return join(resolve(root), targetPath);
}
