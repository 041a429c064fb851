import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import type { DoctorCheck, DoctorCheckId } from './doctor-check.js';
import { capabilityNames, hasCapability, type CapabilityName } from './linux-capabilities.js';
import type { ServiceState } from './service-state.js';

/** Everything the checks look at, gathered once (the async probes run before the checks). */
export interface DoctorFacts {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  readonly uid: number | null;
  /** CapEff from /proc/self/status (Linux), null when unknown. */
  readonly capEff: bigint | null;
  readonly helperPath: string;
  /** EbpfCollector.probe(): null = loads and attaches here, else why not. */
  readonly ebpfProbe: string | null;
  /** ProcfsCollector.probe(). */
  readonly procfsProbe: string | null;
  readonly pollIntervalMs: number;
  readonly dbPath: string;
  readonly rules: RulesFacts;
  readonly service: ServiceState | null;
}

export interface RulesFacts {
  readonly paths: readonly string[];
  readonly loaded: number;
  readonly skipped: number;
  /** `file:line:column: CODE message` per error diagnostic. */
  readonly errors: readonly string[];
  /** Set when loading itself failed. */
  readonly failure?: string;
}

type Check = (f: DoctorFacts) => DoctorCheck;

const EBPF_CAPS: readonly CapabilityName[] = ['CAP_BPF', 'CAP_PERFMON'];
const PROC_CAPS: readonly CapabilityName[] = ['CAP_SYS_PTRACE', 'CAP_DAC_READ_SEARCH'];
const BTF_PATH = '/sys/kernel/btf/vmlinux';
const TRACEFS = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'] as const;
const SERVICE_FIX = 'run the agent as root (`sudo vigil run`), or install the service (`sudo vigil install`): its unit grants exactly CAP_BPF, CAP_PERFMON, CAP_SYS_RESOURCE, CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE';

/** What polling /proc cannot see, said on every fallback. */
export function procfsMisses(pollIntervalMs: number): string[] {
  return [
    `processes that start and exit between two polls (every ${pollIntervalMs} ms) are never seen, nor their arguments and connections; counted as \`missed\` (forks in /proc/stat vs processes seen)`,
    'connections are seen only while the socket is in /proc/net: a connect() that fails at once (ENETUNREACH, refused) leaves no trace',
    'event times are poll times, not the kernel\'s; exit codes are unknown',
  ];
}

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

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

/** The nearest existing ancestor of `path` (itself when it exists). */
function nearestExisting(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function busSocketProblem(address: string): string | null {
  const m = /(?:^|;)unix:path=([^,;]+)/.exec(address);
  if (m === null) return null; // abstract sockets, tcp: nothing on disk to check
  return existsSync(m[1]!) ? null : `socket ${m[1]} does not exist`;
}

const CHECKS: Readonly<Record<DoctorCheckId, Check>> = {
  privileges: (f) => {
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
    const note = hasCapability(f.capEff!, 'CAP_SYS_RESOURCE') ? '' : ' (CAP_SYS_RESOURCE absent: fine on kernels >= 5.11, which account BPF memory to the cgroup instead of RLIMIT_MEMLOCK)';
    return { id: 'privileges', title: 'Privileges', status: 'ok', detail: detail + note, fix: null, data };
  },

  btf: (f) => {
    if (f.platform !== 'linux') return { id: 'btf', title: 'Kernel BTF', status: 'info', detail: 'not applicable on this OS', fix: null };
    if (!existsSync(BTF_PATH)) {
      return { id: 'btf', title: 'Kernel BTF', status: 'warn', detail: `${BTF_PATH} missing: the CO-RE eBPF program cannot be relocated for this kernel`, fix: 'use a kernel built with CONFIG_DEBUG_INFO_BTF=y (Debian 11+, Ubuntu 20.10+, Fedora 31+, RHEL 8.2+)' };
    }
    return { id: 'btf', title: 'Kernel BTF', status: 'ok', detail: `${BTF_PATH} (${statSync(BTF_PATH).size} bytes)`, fix: null };
  },

  tracefs: (f) => {
    if (f.platform !== 'linux') return { id: 'tracefs', title: 'tracefs', status: 'info', detail: 'not applicable on this OS', fix: null };
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
    if (f.platform !== 'linux') return { id: 'ebpf-helper', title: 'eBPF helper', status: 'info', detail: 'not applicable on this OS', fix: null };
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
    if (f.platform !== 'linux') return { id: 'collector', title: 'Collector', status: 'info', detail: `collectors for ${f.platform} are chosen at run time`, fix: null };
    if (f.ebpfProbe === null) {
      return { id: 'collector', title: 'Collector', status: 'ok', detail: 'eBPF will be used: every exec, fork, exit, connect and accept, captured in the kernel', fix: null, data: { backend: 'ebpf', fallbackReason: null, misses: [] } };
    }
    if (f.procfsProbe !== null) {
      return { id: 'collector', title: 'Collector', status: 'fail', detail: `no collector can run: ebpf: ${f.ebpfProbe}; procfs: ${f.procfsProbe}`, fix: SERVICE_FIX, data: { backend: null, fallbackReason: f.ebpfProbe } };
    }
    const misses = procfsMisses(f.pollIntervalMs);
    return {
      id: 'collector',
      title: 'Collector',
      status: 'warn',
      detail: `the procfs fallback will be used, because eBPF cannot run (${f.ebpfProbe}). It misses: ${misses.join('; ')}`,
      fix: SERVICE_FIX,
      data: { backend: 'procfs', fallbackReason: f.ebpfProbe, misses },
    };
  },

  database: (f) => {
    const dir = dirname(f.dbPath);
    if (existsSync(f.dbPath)) {
      const ok = writable(f.dbPath) && writable(dir);
      return ok
        ? { id: 'database', title: 'Alert database', status: 'ok', detail: `${f.dbPath} is writable`, fix: null }
        : { id: 'database', title: 'Alert database', status: 'fail', detail: `${f.dbPath} exists but is not writable by uid ${f.uid} (the WAL also needs ${dir} writable)`, fix: 'run as the owner of the database, or pass another path (`vigil run --config` with [storage] db)' };
    }
    const base = nearestExisting(dir);
    return writable(base)
      ? { id: 'database', title: 'Alert database', status: 'ok', detail: `${f.dbPath} will be created (${base} is writable)`, fix: null }
      : { id: 'database', title: 'Alert database', status: 'fail', detail: `${f.dbPath} cannot be created: ${base} is not writable by uid ${f.uid}`, fix: `create ${dir} for this user, or choose another [storage] db` };
  },

  'notify-send': (f) => {
    if (f.platform !== 'linux') return { id: 'notify-send', title: 'notify-send', status: 'info', detail: 'not used on this OS (node-notifier uses the native notifier)', fix: null };
    const path = onPath('notify-send', f.env);
    return path !== null
      ? { id: 'notify-send', title: 'notify-send', status: 'ok', detail: path, fix: null }
      : { id: 'notify-send', title: 'notify-send', status: 'warn', detail: 'notify-send is not on PATH: desktop notifications cannot be sent', fix: 'install it: `apt install libnotify-bin` (Debian/Ubuntu) or `dnf install libnotify`' };
  },

  'session-bus': (f) => {
    if (f.platform !== 'linux') return { id: 'session-bus', title: 'Session bus', status: 'info', detail: 'not applicable on this OS', fix: null };
    const address = f.env.DBUS_SESSION_BUS_ADDRESS;
    const viaService = 'notifications need a desktop session: the service cannot show them itself; `vigil install` sets up `vigil notify` to run in each user\'s session';
    if (address === undefined || address === '') return { id: 'session-bus', title: 'Session bus', status: 'warn', detail: 'DBUS_SESSION_BUS_ADDRESS is not set (no desktop session here)', fix: viaService };
    const problem = busSocketProblem(address);
    return problem === null
      ? { id: 'session-bus', title: 'Session bus', status: 'ok', detail: `DBUS_SESSION_BUS_ADDRESS=${address}`, fix: null }
      : { id: 'session-bus', title: 'Session bus', status: 'warn', detail: `DBUS_SESSION_BUS_ADDRESS=${address}: ${problem}`, fix: viaService };
  },

  'notification-daemon': (f) => {
    const title = 'Notification daemon';
    if (f.platform !== 'linux') return { id: 'notification-daemon', title, status: 'info', detail: 'not applicable on this OS', fix: null };
    const address = f.env.DBUS_SESSION_BUS_ADDRESS;
    if (address === undefined || address === '' || busSocketProblem(address) !== null) {
      return { id: 'notification-daemon', title, status: 'info', detail: 'not checked: no session bus', fix: null };
    }
    const r = spawnSync(
      'dbus-send',
      ['--session', '--print-reply', '--reply-timeout=3000', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.Notifications'],
      { encoding: 'utf8', timeout: 5000, env: f.env },
    );
    if (r.error !== undefined) return { id: 'notification-daemon', title, status: 'warn', detail: `cannot ask the bus: ${r.error.message}`, fix: 'install dbus-send: `apt install dbus-bin`' };
    if (r.status !== 0) return { id: 'notification-daemon', title, status: 'warn', detail: `the session bus did not answer: ${(r.stderr || '').trim()}`, fix: 'check the desktop session\'s D-Bus' };
    return /boolean true/.test(r.stdout)
      ? { id: 'notification-daemon', title, status: 'ok', detail: 'a daemon owns org.freedesktop.Notifications', fix: null }
      : { id: 'notification-daemon', title, status: 'warn', detail: 'no daemon owns org.freedesktop.Notifications: notifications go nowhere', fix: 'start one (your desktop\'s, or dunst / mako / xfce4-notifyd)' };
  },

  rules: (f) => {
    const r = f.rules;
    const data = { paths: r.paths, loaded: r.loaded, skipped: r.skipped, errors: r.errors };
    if (r.failure !== undefined) return { id: 'rules', title: 'Rules', status: 'fail', detail: `cannot load rules from ${r.paths.join(', ')}: ${r.failure}`, fix: 'check [rules] paths in the config', data };
    if (r.errors.length > 0) {
      const shown = r.errors.slice(0, 5).join('; ') + (r.errors.length > 5 ? `; and ${r.errors.length - 5} more` : '');
      return { id: 'rules', title: 'Rules', status: 'warn', detail: `${r.loaded} loaded, ${r.skipped} skipped, ${r.errors.length} with errors (they do not run; the others do): ${shown}`, fix: 'fix them: `vigil rules check` shows each error with its position', data };
    }
    if (r.loaded === 0) return { id: 'rules', title: 'Rules', status: 'warn', detail: `no rule loaded from ${r.paths.join(', ')} (${r.skipped} skipped)`, fix: 'point [rules] paths at rule files or directories', data };
    return { id: 'rules', title: 'Rules', status: 'ok', detail: `${r.loaded} loaded, ${r.skipped} skipped, none with errors (${r.paths.join(', ')})`, fix: null, data };
  },

  service: (f) => {
    const s = f.service;
    if (s === null) return { id: 'service', title: 'Service', status: 'info', detail: 'no service support on this OS', fix: null };
    if (!s.installed) return { id: 'service', title: 'Service', status: 'info', detail: 'not installed (the agent runs only in the foreground)', fix: 'to run at boot: `sudo vigil install`' };
    const bits = [s.enabled === true ? 'enabled' : s.enabled === false ? 'not enabled' : null, s.managerState, s.detail].filter((b) => b !== null);
    return { id: 'service', title: 'Service', status: 'ok', detail: `installed: ${s.unit}${bits.length > 0 ? ` (${bits.join('; ')})` : ''}`, fix: null };
  },
};

export function runDoctorChecks(facts: DoctorFacts, ids: readonly DoctorCheckId[]): DoctorCheck[] {
  return ids.map((id) => CHECKS[id](facts));
}
