import type { Command } from 'commander';
import { installCommand, uninstallCommand, type ServiceCommandOptions } from '../service/install-command.js';
import { packageRoot } from '../package-root.js';
import { VERSION } from './version.js';

function action(name: string, fn: typeof installCommand) {
  return (options: ServiceCommandOptions) => {
    try {
      process.exitCode = fn(options, { packageRoot, version: VERSION, out: (t) => process.stdout.write(t) });
    } catch (err) {
      process.stderr.write(`vigil ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  };
}

const withOptions = (c: Command) =>
  c
    .option('--dry-run', 'print every file and command; change nothing')
    .option('--root <dir>', 'write into a staging root (packaging, tests); run no system command')
    .option('--platform <platform>', 'linux | macos | windows (default: this machine; another only with --dry-run or --root)')
    .option('--notifier <kind>', 'Linux: systemd-user (default with systemctl) | xdg-autostart')
    .option('--node <path>', 'node binary the service runs (default: this one)');

/** `vigil install` and `vigil uninstall`: the background service (src/service/). */
export function register(program: Command): void {
  withOptions(program.command('install').description('install the agent as a background service, plus the per-user notifier'))
    .option('--no-verify', 'skip systemd-analyze verify of the generated units')
    .action(action('install', installCommand));
  withOptions(program.command('uninstall').description('remove what `vigil install` created (alerts and logs are kept)')).action(
    action('uninstall', uninstallCommand),
  );
}
