#!/usr/bin/env node
// `npm run build:win32`: cross-builds the Windows ETW addon (native/win32) into
// native/win32/build/vigil_etw.node, a PE32+ x86-64 DLL, with the mingw-w64 cross compiler (posix threads),
// linked -static, warnings as errors. Node's import library is generated from node-api-headers' def file with
// x86_64-w64-mingw32-dlltool, so the addon binds to the N-API symbols node.exe exports. Objects are kept in
// native/win32/build/obj with a hash of what made them (compiler, flags, source, headers) and recompiled only
// when that changes; the addon itself is linked afresh every time.
//
// On a machine without mingw-w64 it says which Debian package to install and exits 0 (the addon is optional).
// On Windows itself, build with node-gyp instead: `npx node-gyp rebuild -C native/win32` (binding.gyp).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const addonDir = join(root, 'native', 'win32');
const srcDir = join(addonDir, 'src');
const buildDir = join(addonDir, 'build');
const objDir = join(buildDir, 'obj');
const output = join(buildDir, 'vigil_etw.node');
const DEBIAN_PACKAGE = 'g++-mingw-w64-x86-64-posix';

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The posix-threads flavour is required (std::thread, std::mutex); the win32 flavour lacks them. */
function findCompiler() {
  for (const name of ['x86_64-w64-mingw32-g++-posix', 'x86_64-w64-mingw32-g++']) {
    const path = which(name);
    if (path === null) continue;
    const v = spawnSync(path, ['-v'], { encoding: 'utf8' });
    if (/Thread model: posix/.test(`${v.stdout}${v.stderr}`)) return path;
  }
  return null;
}

function resolveModuleDir(name) {
  const dir = join(root, 'node_modules', name);
  if (!existsSync(join(dir, 'package.json'))) throw new Error(`build:win32: ${name} is not installed (npm ci)`);
  return dir;
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${basename(cmd)} exited with ${code}`))));
  });
}

/** Runs `jobs` at a time. */
async function runAll(tasks, jobs) {
  const queue = [...tasks];
  const workers = Array.from({ length: jobs }, async () => {
    for (let t = queue.shift(); t !== undefined; t = queue.shift()) await t();
  });
  await Promise.all(workers);
}

async function main() {
  const cxx = findCompiler();
  const dlltool = which('x86_64-w64-mingw32-dlltool');
  if (cxx === null || dlltool === null) {
    console.log(`build:win32: the mingw-w64 cross compiler (posix threads) was not found; install the Debian package ` +
      `${DEBIAN_PACKAGE} (apt-get install ${DEBIAN_PACKAGE}) to cross-build the Windows ETW addon. Skipped.`);
    return;
  }
  const napiHeaders = resolveModuleDir('node-api-headers');
  const addonApi = resolveModuleDir('node-addon-api');
  const defFile = join(napiHeaders, 'def', 'node_api.def');

  // Objects are reused when nothing that goes into them changed (see `inputsHash`); the addon and the import
  // library are always made afresh.
  rmSync(output, { force: true });
  mkdirSync(objDir, { recursive: true });

  // node.exe's N-API exports, as an import library the linker can resolve against.
  const importLib = join(buildDir, 'libnode_api.a');
  await run(dlltool, ['--input-def', defFile, '--output-lib', importLib, '--dllname', 'node.exe']);

  const cxxflags = [
    '-std=c++17', '-O2', '-g0', '-Wall', '-Wextra', '-Wpedantic', '-Wshadow', '-Wconversion', '-Werror',
    '-fexceptions', '-DNAPI_VERSION=8', '-DNAPI_CPP_EXCEPTIONS', '-DNODE_ADDON_API_DISABLE_DEPRECATED',
    '-DBUILDING_NODE_EXTENSION', '-DUNICODE', '-D_UNICODE', '-DWIN32_LEAN_AND_MEAN', '-DNOMINMAX',
    '-D_WIN32_WINNT=0x0A00', '-DWINVER=0x0A00',
    // Third-party headers are not ours to hold to -Werror; our sources are.
    '-isystem', join(napiHeaders, 'include'), '-isystem', addonApi,
  ];
  const sources = readdirSync(srcDir).filter((f) => f.endsWith('.cc')).sort();
  const objects = sources.map((f) => join(objDir, f.replace(/\.cc$/, '.o')));
  // An object is current when its recorded hash covers the same compiler, flags, source and every header of
  // src/ (conservative: a header change recompiles everything).
  const headers = readdirSync(srcDir).filter((f) => f.endsWith('.h')).sort().map((f) => readFileSync(join(srcDir, f)));
  const inputsHash = (f) => {
    const h = createHash('sha256').update(cxx).update('\0').update(cxxflags.join('\0'));
    for (const header of headers) h.update(header);
    return h.update(readFileSync(join(srcDir, f))).digest('hex');
  };
  const stale = sources.map((f, i) => ({ f, obj: objects[i], hash: inputsHash(f) }))
    .filter(({ obj, hash }) => !existsSync(obj) || !existsSync(`${obj}.hash`) || readFileSync(`${obj}.hash`, 'utf8') !== hash);
  console.log(`build:win32: ${basename(cxx)}: compiling ${stale.length} of ${sources.length} sources (the others are current)`);
  const compile = async ({ f, obj, hash }) => {
    rmSync(`${obj}.hash`, { force: true });
    await run(cxx, [...cxxflags, '-c', join(srcDir, f), '-o', obj]);
    writeFileSync(`${obj}.hash`, hash);
  };
  await runAll(stale.map((t) => () => compile(t)), Math.max(2, availableParallelism()));

  const ldflags = [
    '-shared', '-static', '-static-libgcc', '-static-libstdc++', '-Wl,--no-undefined', '-Wl,--fatal-warnings',
    '-s', '-o', output,
  ];
  await run(cxx, [...ldflags, ...objects, importLib, '-ltdh', '-ladvapi32', '-lntdll']);

  const file = which('file');
  const desc = file !== null ? spawnSync(file, ['-b', output], { encoding: 'utf8' }).stdout.trim() : '(no `file` tool)';
  console.log(`build:win32: built ${output.slice(root.length + 1)}: ${desc}`);
}

main().catch((err) => {
  console.error(`build:win32: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
