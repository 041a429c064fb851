/**
 * Quoting for the places Vigil writes command lines: systemd `ExecStart=`, XDG desktop `Exec=`, XML text, and
 * Windows command lines (CommandLineToArgvW rules).
 */

const SYSTEMD_PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One ExecStart= argument: `%` specifiers and `$` expansion escaped; quoted when it holds anything else. */
export function systemdArg(arg: string): string {
  const escaped = arg.replaceAll('%', '%%').replaceAll('$', '$$$$');
  if (SYSTEMD_PLAIN.test(arg)) return escaped;
  return '"' + escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"') + '"';
}

export function systemdCommand(argv: readonly string[]): string {
  return argv.map(systemdArg).join(' ');
}

/** One desktop-entry Exec= argument (Desktop Entry Specification, "The Exec key"). */
export function desktopArg(arg: string): string {
  const escaped = arg.replaceAll('%', '%%');
  if (SYSTEMD_PLAIN.test(arg)) return escaped;
  // Inside quotes, ", `, $ and \ take a backslash; the string value is then escaped once more (\ -> \\).
  const quoted = '"' + escaped.replace(/(["`$\\])/g, '\\$1') + '"';
  return quoted.replaceAll('\\', '\\\\');
}

export function desktopCommand(argv: readonly string[]): string {
  return argv.map(desktopArg).join(' ');
}

export function xmlEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;');
}

/** One Windows command-line argument as CommandLineToArgvW / the MSVC runtime parse it back. */
export function windowsArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    if (ch === '"') out += '\\'.repeat(backslashes * 2 + 1) + '"';
    else out += '\\'.repeat(backslashes) + ch;
    backslashes = 0;
  }
  return out + '\\'.repeat(backslashes * 2) + '"';
}

export function windowsCommand(argv: readonly string[]): string {
  return argv.map(windowsArg).join(' ');
}
