import { spawnSync } from 'node:child_process';

export interface CommandResult {
  readonly status: number | null;
  readonly output: string;
  readonly error?: string;
}

/** Runs one system command to completion (install steps are short); output captured for the report. */
export type CommandRunner = (argv: readonly string[]) => CommandResult;

export const runCommand: CommandRunner = (argv) => {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 60_000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  return r.error === undefined ? { status: r.status, output } : { status: r.status, output, error: r.error.message };
};
