import { InvalidArgumentError, Option } from 'commander';

/**
 * Option parsing shared by every command: values are checked by commander (`choices`, `argParser` throwing
 * InvalidArgumentError), so every usage error reads `error: option '--x <n>' argument 'y' is invalid. ...`
 * and exits 2 (main.ts). A usage error found later, in an action (a bad EQL query, a rule path that does not
 * exist), is a UsageError: the command prints it and exits 2 too.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The exit code for an error raised by an action: 2 for usage errors, 1 for everything else. */
export const USAGE_EXIT = 2;

/** An option whose value is one of `values` (listed in --help). */
export function choiceOption(flags: string, description: string, values: readonly string[], defaultValue?: string): Option {
  const option = new Option(flags, description).choices(values);
  return defaultValue === undefined ? option : option.default(defaultValue);
}

/** Integer >= `min` (0 or 1). */
export function integerArg(min: 0 | 1): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(min === 1 ? 'expected a positive integer.' : 'expected an integer >= 0.');
    }
    return n;
  };
}

/** A finite number > 0 (seconds, milliseconds). */
export function positiveNumberArg(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number.');
  return n;
}

/** Runs a parser that throws plain Errors (parseSince) as an argParser. */
export function argFrom<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (err) {
      throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
    }
  };
}
