import { parse, type PlistValue } from 'plist';

export type { PlistValue };
export type PlistDict = { [key: string]: PlistValue };

/** A <dict> (not an array, date or data). */
export function isPlistDict(v: PlistValue | null | undefined): v is PlistDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);
}

/**
 * Parses an XML property list with the plist library (well-formedness and the plist grammar); `problems` says
 * why the text is not one (the value is then null).
 */
export function parsePlist(text: string): { value: PlistValue | null; problems: string[] } {
  try {
    return { value: parse(text), problems: [] };
  } catch (err) {
    return { value: null, problems: [err instanceof Error ? err.message : String(err)] };
  }
}

/**
 * What launchd needs of a job plist (launchd.plist(5)): a Label string; ProgramArguments, a non-empty array of
 * strings whose first is an absolute path (or Program); booleans where launchd takes booleans. Returns the
 * problems (empty when valid).
 */
export function launchdJobProblems(job: PlistValue | null): string[] {
  if (!isPlistDict(job)) return ['top level is not a <dict>'];
  const problems: string[] = [];
  if (typeof job.Label !== 'string' || job.Label === '') problems.push('Label must be a non-empty string');
  const args = job.ProgramArguments;
  if (args === undefined && typeof job.Program !== 'string') problems.push('ProgramArguments or Program is required');
  if (args !== undefined) {
    if (!Array.isArray(args) || args.length === 0 || !args.every((a) => typeof a === 'string')) problems.push('ProgramArguments must be a non-empty array of strings');
    else if (!(args[0] as string).startsWith('/')) problems.push('ProgramArguments[0] must be an absolute path');
  }
  for (const key of ['RunAtLoad', 'Disabled']) if (key in job && typeof job[key] !== 'boolean') problems.push(`${key} must be a boolean`);
  const keepAlive = job.KeepAlive;
  if (keepAlive !== undefined && typeof keepAlive !== 'boolean' && !isPlistDict(keepAlive)) problems.push('KeepAlive must be a boolean or a dict');
  for (const key of ['ThrottleInterval', 'Umask']) if (key in job && typeof job[key] !== 'number') problems.push(`${key} must be an integer`);
  for (const key of ['StandardOutPath', 'StandardErrorPath', 'WorkingDirectory']) if (key in job && (typeof job[key] !== 'string' || !(job[key] as string).startsWith('/'))) problems.push(`${key} must be an absolute path`);
  return problems;
}
