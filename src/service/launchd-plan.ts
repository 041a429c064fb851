import { posix } from 'node:path';
import type { InstallContext } from './install-context.js';
import type { InstallPlan, PlannedCommand, PlannedFile, UninstallPlan } from './install-plan.js';
import { build } from 'plist';
import type { PlistDict } from './plist-validate.js';
import { serviceConfigFile } from './service-config.js';

export const LAUNCHD_AGENT_LABEL = 'dev.vigil.agent';
export const LAUNCHD_NOTIFY_LABEL = 'dev.vigil.notify';
export const DAEMON_PLIST_PATH = `/Library/LaunchDaemons/${LAUNCHD_AGENT_LABEL}.plist`;
export const AGENT_PLIST_PATH = `/Library/LaunchAgents/${LAUNCHD_NOTIFY_LABEL}.plist`;

/** A job plist as launchd reads it (launchd.plist(5)), written by the plist library (escaping included). */
function jobPlist(job: PlistDict): string {
  return build(job) + '\n';
}

function macPaths(ctx: InstallContext) {
  return {
    config: posix.join(ctx.configDir, 'vigil.toml'),
    db: posix.join(ctx.stateDir, 'alerts.db'),
    manifest: posix.join(ctx.configDir, 'install-manifest.json'),
  };
}

export function macosFiles(ctx: InstallContext): PlannedFile[] {
  const paths = macPaths(ctx);
  return [
    serviceConfigFile(paths.config, ctx.stateDir, paths.db, posix.join(ctx.packageRoot, 'config', 'vigil.toml')),
    {
      path: DAEMON_PLIST_PATH,
      // The agent, as root. KeepAlive restarts it whenever it exits; ThrottleInterval spaces the restarts.
      content: jobPlist({
        Label: LAUNCHD_AGENT_LABEL,
        ProgramArguments: [ctx.nodePath, ctx.cliPath, 'run', '--config', paths.config],
        EnvironmentVariables: { VIGIL_STATE_DIR: ctx.stateDir },
        WorkingDirectory: ctx.stateDir,
        RunAtLoad: true,
        KeepAlive: true,
        ThrottleInterval: 10,
        Umask: 0o027,
        ProcessType: 'Adaptive',
        StandardOutPath: posix.join(ctx.logsDir, 'agent.log'),
        StandardErrorPath: posix.join(ctx.logsDir, 'agent.log'),
      }),
      mode: 0o644,
      description: 'LaunchDaemon: the agent, as root, at boot, restarted when it exits',
    },
    {
      path: AGENT_PLIST_PATH,
      // Notifications in each user's GUI session; it reads the agent's alert database read-only.
      content: jobPlist({
        Label: LAUNCHD_NOTIFY_LABEL,
        ProgramArguments: [ctx.nodePath, ctx.cliPath, 'notify', '--db', paths.db],
        LimitLoadToSessionType: 'Aqua',
        RunAtLoad: true,
        KeepAlive: { SuccessfulExit: false },
        ThrottleInterval: 30,
        ProcessType: 'Interactive',
      }),
      mode: 0o644,
      description: 'LaunchAgent: desktop notifications in every GUI session',
    },
  ];
}

export function macosInstallPlan(ctx: InstallContext): InstallPlan {
  const gui = ctx.consoleUid === null ? null : `gui/${ctx.consoleUid}`;
  const before: PlannedCommand[] = [
    { argv: ['dseditgroup', '-o', 'create', '-r', 'Vigil alert readers', 'vigil'], description: 'create the vigil group (fails harmlessly when it exists)', optional: true },
  ];
  const after: PlannedCommand[] = [
    { argv: ['chown', '-R', 'root:vigil', ctx.stateDir, ctx.logsDir], description: 'let the vigil group read alerts and logs' },
    { argv: ['launchctl', 'bootstrap', 'system', DAEMON_PLIST_PATH], description: 'load and start the agent' },
    { argv: ['launchctl', 'enable', `system/${LAUNCHD_AGENT_LABEL}`], description: 'keep it enabled across reboots' },
  ];
  if (gui !== null) {
    after.push({ argv: ['launchctl', 'bootstrap', gui, AGENT_PLIST_PATH], description: 'start the notifier in the console user\'s session now (others get it at login)', optional: true });
  }
  return {
    platform: 'macos',
    before,
    dirs: [
      { path: ctx.stateDir, mode: 0o750, description: 'agent state: alerts.db, status.json' },
      { path: ctx.logsDir, mode: 0o750, description: 'agent log' },
    ],
    files: macosFiles(ctx),
    links: [],
    after,
    manifestPath: macPaths(ctx).manifest,
    notes: [
      'Grant Full Disk Access to the node binary (System Settings > Privacy & Security) so eslogger can run; without it the agent polls (ps + lsof).',
      'Desktop users read alerts through the vigil group: `dseditgroup -o edit -a USER -t user vigil`.',
    ],
  };
}

export function macosUninstallPlan(ctx: InstallContext): UninstallPlan {
  const before: PlannedCommand[] = [
    { argv: ['launchctl', 'bootout', `system/${LAUNCHD_AGENT_LABEL}`], description: 'stop and unload the agent', optional: true },
  ];
  if (ctx.consoleUid !== null) {
    before.push({ argv: ['launchctl', 'bootout', `gui/${ctx.consoleUid}/${LAUNCHD_NOTIFY_LABEL}`], description: 'stop the console user\'s notifier', optional: true });
  }
  const paths = macPaths(ctx);
  return {
    platform: 'macos',
    before,
    files: [paths.config, DAEMON_PLIST_PATH, AGENT_PLIST_PATH],
    links: [],
    after: [],
    manifestPath: paths.manifest,
    notes: [`Kept: ${ctx.stateDir} (alerts), ${ctx.logsDir} and the vigil group (\`dseditgroup -o delete vigil\`).`],
  };
}
