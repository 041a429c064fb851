import type { Command } from 'commander';

/** Placeholder: the `service` command is being built (see the issue that owns it). */
export function register(program: Command): void {
  program
    .command('service')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('vigil service: not built yet\n');
      process.exitCode = 2;
    });
}
