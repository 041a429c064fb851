import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, win32 } from 'node:path';
import { serviceStateDir } from '../agent/status-file.js';
import type { ServicePlatform } from './install-plan.js';

export const NOTIFIER_KINDS = ['systemd-user', 'xdg-autostart'] as const;
export type NotifierKind = (typeof NOTIFIER_KINDS)[number];

/** The real paths of this install, substituted into the templates. */
export interface InstallContext {
  readonly platform: ServicePlatform;
  /** The node binary that runs Vigil (process.execPath). */
  readonly nodePath: string;
  /** The package directory (holds package.json, config/, dist/). */
  readonly packageRoot: string;
  /** Where the templates are read from: this package, also when planning for another platform. */
  readonly templateRoot: string;
  /** `<packageRoot>/dist/src/cli/main.js`. */
  readonly cliPath: string;
  /** Holds the service config (vigil.toml) and the install manifest. */
  readonly configDir: string;
  readonly stateDir: string;
  readonly logsDir: string;
  /** Linux: how the per-user notifier starts. */
  readonly notifier: NotifierKind;
  /** Linux: the `vigil` group exists already (no groupadd needed). */
  readonly groupExists: boolean;
  /** Linux: systemd is PID 1 here (units can be started now). */
  readonly systemdRunning: boolean;
  /** macOS: uid of the console user, whose GUI session gets the notifier at once. */
  readonly consoleUid: number | null;
}

export function hostPlatform(p: NodeJS.Platform = process.platform): ServicePlatform | null {
  return p === 'linux' ? 'linux' : p === 'darwin' ? 'macos' : p === 'win32' ? 'windows' : null;
}

function groupExists(name: string): boolean {
  const r = spawnSync('getent', ['group', name], { encoding: 'utf8' });
  return r.status === 0;
}

export interface ContextOptions {
  readonly platform?: ServicePlatform;
  readonly packageRoot: string;
  readonly nodePath?: string;
  readonly notifier?: NotifierKind;
}

/**
 * Builds the context from this machine. For a platform other than the host's (a dry run of the Windows or
 * macOS plan on Linux), the node and package paths are that platform's conventional install locations.
 */
export function installContext(options: ContextOptions): InstallContext {
  const host = hostPlatform();
  const platform = options.platform ?? host ?? 'linux';
  const native = platform === host;
  const systemdRunning = platform === 'linux' && native && existsSync('/run/systemd/system');
  if (platform === 'windows') {
    const packageRoot = native ? options.packageRoot : 'C:\\Program Files\\Vigil';
    const programData = native ? (process.env.ProgramData ?? 'C:\\ProgramData') : 'C:\\ProgramData';
    const stateDir = serviceStateDir('win32', { ProgramData: programData });
    return {
      platform,
      templateRoot: options.packageRoot,
      nodePath: options.nodePath ?? (native ? process.execPath : 'C:\\Program Files\\nodejs\\node.exe'),
      packageRoot,
      cliPath: win32.join(packageRoot, 'dist', 'src', 'cli', 'main.js'),
      configDir: stateDir,
      stateDir,
      logsDir: win32.join(stateDir, 'logs'),
      notifier: 'systemd-user',
      groupExists: false,
      systemdRunning: false,
      consoleUid: null,
    };
  }
  const packageRoot = native ? options.packageRoot : '/usr/local/lib/node_modules/vigil';
  const nodePath = options.nodePath ?? (native ? process.execPath : '/usr/local/bin/node');
  const base = { platform, nodePath, packageRoot, templateRoot: options.packageRoot, cliPath: join(packageRoot, 'dist', 'src', 'cli', 'main.js') };
  if (platform === 'macos') {
    const sudoUid = Number(process.env.SUDO_UID);
    return {
      ...base,
      configDir: '/usr/local/etc/vigil',
      stateDir: serviceStateDir('darwin'),
      logsDir: '/Library/Logs/Vigil',
      notifier: 'systemd-user',
      groupExists: false,
      systemdRunning: false,
      consoleUid: Number.isInteger(sudoUid) ? sudoUid : native && process.getuid !== undefined ? process.getuid() : null,
    };
  }
  const haveSystemctl = spawnSync('systemctl', ['--version'], { stdio: 'ignore' }).status === 0;
  return {
    ...base,
    configDir: '/etc/vigil',
    stateDir: serviceStateDir('linux'),
    logsDir: '/var/log/vigil',
    notifier: options.notifier ?? (haveSystemctl || !native ? 'systemd-user' : 'xdg-autostart'),
    groupExists: native && groupExists('vigil'),
    systemdRunning,
    consoleUid: null,
  };
}
