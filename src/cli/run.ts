import type { Command } from 'commander';

/** Placeholder: the `run` command is being built (see the issue that owns it). */
export function register(program: Command): void {
  program
    .command('run')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('vigil run: not built yet\n');
      process.exitCode = 2;
    });
}
