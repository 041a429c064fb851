import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWindowsServiceWrapper, MINGW_CC } from '../../src/service/windows-wrapper-build.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const noMingw = spawnSync(MINGW_CC, ['--version'], { stdio: 'ignore' }).status === 0 ? false : `${MINGW_CC} not installed (g++-mingw-w64-x86-64-posix)`;

/** PE header facts read by hand: machine, optional-header magic, subsystem. */
function peInfo(bytes: Buffer) {
  assert.equal(bytes.toString('latin1', 0, 2), 'MZ');
  const pe = bytes.readUInt32LE(0x3c);
  assert.equal(bytes.toString('latin1', pe, pe + 4), 'PE\0\0');
  const machine = bytes.readUInt16LE(pe + 4);
  const optional = pe + 24;
  return { machine, magic: bytes.readUInt16LE(optional), subsystem: bytes.readUInt16LE(optional + 68) };
}

test('the service wrapper cross-compiles (-Werror, static) to a PE32+ x86-64 console program that talks to SCM', { skip: noMingw, timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-wrapper-'));
  try {
    const out = join(dir, 'vigil-service.exe');
    const r = buildWindowsServiceWrapper(root, out);
    assert.equal(r.reason, null);
    assert.equal(r.ok, true);
    const bytes = readFileSync(out);
    assert.deepEqual(peInfo(bytes), { machine: 0x8664, magic: 0x20b, subsystem: 3 });
    for (const symbol of ['StartServiceCtrlDispatcherW', 'RegisterServiceCtrlHandlerExW', 'SetServiceStatus', 'AssignProcessToJobObject', 'GenerateConsoleCtrlEvent']) {
      assert.ok(bytes.includes(Buffer.from(symbol, 'latin1')), `imports ${symbol}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing cross compiler is a reason, not a crash', () => {
  const saved = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    const r = buildWindowsServiceWrapper(root, join(tmpdir(), 'never-built.exe'));
    assert.equal(r.ok, false);
    assert.match(r.reason!, /x86_64-w64-mingw32-gcc not found/);
  } finally {
    process.env.PATH = saved;
  }
});
