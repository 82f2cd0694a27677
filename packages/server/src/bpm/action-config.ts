import { feelErrorAt, feelValue } from './feel.js';

/**
 * FEEL inside a service task's action config: a text or value setting that starts with "=" is an expression over the
 * instance's variables and linked record, evaluated when the task runs (e.g. `"title": "=\"Call \" + deal.title"`,
 * `"value": "=deal.amount * 2"`). Only the settings a robot fills from the deal (texts with {{placeholders}}, a field's
 * value) take expressions; ids, choices and numbers stay literal, so the library's deploy checks still see them.
 */

/** Text settings: the result is written as text. */
const TEXT_SETTINGS = new Set(['title', 'description', 'subject', 'message', 'body']);
/** Value settings: the result keeps its type (number, boolean, text, null). */
const VALUE_SETTINGS = new Set(['value']);

function expressions(config: unknown): { key: string; expression: string }[] {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return [];
  return Object.entries(config as Record<string, unknown>)
    .filter(([key, value]) => (TEXT_SETTINGS.has(key) || VALUE_SETTINGS.has(key)) && typeof value === 'string' && value.startsWith('='))
    .map(([key, value]) => ({ key, expression: (value as string).slice(1) }));
}

/** Syntax errors of the config's expressions, as paths inside the config. */
export function configFeelErrors(config: unknown): { path: string; message: string }[] {
  return expressions(config).flatMap(({ key, expression }) => {
    const at = feelErrorAt(expression);
    return at === undefined ? [] : [{ path: `/${key}`, message: `not a FEEL expression: error at character ${at + 1}` }];
  });
}

/** The config with its expressions replaced by their values; throws naming the setting when one cannot be evaluated. */
export function evaluateConfig(config: unknown, values: Record<string, unknown>): unknown {
  const found = expressions(config);
  if (found.length === 0) return config;
  const evaluated: Record<string, unknown> = { ...(config as Record<string, unknown>) };
  for (const { key, expression } of found) {
    let value: unknown;
    try {
      value = feelValue(expression, values);
    } catch (error) {
      throw new Error(`the expression of ${key} failed: ${(error as Error).message}`);
    }
    if (value === undefined) value = null;
    if (TEXT_SETTINGS.has(key)) evaluated[key] = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    else if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') evaluated[key] = value;
    else throw new Error(`the expression of ${key} gave ${JSON.stringify(value)}, not a number, text, yes/no or null`);
  }
  return evaluated;
}
