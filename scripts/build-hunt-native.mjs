#!/usr/bin/env node
// Builds the C line scanner of `vigil hunt` (native/hunt/src/line_scan.c -> native/hunt/build/vigil_line_scan.node),
// an N-API addon compiled with the system C compiler against node-api-headers (no download, no node-gyp).
// `npm run build` runs this after tsc. Without a C compiler (or on Windows) it says so and exits 0: `vigil
// hunt` then does the same work in JavaScript, with the same results. A compile that starts and fails exits 1.
// The addon is rebuilt only when its source, this script or the headers are newer than it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const source = join(root, 'native', 'hunt', 'src', 'line_scan.c');
const buildDir = join(root, 'native', 'hunt', 'build');
const output = join(buildDir, 'vigil_line_scan.node');
const headers = join(root, 'node_modules', 'node-api-headers', 'include');

if (process.platform === 'win32') {
  console.log('build:hunt: the C line scanner is not built on Windows; vigil hunt uses its JavaScript path');
  process.exit(0);
}
const has = (cmd) => spawnSync('sh', ['-c', 'command -v "$0"', cmd], { stdio: 'ignore' }).status === 0;
const cc = [process.env.CC, 'cc', 'gcc', 'clang'].find((c) => c !== undefined && c !== '' && has(c));
if (cc === undefined) {
  console.log('build:hunt: no C compiler (cc, gcc, clang); vigil hunt uses its JavaScript path (apt-get install gcc to build it)');
  process.exit(0);
}
if (!existsSync(join(headers, 'node_api.h'))) {
  console.log('build:hunt: node-api-headers is not installed (npm ci); vigil hunt uses its JavaScript path');
  process.exit(0);
}

const mtime = (p) => statSync(p).mtimeMs;
const inputs = [source, new URL(import.meta.url).pathname, join(headers, 'node_api.h')];
if (existsSync(output) && inputs.every((p) => mtime(p) <= mtime(output))) process.exit(0);

mkdirSync(buildDir, { recursive: true });
const tmp = `${output}.${process.pid}.tmp`;
const args = ['-O2', '-std=c11', '-fPIC', '-shared', '-Wall', '-Wextra', '-fvisibility=hidden',
  '-DNODE_GYP_MODULE_NAME=vigil_line_scan', `-I${headers}`, source, '-o', tmp];
// macOS: the N-API symbols are resolved from the node binary when the addon is loaded.
if (process.platform === 'darwin') args.push('-undefined', 'dynamic_lookup');
const r = spawnSync(cc, args, { stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(tmp, { force: true });
  console.error(`build:hunt: ${cc} failed (exit ${r.status}) on ${source}`);
  process.exit(1);
}
renameSync(tmp, output); // atomic: a concurrent build or a running hunt never sees half a file
console.log(`build:hunt: built ${output}`);
