import type { LiteralValue } from '../ast.js';

/** Static value types the checker reasons about; `any` is a field or anything not known before run time. */
export const VALUE_TYPES = ['string', 'number', 'boolean', 'null', 'any'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** What a function implementation may know when it is built, once per call site. */
export interface FunctionContext {
  /** Written `fn~(...)`. */
  readonly insensitive: boolean;
  /** Per argument: statically a double (a decimal literal or arithmetic over one), for long/double semantics. */
  readonly decimal: readonly boolean[];
  /** Per argument: its value when it is a literal (so patterns and CIDRs are compiled once), else undefined. */
  readonly constants: readonly (LiteralValue | undefined)[];
}

/** Evaluates one call. Arguments are scalars (the caller lifts a multi-valued first argument); null = missing. */
export type FunctionImpl = (args: readonly unknown[]) => unknown;

export interface FunctionSpec {
  /** Canonical spelling (names match case-insensitively). */
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Accepted type per argument position; the last entry covers any further arguments. */
  readonly argTypes: readonly ValueType[];
  readonly returns: ValueType;
  /** Accepts the `~` case-insensitive form. */
  readonly caseInsensitive: boolean;
  /** Arguments from this index on must be constants (patterns, CIDR blocks). */
  readonly constantFrom?: number;
  readonly make: (ctx: FunctionContext) => FunctionImpl;
}
