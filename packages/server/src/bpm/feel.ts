import { evaluate, parseExpression } from 'feelin';

/** Where a FEEL expression stops reading (0-based), or undefined when it parses: feelin marks what it cannot read with error nodes. */
export function feelErrorAt(expression: string): number | undefined {
  let at: number | undefined;
  parseExpression(expression, {}, undefined).iterate({
    enter: (node) => {
      if (node.type.isError && at === undefined) at = node.from;
    },
  });
  return at;
}

/** The value of an expression; throws with feelin's message when it cannot be evaluated. */
export function feelValue(expression: string, context: Record<string, unknown>): unknown {
  return evaluate(expression, context).value;
}

/** A condition holds only when it evaluates to true; an error or a non-boolean is false. */
export function feelHolds(expression: string, context: Record<string, unknown>): boolean {
  try {
    return evaluate(expression, context).value === true;
  } catch {
    return false;
  }
}
