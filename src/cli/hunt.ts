import type { Command } from 'commander';

/** Placeholder: the `hunt` command is being built (see the issue that owns it). */
export function register(program: Command): void {
  program
    .command('hunt')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('vigil hunt: not built yet\n');
      process.exitCode = 2;
    });
}
