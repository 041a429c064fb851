import type { Command } from 'commander';

/** Placeholder: the `rules` command is being built (see the issue that owns it). */
export function register(program: Command): void {
  program
    .command('rules')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('vigil rules: not built yet\n');
      process.exitCode = 2;
    });
}
