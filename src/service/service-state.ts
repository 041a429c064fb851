import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync } from 'node:fs';
import type { ServicePlatform } from './install-plan.js';
import { SYSTEM_UNIT_PATH, SYSTEMD_UNIT } from './systemd-plan.js';
import { DAEMON_PLIST_PATH, LAUNCHD_AGENT_LABEL } from './launchd-plan.js';
import { WINDOWS_SERVICE } from './windows-plan.js';
import { stagedPath } from './staged-path.js';

/** Whether the service is installed, enabled and (when the service manager can say) active. */
export interface ServiceState {
  readonly platform: ServicePlatform;
  readonly installed: boolean;
  /** The unit / plist / service name looked at. */
  readonly unit: string;
  readonly enabled: boolean | null;
  /** The service manager's word (`active`, `inactive`, `failed`, `RUNNING`...), or null when it cannot be asked. */
  readonly managerState: string | null;
  readonly detail: string | null;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function ask(argv: readonly string[]): string | null {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 10_000 });
  if (r.error !== undefined) return null;
  return (r.stdout ?? '').trim() || null;
}

type Probe = (root: string | null) => ServiceState;

const PROBES: Readonly<Record<ServicePlatform, Probe>> = {
  linux: (root) => {
    const installed = existsSync(stagedPath(root, SYSTEM_UNIT_PATH));
    const enabled = installed ? exists(stagedPath(root, `/etc/systemd/system/multi-user.target.wants/${SYSTEMD_UNIT}`)) : null;
    const running = root === null && existsSync('/run/systemd/system');
    return {
      platform: 'linux',
      installed,
      unit: SYSTEM_UNIT_PATH,
      enabled,
      managerState: installed && running ? ask(['systemctl', 'is-active', SYSTEMD_UNIT]) : null,
      detail: running ? null : 'systemd is not PID 1 here: the unit cannot run now',
    };
  },
  macos: (root) => {
    const installed = existsSync(stagedPath(root, DAEMON_PLIST_PATH));
    const out = installed && root === null ? ask(['launchctl', 'print', `system/${LAUNCHD_AGENT_LABEL}`]) : null;
    const state = out === null ? null : (/^\s*state = (\S+)/m.exec(out)?.[1] ?? null);
    return { platform: 'macos', installed, unit: DAEMON_PLIST_PATH, enabled: installed ? true : null, managerState: state, detail: null };
  },
  windows: (root) => {
    const out = root === null ? ask(['sc.exe', 'query', WINDOWS_SERVICE]) : null;
    const state = out === null ? null : (/STATE\s*:\s*\d+\s+(\S+)/.exec(out)?.[1] ?? null);
    return { platform: 'windows', installed: state !== null, unit: WINDOWS_SERVICE, enabled: null, managerState: state, detail: null };
  },
};

export function serviceState(platform: ServicePlatform, root: string | null = null): ServiceState {
  return PROBES[platform](root);
}
