import type { ToolRunner } from './run-tool.js';

/** `lsof -w -nP -a -d cwd [-p PIDS] -F pn0`: each process's current directory. */
export const LSOF_CWD_ARGS = ['-w', '-nP', '-a', '-d', 'cwd', '-F', 'pn0'] as const;

/** Pids per lsof run (keeps the command line short). */
const PIDS_PER_RUN = 256;

/** Parses `-F pn` output (NUL- or newline-terminated fields): pid -> the `n` of its cwd file. */
export function parseLsofCwd(text: string): Map<number, string> {
  const out = new Map<number, string>();
  let pid: number | undefined;
  for (const field of text.split(/[\0\n]/)) {
    if (field.startsWith('p')) pid = /^\d+$/.test(field.slice(1)) ? Number(field.slice(1)) : undefined;
    else if (field.startsWith('n') && pid !== undefined && !out.has(pid)) out.set(pid, field.slice(1));
  }
  return out;
}

/**
 * Current directories of `pids` (all processes when undefined). Processes already gone, or that lsof may not
 * read (another user's, unprivileged), are simply absent. lsof exits 1 when some pid matched nothing.
 */
export async function readCwds(runner: ToolRunner, lsofPath: string, pids: readonly number[] | undefined): Promise<Map<number, string>> {
  if (pids === undefined) return parseLsofCwd(await runner.run(lsofPath, LSOF_CWD_ARGS, { okExitCodes: [0, 1] }));
  const out = new Map<number, string>();
  for (let i = 0; i < pids.length; i += PIDS_PER_RUN) {
    const batch = pids.slice(i, i + PIDS_PER_RUN);
    const text = await runner.run(lsofPath, [...LSOF_CWD_ARGS, '-p', batch.join(',')], { okExitCodes: [0, 1] });
    for (const [pid, cwd] of parseLsofCwd(text)) out.set(pid, cwd);
  }
  return out;
}
