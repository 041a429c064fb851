import type { Command } from 'commander';

/** Placeholder: the `notify` command is being built (see the issue that owns it). */
export function register(program: Command): void {
  program
    .command('notify')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('vigil notify: not built yet\n');
      process.exitCode = 2;
    });
}
