import type { InstallContext } from './install-context.js';
import type { InstallPlan, ServicePlatform, UninstallPlan } from './install-plan.js';
import { linuxInstallPlan, linuxUninstallPlan } from './systemd-plan.js';
import { macosInstallPlan, macosUninstallPlan } from './launchd-plan.js';
import { windowsInstallPlan, windowsUninstallPlan } from './windows-plan.js';

interface Planner {
  readonly install: (ctx: InstallContext) => InstallPlan;
  readonly uninstall: (ctx: InstallContext) => UninstallPlan;
}

/** One planner per platform (a missing platform fails to compile). */
export const SERVICE_PLANNERS: Readonly<Record<ServicePlatform, Planner>> = {
  linux: { install: linuxInstallPlan, uninstall: linuxUninstallPlan },
  macos: { install: macosInstallPlan, uninstall: macosUninstallPlan },
  windows: { install: windowsInstallPlan, uninstall: windowsUninstallPlan },
};
