/** The last component of a Windows path (`\` or `/` separated): `C:\Windows\System32\cmd.exe` -> `cmd.exe`. */
export function windowsBaseName(path: string): string {
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return i >= 0 ? path.slice(i + 1) : path;
}

/**
 * A Win32 path from what ETW reports: `\??\C:\x` -> `C:\x`; `\SystemRoot\x` -> `C:\Windows\x` (the usual
 * system root; the addon resolves the real one when it runs); `\Device\HarddiskVolumeN\...` cannot be mapped
 * without the live drive table and is returned unchanged.
 */
export function win32PathFromNt(path: string, systemRoot = 'C:\\Windows'): string {
  if (/^\\\?\?\\[A-Za-z]:\\/.test(path)) return path.slice(4);
  if (/^\\SystemRoot\\/i.test(path)) return systemRoot + path.slice('\\SystemRoot'.length);
  return path;
}
