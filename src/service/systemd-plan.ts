import { join } from 'node:path';
import type { InstallContext } from './install-context.js';
import type { InstallPlan, PlannedCommand, PlannedFile, PlannedLink, UninstallPlan } from './install-plan.js';
import { renderTemplateFile } from './render-template.js';
import { desktopCommand, systemdCommand } from './command-quote.js';
import { serviceConfigFile } from './service-config.js';

export const SYSTEMD_UNIT = 'vigil.service';
export const SYSTEMD_USER_UNIT = 'vigil-notify.service';
export const SYSTEM_UNIT_PATH = `/etc/systemd/system/${SYSTEMD_UNIT}`;
export const USER_UNIT_PATH = `/etc/systemd/user/${SYSTEMD_USER_UNIT}`;
export const AUTOSTART_PATH = '/etc/xdg/autostart/vigil-notify.desktop';
export const SERVICE_GROUP = 'vigil';

function linuxPaths(ctx: InstallContext) {
  return {
    config: join(ctx.configDir, 'vigil.toml'),
    db: join(ctx.stateDir, 'alerts.db'),
    manifest: join(ctx.configDir, 'install-manifest.json'),
  };
}

/** The two units (and the config) with this install's paths; exported for `systemd-analyze verify`. */
export function linuxFiles(ctx: InstallContext): PlannedFile[] {
  const paths = linuxPaths(ctx);
  const docs = join(ctx.packageRoot, 'README.md');
  const agentArgv = [ctx.nodePath, ctx.cliPath, 'run', '--config', paths.config];
  const notifyArgv = [ctx.nodePath, ctx.cliPath, 'notify', '--db', paths.db];
  const files: PlannedFile[] = [
    serviceConfigFile(paths.config, ctx.stateDir, paths.db, join(ctx.packageRoot, 'config', 'vigil.toml')),
    {
      path: SYSTEM_UNIT_PATH,
      content: renderTemplateFile(ctx.templateRoot, 'systemd/vigil.service.in', { docs, execStart: systemdCommand(agentArgv) }),
      mode: 0o644,
      description: 'systemd system unit: the agent',
    },
  ];
  if (ctx.notifier === 'systemd-user') {
    files.push({
      path: USER_UNIT_PATH,
      content: renderTemplateFile(ctx.templateRoot, 'systemd/vigil-notify.service.in', { docs, execStart: systemdCommand(notifyArgv) }),
      mode: 0o644,
      description: 'systemd user unit: desktop notifications, enabled for every user',
    });
  } else {
    files.push({
      path: AUTOSTART_PATH,
      content: renderTemplateFile(ctx.templateRoot, 'systemd/vigil-notify.desktop.in', { exec: desktopCommand(notifyArgv) }),
      mode: 0o644,
      description: 'XDG autostart entry: desktop notifications in every graphical session',
    });
  }
  return files;
}

function linuxLinks(ctx: InstallContext): PlannedLink[] {
  const links: PlannedLink[] = [
    {
      path: `/etc/systemd/system/multi-user.target.wants/${SYSTEMD_UNIT}`,
      target: SYSTEM_UNIT_PATH,
      description: 'enables the agent at boot (systemctl enable)',
    },
  ];
  if (ctx.notifier === 'systemd-user') {
    links.push({
      path: `/etc/systemd/user/graphical-session.target.wants/${SYSTEMD_USER_UNIT}`,
      target: USER_UNIT_PATH,
      description: 'enables the notifier in every graphical session (systemctl --global enable)',
    });
  }
  return links;
}

export function linuxInstallPlan(ctx: InstallContext): InstallPlan {
  const before: PlannedCommand[] = [];
  if (!ctx.groupExists) {
    before.push({ argv: ['groupadd', '--system', SERVICE_GROUP], description: `create the ${SERVICE_GROUP} group (readers of the alert database)` });
  }
  const after: PlannedCommand[] = [];
  if (ctx.systemdRunning) after.push({ argv: ['systemctl', 'daemon-reload'], description: 'load the new units' });
  after.push({ argv: ['systemctl', 'enable', SYSTEMD_UNIT], description: 'start the agent at boot' });
  if (ctx.notifier === 'systemd-user') {
    after.push({ argv: ['systemctl', '--global', 'enable', SYSTEMD_USER_UNIT], description: 'start the notifier in every user session' });
  }
  if (ctx.systemdRunning) after.push({ argv: ['systemctl', 'restart', SYSTEMD_UNIT], description: 'start the agent now' });
  const notes = [
    `Desktop users read alerts through the ${SERVICE_GROUP} group: \`usermod -aG ${SERVICE_GROUP} USER\`, then log in again.`,
    `Alerts: ${linuxPaths(ctx).db}; status: \`vigil status\`; logs: \`journalctl -u ${SYSTEMD_UNIT}\`.`,
  ];
  const hidden = [ctx.nodePath, ctx.packageRoot].filter((p) => /^\/(tmp|var\/tmp|dev\/shm)(\/|$)/.test(p));
  if (hidden.length > 0) notes.push(`WARNING: ${hidden.join(', ')} is under a temporary directory, which PrivateTmp= hides from the service: install Vigil elsewhere.`);
  if (!ctx.systemdRunning) notes.push('systemd is not running here (not PID 1): the units are installed and enabled, and start at the next boot.');
  return {
    platform: 'linux',
    before,
    dirs: [],
    files: linuxFiles(ctx),
    links: linuxLinks(ctx),
    after,
    manifestPath: linuxPaths(ctx).manifest,
    notes,
  };
}

export function linuxUninstallPlan(ctx: InstallContext): UninstallPlan {
  const before: PlannedCommand[] = [
    { argv: ['systemctl', 'disable', ...(ctx.systemdRunning ? ['--now'] : []), SYSTEMD_UNIT], description: 'stop the agent and disable it', optional: true },
    { argv: ['systemctl', '--global', 'disable', SYSTEMD_USER_UNIT], description: 'disable the notifier', optional: true },
  ];
  const after: PlannedCommand[] = ctx.systemdRunning ? [{ argv: ['systemctl', 'daemon-reload'], description: 'forget the removed units', optional: true }] : [];
  const paths = linuxPaths(ctx);
  return {
    platform: 'linux',
    before,
    files: [paths.config, SYSTEM_UNIT_PATH, USER_UNIT_PATH, AUTOSTART_PATH],
    links: [
      `/etc/systemd/system/multi-user.target.wants/${SYSTEMD_UNIT}`,
      `/etc/systemd/user/graphical-session.target.wants/${SYSTEMD_USER_UNIT}`,
    ],
    after,
    manifestPath: paths.manifest,
    notes: [`Kept: ${ctx.stateDir} (alerts), ${ctx.logsDir} and the ${SERVICE_GROUP} group; remove them with \`rm -r ${ctx.stateDir} ${ctx.logsDir}; groupdel ${SERVICE_GROUP}\`.`],
  };
}
