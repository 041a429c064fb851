import { win32 } from 'node:path';
import type { InstallContext } from './install-context.js';
import type { InstallPlan, PlannedCommand, PlannedFile, UninstallPlan } from './install-plan.js';
import { renderTemplateFile } from './render-template.js';
import { windowsCommand, xmlEscape } from './command-quote.js';
import { serviceConfigFile } from './service-config.js';

export const WINDOWS_SERVICE = 'Vigil';
export const WINDOWS_TASK = 'Vigil\\Notify';
export const WINDOWS_GROUP = 'VigilReaders';

/**
 * node.exe does not speak the Service Control Manager protocol (SCM would kill it after 30 s, error 1053), so
 * the service runs a small wrapper, vigil-service.exe (config/windows/vigil-service.c), that reports to SCM,
 * starts `node main.js run` in a job object, stops it on SERVICE_CONTROL_STOP, and exits non-zero when node
 * dies so that the `sc.exe failure` actions restart it. It is cross-built by windows-wrapper-build.ts.
 */
export function windowsWrapperPath(ctx: InstallContext): string {
  return win32.join(ctx.packageRoot, 'dist', 'src', 'service', 'vigil-service.exe');
}

function winPaths(ctx: InstallContext) {
  return {
    config: win32.join(ctx.configDir, 'vigil.toml'),
    db: win32.join(ctx.stateDir, 'alerts.db'),
    task: win32.join(ctx.configDir, 'vigil-notify-task.xml'),
    manifest: win32.join(ctx.configDir, 'install-manifest.json'),
  };
}

/** The task XML as schtasks expects it: UTF-16LE with a byte order mark. */
export function utf16le(text: string): Uint8Array {
  const body = Buffer.from(text, 'utf16le');
  return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), body]));
}

export function windowsFiles(ctx: InstallContext): PlannedFile[] {
  const paths = winPaths(ctx);
  const taskXml = renderTemplateFile(ctx.templateRoot, 'windows/vigil-notify-task.xml.in', {
    taskName: xmlEscape('\\' + WINDOWS_TASK),
    command: xmlEscape(ctx.nodePath),
    arguments: xmlEscape(windowsCommand([ctx.cliPath, 'notify', '--db', paths.db])),
  });
  return [
    serviceConfigFile(paths.config, ctx.stateDir, paths.db, win32.join(ctx.packageRoot, 'config', 'vigil.toml')),
    { path: paths.task, content: utf16le(taskXml), mode: 0o644, description: 'logon task definition (UTF-16LE XML) for the notifier' },
  ];
}

/** The exact command lines, as argv arrays (shown joined with Windows quoting by --dry-run). */
export function windowsInstallCommands(ctx: InstallContext): PlannedCommand[] {
  const paths = winPaths(ctx);
  const wrapper = [windowsWrapperPath(ctx), '--name', WINDOWS_SERVICE, '--log', win32.join(ctx.logsDir, 'agent.log'), '--state-dir', ctx.stateDir, '--'];
  const binPath = windowsCommand([...wrapper, ctx.nodePath, ctx.cliPath, 'run', '--config', paths.config]);
  return [
    {
      argv: ['icacls', ctx.stateDir, '/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F', `${WINDOWS_GROUP}:(OI)(CI)RX`],
      description: 'state dir: full control for SYSTEM and Administrators, read for VigilReaders only',
    },
    {
      argv: ['sc.exe', 'create', WINDOWS_SERVICE, 'binPath=', binPath, 'start=', 'auto', 'obj=', 'LocalSystem', 'DisplayName=', 'Vigil endpoint detection agent'],
      description: 'register the agent service (starts at boot)',
    },
    {
      argv: ['sc.exe', 'description', WINDOWS_SERVICE, 'Vigil: live endpoint detection with Elastic EQL rules; alerts in ' + paths.db],
      description: 'describe it',
    },
    {
      argv: ['sc.exe', 'failure', WINDOWS_SERVICE, 'reset=', '86400', 'actions=', 'restart/5000/restart/10000/restart/60000'],
      description: 'restart after 5 s, 10 s, then every 60 s; the failure count resets after a day',
    },
    { argv: ['sc.exe', 'failureflag', WINDOWS_SERVICE, '1'], description: 'also restart when it stops with a non-zero exit code' },
    { argv: ['sc.exe', 'start', WINDOWS_SERVICE], description: 'start it now', optional: true },
    { argv: ['schtasks', '/Create', '/TN', WINDOWS_TASK, '/XML', paths.task, '/F'], description: 'notifier at every user logon (ONLOGON trigger, BUILTIN\\Users, not elevated)' },
  ];
}

export function windowsInstallPlan(ctx: InstallContext): InstallPlan {
  return {
    platform: 'windows',
    before: [
      { argv: ['net', 'localgroup', WINDOWS_GROUP, '/add', '/comment:Readers of Vigil alerts'], description: 'create the readers group (fails harmlessly when it exists)', optional: true },
    ],
    dirs: [
      { path: ctx.stateDir, mode: 0o750, description: 'agent state: alerts.db, status.json, config' },
      { path: ctx.logsDir, mode: 0o750, description: 'agent logs' },
    ],
    files: windowsFiles(ctx),
    links: [],
    after: windowsInstallCommands(ctx),
    manifestPath: winPaths(ctx).manifest,
    notes: [`Desktop users read alerts through ${WINDOWS_GROUP}: \`net localgroup ${WINDOWS_GROUP} USER /add\`.`],
  };
}

export function windowsUninstallPlan(ctx: InstallContext): UninstallPlan {
  const paths = winPaths(ctx);
  return {
    platform: 'windows',
    before: [
      { argv: ['sc.exe', 'stop', WINDOWS_SERVICE], description: 'stop the agent', optional: true },
      { argv: ['sc.exe', 'delete', WINDOWS_SERVICE], description: 'unregister the service', optional: true },
      { argv: ['schtasks', '/Delete', '/TN', WINDOWS_TASK, '/F'], description: 'remove the logon task', optional: true },
    ],
    files: [paths.config, paths.task],
    links: [],
    after: [],
    manifestPath: paths.manifest,
    notes: [`Kept: ${ctx.stateDir} (alerts) and the ${WINDOWS_GROUP} group (\`net localgroup ${WINDOWS_GROUP} /delete\`).`],
  };
}
