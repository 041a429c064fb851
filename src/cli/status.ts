import type { Command } from 'commander';

/** Placeholder: the `status` command is being built (see the issue that owns it). */
export function register(program: Command): void {
  program
    .command('status')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('vigil status: not built yet\n');
      process.exitCode = 2;
    });
}
