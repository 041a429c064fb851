import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EtwAddonError } from '../../../src/collectors/win32/etw-addon-error.js';
import { loadEtwAddon } from '../../../src/collectors/win32/etw-addon.js';
import { readPeImage } from './pe-image.js';
import { projectRoot } from './win32-fixtures.js';

const script = join(projectRoot, 'scripts', 'build-win32.mjs');
const output = join(projectRoot, 'native', 'win32', 'build', 'vigil_etw.node');
const hasMingw = spawnSync('sh', ['-c', 'command -v x86_64-w64-mingw32-g++-posix && command -v x86_64-w64-mingw32-dlltool']).status === 0;

test('npm run build:win32 cross-builds a PE32+ x86-64 DLL that binds to node.exe', { skip: hasMingw ? false : 'mingw-w64 (g++-mingw-w64-x86-64-posix) is not installed', timeout: 600_000 }, () => {
  const run = spawnSync(process.execPath, [script], { cwd: projectRoot, encoding: 'utf8', timeout: 590_000 });
  assert.equal(run.status, 0, `build failed:\n${run.stdout}\n${run.stderr}`);
  // -Werror: any warning would have failed the build; none may even be printed
  assert.doesNotMatch(run.stderr, /warning:/);
  const pe = readPeImage(readFileSync(output));
  assert.equal(pe.machine, 0x8664, 'x86-64');
  assert.equal(pe.magic, 0x20b, 'PE32+');
  assert.ok(pe.isDll, 'a DLL');
  assert.ok(pe.exports.includes('napi_register_module_v1'), `exports: ${pe.exports.join(', ')}`);
  const imports = pe.imports.map((d) => d.toLowerCase());
  for (const dll of ['node.exe', 'advapi32.dll', 'tdh.dll', 'ntdll.dll']) assert.ok(imports.includes(dll), `imports ${dll}: ${imports.join(', ')}`);
  // -static: no mingw runtime DLL to ship beside the addon
  for (const dll of imports) assert.doesNotMatch(dll, /libstdc\+\+|libgcc|libwinpthread/);

  // On Linux the loader refuses it up front; forced past that check, the OS loader refuses the PE file.
  assert.throws(() => loadEtwAddon({ path: output }), (e: unknown) => e instanceof EtwAddonError && e.code === 'ETW_NOT_WINDOWS');
  assert.throws(() => loadEtwAddon({ path: output, platform: 'win32' }), (e: unknown) => e instanceof EtwAddonError && e.code === 'ETW_LOAD_FAILED');
});

test('without mingw-w64 the build says which Debian package to install and exits 0', (t) => {
  const bin = mkdtempSync(join(tmpdir(), 'vigil-nomingw-'));
  t.after(() => rmSync(bin, { recursive: true, force: true }));
  symlinkSync('/bin/sh', join(bin, 'sh'));
  const run = spawnSync(process.execPath, [script], { cwd: projectRoot, encoding: 'utf8', env: { PATH: bin }, timeout: 30_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /g\+\+-mingw-w64-x86-64-posix/);
});

test('binding.gyp (the node-gyp build on Windows) compiles the same sources as the cross build', () => {
  const native = join(projectRoot, 'native', 'win32');
  const gyp = readFileSync(join(native, 'binding.gyp'), 'utf8');
  const listed = [...gyp.matchAll(/"src\/([^"]+\.cc)"/g)].map((m) => m[1]!).sort();
  const onDisk = readdirSync(join(native, 'src')).filter((f) => f.endsWith('.cc')).sort();
  assert.deepEqual(listed, onDisk);
});
