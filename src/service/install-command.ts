import { installContext, hostPlatform, NOTIFIER_KINDS, type NotifierKind } from './install-context.js';
import { SERVICE_PLATFORMS, type InstallPlan, type ServicePlatform } from './install-plan.js';
import { SERVICE_PLANNERS } from './service-planner.js';
import { executeInstall, executeUninstall } from './plan-executor.js';
import { formatInstallPlan, formatUninstallPlan } from './plan-printer.js';
import { verifySystemdUnits, type VerifyResult } from './systemd-verify.js';
import { runCommand, type CommandRunner } from './command-runner.js';
import { ServiceError } from './service-error.js';
import { resolve } from 'node:path';
import { launchdJobProblems, parsePlist } from './plist-validate.js';
import { formatTrustProblems, untrustedPaths } from './install-trust.js';

export interface ServiceCommandOptions {
  readonly dryRun?: boolean;
  readonly root?: string;
  readonly platform?: string;
  readonly notifier?: string;
  readonly node?: string;
  /** systemd-analyze verify before writing (Linux; default true). */
  readonly verify?: boolean;
}

export interface ServiceCommandEnv {
  readonly packageRoot: string;
  readonly version: string;
  readonly out: (text: string) => void;
  readonly run?: CommandRunner;
  readonly uid?: number | null;
}

function parsePlatform(p: string | undefined): ServicePlatform | undefined {
  if (p === undefined) return undefined;
  if (!(SERVICE_PLATFORMS as readonly string[]).includes(p)) throw new ServiceError('SVC_UNSUPPORTED_PLATFORM', `--platform ${p}: expected one of ${SERVICE_PLATFORMS.join(', ')}`);
  return p as ServicePlatform;
}

function parseNotifier(n: string | undefined): NotifierKind | undefined {
  if (n === undefined) return undefined;
  if (!(NOTIFIER_KINDS as readonly string[]).includes(n)) throw new ServiceError('SVC_UNSUPPORTED_PLATFORM', `--notifier ${n}: expected one of ${NOTIFIER_KINDS.join(', ')}`);
  return n as NotifierKind;
}

/** Live changes need the platform to be this machine's, and root (Linux, macOS). */
function checkLive(platform: ServicePlatform, uid: number | null): void {
  const host = hostPlatform();
  if (platform !== host) throw new ServiceError('SVC_UNSUPPORTED_PLATFORM', `cannot install a ${platform} service on ${host ?? process.platform}; use --dry-run or --root DIR`);
  if (platform !== 'windows' && uid !== 0) throw new ServiceError('SVC_NOT_PRIVILEGED', 'installing a system service needs root (try sudo), or use --dry-run / --root DIR');
}

export function verifyPlanUnits(plan: InstallPlan): VerifyResult | null {
  const units = plan.files.filter((f) => f.path.endsWith('.service') && typeof f.content === 'string');
  if (units.length === 0) return null;
  return verifySystemdUnits(units.map((f) => ({ name: f.path, content: f.content as string, user: f.path.includes('/systemd/user/') })));
}

/** Every plist of the plan parsed and held to what launchd needs (plutil does not exist off macOS). */
export function plistProblems(plan: InstallPlan): string[] {
  const problems: string[] = [];
  for (const f of plan.files) {
    if (!f.path.endsWith('.plist') || typeof f.content !== 'string') continue;
    try {
      const parsed = parsePlist(f.content);
      for (const p of parsed.problems) problems.push(`${f.path}: ${p}`);
      for (const p of launchdJobProblems(parsed.value)) problems.push(`${f.path}: ${p}`);
    } catch (err) {
      problems.push(`${f.path}: ${(err as Error).message}`);
    }
  }
  return problems;
}

function context(options: ServiceCommandOptions, env: ServiceCommandEnv) {
  const platform = parsePlatform(options.platform);
  const notifier = parseNotifier(options.notifier);
  return installContext({
    packageRoot: env.packageRoot,
    ...(platform !== undefined ? { platform } : {}),
    ...(notifier !== undefined ? { notifier } : {}),
    ...(options.node !== undefined ? { nodePath: resolve(options.node) } : {}),
  });
}

/** `vigil install`: returns the exit code (0 done, 1 failed). */
export function installCommand(options: ServiceCommandOptions, env: ServiceCommandEnv): number {
  const ctx = context(options, env);
  const root = options.root === undefined ? null : resolve(options.root);
  const plan = SERVICE_PLANNERS[ctx.platform].install(ctx);
  if (options.verify !== false && ctx.platform === 'linux') {
    const v = verifyPlanUnits(plan);
    if (v !== null && !v.available) env.out('warning: systemd-analyze not found; units not verified\n');
    else if (v !== null) {
      env.out(`${v.ok ? 'verified' : 'VERIFY FAILED'}: ${v.commands.join('; ')}\n${v.diagnostics.map((d) => `  ${d}\n`).join('')}`);
      if (!v.ok && options.dryRun !== true) throw new ServiceError('SVC_VERIFY_FAILED', 'systemd-analyze verify rejected the generated units (see above)');
    }
  }
  const plists = plistProblems(plan);
  if (plists.length > 0) throw new ServiceError('SVC_VERIFY_FAILED', `generated plists are invalid: ${plists.join('; ')}`);
  const uid = env.uid ?? process.getuid?.() ?? null;
  // The service runs the package and node as root: refuse what a non-root user could change (a dry run, or
  // a staging run by a non-root user, only warns).
  const untrusted = ctx.platform !== 'windows' && ctx.platform === hostPlatform() ? untrustedPaths(ctx) : [];
  if (untrusted.length > 0) {
    const what = `the service would run as root code that a non-root user can change:\n${formatTrustProblems(untrusted)}\n(install Vigil and node where only root can write, e.g. a root-owned copy under /usr/local or /opt)`;
    if (options.dryRun === true || uid !== 0) env.out(`warning: ${options.dryRun === true ? 'install would refuse: ' : ''}${what}\n`);
    else throw new ServiceError('SVC_UNSAFE_PATH', what);
  }
  if (options.dryRun === true) {
    env.out(formatInstallPlan(plan, root));
    return 0;
  }
  if (root === null) checkLive(ctx.platform, uid);
  executeInstall(plan, { root, version: env.version, run: env.run ?? runCommand, out: (l) => env.out(l + '\n') });
  env.out(root === null ? 'installed\n' : `installed into ${root}\n`);
  return 0;
}

export function uninstallCommand(options: ServiceCommandOptions, env: ServiceCommandEnv): number {
  const ctx = context(options, env);
  const root = options.root === undefined ? null : resolve(options.root);
  const plan = SERVICE_PLANNERS[ctx.platform].uninstall(ctx);
  if (options.dryRun === true) {
    env.out(formatUninstallPlan(plan, root));
    return 0;
  }
  if (root === null) checkLive(ctx.platform, env.uid ?? process.getuid?.() ?? null);
  executeUninstall(plan, { root, version: env.version, run: env.run ?? runCommand, out: (l) => env.out(l + '\n') });
  env.out(root === null ? 'uninstalled\n' : `uninstalled from ${root}\n`);
  return 0;
}
