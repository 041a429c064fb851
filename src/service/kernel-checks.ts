import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DoctorCheckId } from './doctor-check.js';
import { DARWIN_CHECKS } from './darwin-checks.js';
import { collectorVerdict } from './doctor-collector.js';
import { SERVICE_FIX, notApplicable, type Check } from './doctor-facts.js';
import { capabilityNames, hasCapability, type CapabilityName } from './linux-capabilities.js';

const EBPF_CAPS: readonly CapabilityName[] = ['CAP_BPF', 'CAP_PERFMON'];
const PROC_CAPS: readonly CapabilityName[] = ['CAP_SYS_PTRACE', 'CAP_DAC_READ_SEARCH'];
const BTF_PATH = '/sys/kernel/btf/vmlinux';
const TRACEFS = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'] as const;

export function ebpfCapabilitiesHeld(capEff: bigint | null): boolean {
  if (capEff === null) return false;
  return EBPF_CAPS.every((c) => hasCapability(capEff, c)) || hasCapability(capEff, 'CAP_SYS_ADMIN');
}

function readable(path: string): string | null {
  try {
    accessSync(path, constants.R_OK);
    readFileSync(path, { flag: 'r' }).subarray(0, 1);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
}

/** Can the eBPF collector run, and if not, what does the fallback miss. */
export const KERNEL_CHECKS: Readonly<Record<Extract<DoctorCheckId, 'privileges' | 'btf' | 'tracefs' | 'ebpf-helper' | 'collector'>, Check>> = {
  privileges: (f) => {
    if (f.platform === 'darwin') return DARWIN_CHECKS.privileges(f);
    if (f.platform !== 'linux') return { id: 'privileges', title: 'Privileges', status: f.uid === 0 ? 'ok' : 'warn', detail: `uid ${f.uid ?? 'unknown'}`, fix: f.uid === 0 ? null : 'run as root for the best collector' };
    const held = f.capEff === null ? [] : capabilityNames(f.capEff);
    const detail = `uid ${f.uid ?? 'unknown'}; effective capabilities Vigil uses: ${held.length > 0 ? held.join(', ') : 'none'}`;
    const data = { uid: f.uid, capEff: f.capEff === null ? null : '0x' + f.capEff.toString(16), held };
    if (!ebpfCapabilitiesHeld(f.capEff)) {
      const missing = EBPF_CAPS.filter((c) => f.capEff === null || !hasCapability(f.capEff, c));
      return { id: 'privileges', title: 'Privileges', status: 'warn', detail: `${detail}. eBPF needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN); missing: ${missing.join(', ')}`, fix: SERVICE_FIX, data };
    }
    const missingProc = PROC_CAPS.filter((c) => !hasCapability(f.capEff!, c));
    if (missingProc.length > 0) {
      return { id: 'privileges', title: 'Privileges', status: 'warn', detail: `${detail}. Missing ${missingProc.join(', ')}: /proc/<pid>/{fd,exe,cwd} of other users' processes is unreadable (socket owners, paths)`, fix: SERVICE_FIX, data };
    }
    const note = hasCapability(f.capEff!, 'CAP_SYS_RESOURCE') ? '' : ' (no CAP_SYS_RESOURCE: not needed on kernels >= 5.11, which charge BPF memory to the cgroup, not RLIMIT_MEMLOCK)';
    return { id: 'privileges', title: 'Privileges', status: 'ok', detail: detail + note, fix: null, data };
  },

  btf: (f) => {
    if (f.platform !== 'linux') return notApplicable('btf', 'Kernel BTF', f.platform);
    if (!existsSync(BTF_PATH)) {
      return { id: 'btf', title: 'Kernel BTF', status: 'warn', detail: `${BTF_PATH} missing: the CO-RE eBPF program cannot be relocated for this kernel`, fix: 'use a kernel built with CONFIG_DEBUG_INFO_BTF=y (Debian 11+, Ubuntu 20.10+, Fedora 31+, RHEL 8.2+)' };
    }
    return { id: 'btf', title: 'Kernel BTF', status: 'ok', detail: `${BTF_PATH} (${statSync(BTF_PATH).size} bytes)`, fix: null };
  },

  tracefs: (f) => {
    if (f.platform !== 'linux') return notApplicable('tracefs', 'tracefs', f.platform);
    const problems: string[] = [];
    for (const base of TRACEFS) {
      const idFile = join(base, 'events', 'sched', 'sched_process_exec', 'id');
      const why = readable(idFile);
      if (why === null) return { id: 'tracefs', title: 'tracefs', status: 'ok', detail: `tracepoints readable at ${base}`, fix: null };
      problems.push(`${idFile}: ${why}`);
    }
    const denied = problems.some((p) => p.endsWith('EACCES') || p.endsWith('EPERM'));
    return {
      id: 'tracefs',
      title: 'tracefs',
      status: 'warn',
      detail: denied ? `tracefs is not readable by this user (${problems.join('; ')})` : `tracefs not mounted (${problems.join('; ')})`,
      fix: denied ? SERVICE_FIX : 'mount it: `mount -t tracefs nodev /sys/kernel/tracing` (or add it to /etc/fstab)',
    };
  },

  'ebpf-helper': (f) => {
    if (f.platform !== 'linux') return notApplicable('ebpf-helper', 'eBPF helper', f.platform);
    let built = true;
    try {
      accessSync(f.helperPath, constants.X_OK);
    } catch {
      built = false;
    }
    if (!built) {
      return { id: 'ebpf-helper', title: 'eBPF helper', status: 'warn', detail: `${f.helperPath} is not built`, fix: 'build it: `npm run build:native` (needs clang, llvm, libbpf-dev, libelf-dev, zlib1g-dev, bpftool, make)' };
    }
    if (f.ebpfProbe === null) return { id: 'ebpf-helper', title: 'eBPF helper', status: 'ok', detail: `${f.helperPath} loads and attaches its tracepoint programs here (probe ok)`, fix: null };
    return { id: 'ebpf-helper', title: 'eBPF helper', status: 'warn', detail: `${f.helperPath} is built but cannot load here: ${f.ebpfProbe}`, fix: SERVICE_FIX };
  },

  collector: (f) => {
    if (f.platform === 'darwin') return DARWIN_CHECKS.collector(f);
    if (f.platform !== 'linux') return { id: 'collector', title: 'Collector', status: 'info', detail: `collectors for ${f.platform} are chosen at run time`, fix: null };
    const v = collectorVerdict(f);
    const data = { backend: v.backend, fallbackReason: v.fallbackReason, misses: v.misses };
    if (v.backend === 'ebpf') return { id: 'collector', title: 'Collector', status: 'ok', detail: 'eBPF will be used: every exec, fork, exit, connect and accept, captured in the kernel', fix: null, data };
    if (v.backend === null) return { id: 'collector', title: 'Collector', status: 'fail', detail: `no collector can run: ebpf: ${f.ebpfProbe}; procfs: ${f.procfsProbe}`, fix: SERVICE_FIX, data };
    return {
      id: 'collector',
      title: 'Collector',
      status: 'warn',
      detail: `the procfs fallback will be used, because eBPF cannot run (${f.ebpfProbe}). It misses: ${v.misses.join('; ')}`,
      fix: SERVICE_FIX,
      data,
    };
  },
};
