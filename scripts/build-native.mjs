#!/usr/bin/env node
// Builds the Linux eBPF helper (native/linux -> native/linux/build/vigil-ebpf) when the toolchain is present.
// When something is missing it says which Debian packages to install and exits 0, so setup continues and the
// agent runs on the procfs fallback. A build that starts and fails exits 1.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const nativeDir = join(root, 'native', 'linux');

if (process.platform !== 'linux') {
  console.log(`build:native: the eBPF helper is Linux-only; nothing to build on ${process.platform}`);
  process.exit(0);
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function hasStaticLib(cc, lib) {
  const r = spawnSync(cc, [`-print-file-name=${lib}`], { encoding: 'utf8' });
  const path = (r.stdout ?? '').trim();
  return r.status === 0 && path.startsWith('/') && existsSync(path);
}

const cc = process.env.CC ?? 'cc';
const checks = [
  { what: 'clang (BPF compiler)', ok: () => hasCommand('clang'), pkg: 'clang' },
  { what: 'llvm', ok: () => hasCommand('llvm-strip') || hasCommand('llc'), pkg: 'llvm' },
  { what: 'bpftool (vmlinux.h, skeleton)', ok: () => hasCommand('bpftool'), pkg: 'bpftool' },
  { what: 'make', ok: () => hasCommand('make'), pkg: 'make' },
  { what: `C compiler (${cc})`, ok: () => hasCommand(cc), pkg: 'gcc' },
  { what: 'libbpf headers', ok: () => existsSync('/usr/include/bpf/libbpf.h'), pkg: 'libbpf-dev' },
  { what: 'libbpf.a', ok: () => hasCommand(cc) && hasStaticLib(cc, 'libbpf.a'), pkg: 'libbpf-dev' },
  { what: 'libelf.a', ok: () => hasCommand(cc) && hasStaticLib(cc, 'libelf.a'), pkg: 'libelf-dev' },
  { what: 'libz.a', ok: () => hasCommand(cc) && hasStaticLib(cc, 'libz.a'), pkg: 'zlib1g-dev' },
];
const missing = checks.filter((c) => !c.ok());
if (missing.length > 0) {
  const pkgs = [...new Set(missing.map((c) => c.pkg))];
  console.log(`build:native: eBPF helper not built: missing ${missing.map((c) => c.what).join(', ')}`);
  console.log(`build:native: install with: sudo apt-get install ${pkgs.join(' ')}`);
  console.log('build:native: the agent will use the procfs fallback until then');
  process.exit(0);
}
if (!existsSync('/sys/kernel/btf/vmlinux')) {
  console.log('build:native: eBPF helper not built: this kernel has no BTF (/sys/kernel/btf/vmlinux) to generate vmlinux.h');
  console.log('build:native: the agent will use the procfs fallback');
  process.exit(0);
}

const make = spawnSync('make', ['-C', nativeDir], { stdio: 'inherit' });
if (make.status !== 0) {
  console.error(`build:native: make -C native/linux failed (exit ${make.status})`);
  process.exit(1);
}
console.log(`build:native: built ${join(nativeDir, 'build', 'vigil-ebpf')}`);
