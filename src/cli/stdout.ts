let pipeGuard = false;

/** Writes to stdout; a closed pipe (`| head`) ends the command quietly instead of crashing it. */
export function out(s: string): boolean {
  if (!pipeGuard) {
    pipeGuard = true;
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
  return process.stdout.write(s);
}

/** The width tables and trees are fitted to: the terminal's, else $COLUMNS, else 120. */
export const terminalWidth = (): number => process.stdout.columns ?? (Number(process.env.COLUMNS) || 120);
