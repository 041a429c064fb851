import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitWindowsCommandLine } from '../../../src/collectors/win32/windows-command-line.js';

// [command line, expected argv] — the C runtime's rules (argv[0] has no escapes; 2n / 2n+1 backslashes before a
// quote; "" inside quotes; tabs separate).
const ROWS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['', []],
  ['   ', []],
  ['cmd.exe', ['cmd.exe']],
  ['cmd.exe /c dir', ['cmd.exe', '/c', 'dir']],
  ['"C:\\Program Files\\App\\app.exe" --x 1', ['C:\\Program Files\\App\\app.exe', '--x', '1']],
  ['"C:\\dir\\"a b', ['C:\\dir\\', 'a', 'b']], // argv[0]: a backslash does not escape the closing quote
  ['a.exe "a b" c', ['a.exe', 'a b', 'c']],
  ['a.exe a\\\\b', ['a.exe', 'a\\\\b']], // backslashes not before a quote are literal
  ['a.exe a\\"b', ['a.exe', 'a"b']], // 1 backslash + quote: literal quote
  ['a.exe a\\\\"b c"', ['a.exe', 'a\\b c']], // 2 backslashes + quote: one backslash, quote toggles
  ['a.exe a\\\\\\"b', ['a.exe', 'a\\"b']], // 3 backslashes + quote: one backslash + literal quote
  ['a.exe "a""b"', ['a.exe', 'a"b']], // "" inside quotes: a literal quote
  ['a.exe ""', ['a.exe', '']], // an empty argument
  ['a.exe\t-x\t\t-y', ['a.exe', '-x', '-y']],
  ['a.exe "unterminated arg', ['a.exe', 'unterminated arg']],
  ['"C:\\Users\\Jürgen\\análisis.exe" --lang=日本語 "naïve café.txt"', ['C:\\Users\\Jürgen\\análisis.exe', '--lang=日本語', 'naïve café.txt']],
  [
    'powershell.exe -NoProfile -Command "[Convert]::ToBase64String([IO.File]::ReadAllBytes(\'C:\\k\'))"',
    ['powershell.exe', '-NoProfile', '-Command', "[Convert]::ToBase64String([IO.File]::ReadAllBytes('C:\\k'))"],
  ],
];

test('splitWindowsCommandLine follows the C runtime rules', () => {
  for (const [line, argv] of ROWS) {
    assert.deepEqual(splitWindowsCommandLine(line), argv, JSON.stringify(line));
  }
});

test('splitWindowsCommandLine never joins what spaces separate outside quotes', () => {
  // negative rows: these must NOT come out as one argument
  assert.notDeepEqual(splitWindowsCommandLine('a.exe x y'), ['a.exe', 'x y']);
  assert.notDeepEqual(splitWindowsCommandLine('a.exe \\"x y\\"'), ['a.exe', '"x y"']);
  assert.deepEqual(splitWindowsCommandLine('a.exe \\"x y\\"'), ['a.exe', '"x', 'y"']);
});
