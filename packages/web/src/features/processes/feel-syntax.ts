import { parseExpression } from 'feelin';

/**
 * Where a FEEL expression stops being readable (0-based character), or null when it parses. feelin's parser does not
 * throw: it marks what it cannot read with error nodes, the same check the server makes before deploying.
 */
export function feelSyntaxError(expression: string): number | null {
  if (!expression.trim()) return null;
  let at: number | null = null;
  parseExpression(expression, {}, undefined).iterate({
    enter: (node) => {
      if (node.type.isError && at === null) at = node.from;
    },
  });
  return at;
}
