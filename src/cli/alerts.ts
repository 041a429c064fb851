import type { Command } from 'commander';

/** Placeholder: the `alerts` command is being built (see the issue that owns it). */
export function register(program: Command): void {
  program
    .command('alerts')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('vigil alerts: not built yet\n');
      process.exitCode = 2;
    });
}
