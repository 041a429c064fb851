import type { Command } from 'commander';

/** Placeholder: the `doctor` command is being built (see the issue that owns it). */
export function register(program: Command): void {
  program
    .command('doctor')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('vigil doctor: not built yet\n');
      process.exitCode = 2;
    });
}
