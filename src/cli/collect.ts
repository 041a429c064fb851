import type { Command } from 'commander';

/** Placeholder: the `collect` command is being built (see the issue that owns it). */
export function register(program: Command): void {
  program
    .command('collect')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('vigil collect: not built yet\n');
      process.exitCode = 2;
    });
}
