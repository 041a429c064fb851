import type { Command } from 'commander';
import { installCommand, uninstallCommand, type ServiceCommandOptions } from '../service/install-command.js';
import { NOTIFIER_KINDS } from '../service/install-context.js';
import { SERVICE_PLATFORMS } from '../service/install-plan.js';
import { choiceOption } from './cli-options.js';
import { printError, terminalText } from './terminal-text.js';
import { packageRoot } from '../package-root.js';
import { VERSION } from './version.js';

function action(name: string, fn: typeof installCommand) {
  return (options: ServiceCommandOptions) => {
    try {
      process.exitCode = fn(options, { packageRoot, version: VERSION, out: (t) => process.stdout.write(terminalText(t)) });
    } catch (err) {
      printError(name, err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    }
  };
}

/** Help texts that differ between install and uninstall (the options are the same). */
interface OptionHelp {
  readonly dryRun: string;
  readonly root: string;
  readonly notifier: string;
  readonly node: string;
}

const INSTALL_HELP: OptionHelp = {
  dryRun: 'print every file and command; change nothing',
  root: 'write into a staging root (packaging, tests); run no system command',
  notifier: 'Linux: the per-user notifier (default: systemd-user with systemctl)',
  node: 'node binary the service runs (default: this one)',
};

const UNINSTALL_HELP: OptionHelp = {
  dryRun: 'print what would be removed and every command; change nothing',
  root: 'remove from a staging root written by `install --root`; run no system command',
  notifier: 'ignored: uninstall removes what the install manifest lists',
  node: 'ignored: uninstall removes what the install manifest lists',
};

const withOptions = (c: Command, help: OptionHelp) =>
  c
    .option('--dry-run', help.dryRun)
    .option('--root <dir>', help.root)
    .addOption(choiceOption('--platform <platform>', 'default: this machine; another only with --dry-run or --root', SERVICE_PLATFORMS))
    .addOption(choiceOption('--notifier <kind>', help.notifier, NOTIFIER_KINDS))
    .option('--node <path>', help.node);

/** `vigil install` and `vigil uninstall`: the background service (src/service/). */
export function register(program: Command): void {
  withOptions(program.command('install').description('install the agent as a background service, plus the per-user notifier'), INSTALL_HELP)
    .option('--no-verify', 'skip systemd-analyze verify of the generated units')
    .action(action('install', installCommand));
  withOptions(program.command('uninstall').description('remove what `vigil install` created (alerts and logs are kept)'), UNINSTALL_HELP).action(
    action('uninstall', uninstallCommand),
  );
}
