import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desktopArg, systemdArg, windowsArg, windowsCommand, xmlEscape } from '../../src/service/command-quote.js';

/** CommandLineToArgvW's rules (2n backslashes + quote = n backslashes + toggle; 2n+1 = n + literal quote). */
function parseWindows(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    if (i >= line.length) break;
    let arg = '';
    let quoted = false;
    for (; i < line.length; i++) {
      const ch = line[i]!;
      if (ch === '\\') {
        let n = 0;
        while (line[i] === '\\') {
          n++;
          i++;
        }
        if (line[i] === '"') {
          arg += '\\'.repeat(Math.floor(n / 2));
          if (n % 2 === 1) arg += '"';
          else quoted = !quoted;
        } else {
          arg += '\\'.repeat(n);
          i--;
        }
      } else if (ch === '"') quoted = !quoted;
      else if (ch === ' ' && !quoted) break;
      else arg += ch;
    }
    out.push(arg);
  }
  return out;
}

const systemdRows: Array<[string, string]> = [
  ['/usr/bin/node', '/usr/bin/node'],
  ['--config', '--config'],
  ['/opt/my app/main.js', '"/opt/my app/main.js"'],
  ['50%', '50%%'],
  ['$HOME', '"$$HOME"'],
  ['a"b', '"a\\"b"'],
  ['back\\slash', '"back\\\\slash"'],
];
for (const [arg, expected] of systemdRows) {
  test(`systemdArg ${JSON.stringify(arg)}`, () => assert.equal(systemdArg(arg), expected));
}

const desktopRows: Array<[string, string]> = [
  ['/usr/bin/node', '/usr/bin/node'],
  ['/opt/my app/x', '"/opt/my app/x"'],
  ['100%', '100%%'],
  ['a$b c', '"a\\\\$b c"'],
  ['a\\b c', '"a\\\\\\\\b c"'],
];
for (const [arg, expected] of desktopRows) {
  test(`desktopArg ${JSON.stringify(arg)}`, () => assert.equal(desktopArg(arg), expected));
}

const windowsRows: string[][] = [
  ['C:\\Program Files\\nodejs\\node.exe', 'C:\\Vigil\\main.js', 'run'],
  ['a b', 'c"d', 'trailing\\', 'trailing space\\', ''],
  ['"quoted"', '\\\\server\\share\\x y', 'x\\"y'],
];
for (const argv of windowsRows) {
  test(`windowsCommand round-trips ${JSON.stringify(argv)}`, () => assert.deepEqual(parseWindows(windowsCommand(argv)), argv));
}

test('windowsArg leaves plain arguments alone and quotes the rest', () => {
  assert.equal(windowsArg('run'), 'run');
  assert.equal(windowsArg('C:\\Program Files\\x'), '"C:\\Program Files\\x"');
  assert.equal(windowsArg(''), '""');
});

test('xmlEscape escapes the five XML specials', () => {
  assert.equal(xmlEscape(`a&b<c>d"e'f`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f');
});
