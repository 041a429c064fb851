import v8 from 'node:v8';

/**
 * V8's linear-time regexp engine, switched on by a process's entry point (the CLI, the hunt parse workers,
 * tests and benches that compile rule regexes), never by a library module at import: V8 flags are
 * process-wide, and whoever embeds the EQL engine decides them.
 *
 * `--enable-experimental-regexp-engine-on-excessive-backtracks` makes V8 switch a match that backtracks too
 * much to the linear engine; `--enable-experimental-regexp-engine` lets us ask whether that engine can run a
 * pattern (the `l` flag). Both must be set before the RegExps are created (V8 decides a RegExp's backtrack
 * limit when it compiles it).
 *
 * Without them (the EQL engine embedded in a process that did not call this), `safeRegExp` accepts only the
 * patterns whose backtracking is bounded by the pattern itself and refuses the others at compile time.
 */
const FALLBACK_FLAG = '--enable-experimental-regexp-engine-on-excessive-backtracks';
const ENGINE_FLAG = '--enable-experimental-regexp-engine';

/** This thread called enableLinearRegexEngine, or the process was started with both flags. */
let fallback = startedWith(FALLBACK_FLAG) && startedWith(ENGINE_FLAG);

/** Sets both V8 flags for the process (idempotent). Call it at an entry point, before compiling rules. */
export function enableLinearRegexEngine(): void {
  if (fallback) return;
  v8.setFlagsFromString(FALLBACK_FLAG);
  v8.setFlagsFromString(ENGINE_FLAG);
  fallback = true;
}

/** V8 falls back to its linear engine on excessive backtracking, in this process (see above). */
export function linearRegexFallback(): boolean {
  return fallback;
}

function startedWith(flag: string): boolean {
  const words = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return words.some((w) => w === flag || w === flag.replace(/-/g, '_').replace(/^__/, '--'));
}
