/**
 * Splits a Windows command line into argv the way the C runtime does (UCRT / msvcrt since 2008, and
 * CommandLineToArgvW for the program name):
 * - argv[0] runs to the first space/tab, or, when it starts with `"`, to the next `"` (no escapes in it);
 * - then, per argument: 2n backslashes + `"` give n backslashes and toggle quoting; 2n+1 backslashes + `"` give
 *   n backslashes and a literal `"`; backslashes before anything else are literal; inside quotes `""` is a
 *   literal `"`; unquoted spaces and tabs separate arguments.
 * Windows has no argv in the kernel: this is what the program itself will see, and what `process.args` holds.
 */
export function splitWindowsCommandLine(line: string): string[] {
  const args: string[] = [];
  const n = line.length;
  let i = 0;
  const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';

  // argv[0]
  while (i < n && isSpace(line[i])) i++;
  if (i >= n) return args;
  if (line[i] === '"') {
    const end = line.indexOf('"', i + 1);
    args.push(end < 0 ? line.slice(i + 1) : line.slice(i + 1, end));
    i = end < 0 ? n : end + 1;
  } else {
    let j = i;
    while (j < n && !isSpace(line[j])) j++;
    args.push(line.slice(i, j));
    i = j;
  }

  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) break;
    let arg = '';
    let quoted = false;
    while (i < n) {
      const c = line[i]!;
      if (c === '\\') {
        let slashes = 0;
        while (i < n && line[i] === '\\') {
          slashes++;
          i++;
        }
        if (line[i] === '"') {
          arg += '\\'.repeat(slashes >> 1);
          if (slashes % 2 === 1) {
            arg += '"';
            i++;
          }
          // an even count leaves the quote for the next turn, where it toggles quoting
        } else {
          arg += '\\'.repeat(slashes);
        }
        continue;
      }
      if (c === '"') {
        if (quoted && line[i + 1] === '"') {
          arg += '"';
          i += 2;
          continue;
        }
        quoted = !quoted;
        i++;
        continue;
      }
      if (!quoted && isSpace(c)) break;
      arg += c;
      i++;
    }
    args.push(arg);
  }
  return args;
}
