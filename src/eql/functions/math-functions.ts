import type { FunctionContext, FunctionSpec } from './function-spec.js';

/**
 * Arithmetic with Elasticsearch's long/double split: two integral operands that are not statically doubles
 * divide as longs (truncating); any null operand gives null; division by zero gives null.
 */
export type ArithmeticKind = 'add' | 'subtract' | 'multiply' | 'divide' | 'modulo';

export function arithmetic(kind: ArithmeticKind, a: unknown, b: unknown, decimal: boolean): number | null {
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  switch (kind) {
    case 'add':
      return a + b;
    case 'subtract':
      return a - b;
    case 'multiply':
      return a * b;
    case 'divide':
      if (b === 0) return null;
      return !decimal && Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
    case 'modulo':
      if (b === 0) return null;
      return a % b;
  }
}

function spec(name: ArithmeticKind): FunctionSpec {
  return {
    name,
    minArgs: 2,
    maxArgs: 2,
    argTypes: ['number', 'number'],
    returns: 'number',
    caseInsensitive: false,
    make: (ctx: FunctionContext) => {
      const decimal = ctx.decimal.some(Boolean);
      return (args) => arithmetic(name, args[0], args[1], decimal);
    },
  };
}

export const MATH_FUNCTIONS: readonly FunctionSpec[] = [spec('add'), spec('subtract'), spec('multiply'), spec('divide'), spec('modulo')];
