/**
 * How the designer's fields map to the `rapport:` extension attributes (see packages/shared/src/bpm.ts): pure
 * conversions, so the properties panel only reads and writes through bpmn-js's modeling API.
 */

export const DUE_UNITS = ['minutes', 'hours', 'days', 'weeks'] as const;
export type DueUnit = (typeof DUE_UNITS)[number];
export interface Due {
  amount: number;
  unit: DueUnit;
}

/** An amount and unit as an ISO 8601 duration: 2 hours → PT2H, 1 day → P1D. */
export function durationOf(due: Due): string {
  switch (due.unit) {
    case 'minutes':
      return `PT${due.amount}M`;
    case 'hours':
      return `PT${due.amount}H`;
    case 'days':
      return `P${due.amount}D`;
    case 'weeks':
      return `P${due.amount}W`;
  }
}

/** The amount and unit of a one-unit ISO 8601 duration; null for anything else (P1DT2H is kept as it is, as text). */
export function dueOf(duration: string | undefined): Due | null {
  const match = /^P(?:(\d+)([DW])|T(\d+)([HM]))$/.exec(duration?.trim() ?? '');
  if (!match) return null;
  if (match[1]) return { amount: Number(match[1]), unit: match[2] === 'D' ? 'days' : 'weeks' };
  return { amount: Number(match[3]), unit: match[4] === 'H' ? 'hours' : 'minutes' };
}

/** Whether a text is an ISO 8601 duration (P3D, PT1H30M, P1Y2M). */
export function isDuration(text: string): boolean {
  return /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(text.trim());
}

/** Whether a text is an ISO 8601 date-time with its offset (2026-12-01T09:00:00Z). */
export function isDateTime(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text.trim()) && !Number.isNaN(Date.parse(text.trim()));
}

/** Whether a text is an ISO 8601 repeating interval (R/P1W, R3/PT10M, R/2026-12-07T09:00:00Z/P1W). */
export function isCycle(text: string): boolean {
  const parts = text.trim().split('/');
  if (!/^R\d*$/.test(parts[0] ?? '') || parts.length < 2 || parts.length > 3) return false;
  const rest = parts.slice(1);
  return rest.some(isDuration) && rest.every((part) => isDuration(part) || isDateTime(part));
}

export const ASSIGNEE_KINDS = ['owner', 'user', 'role', 'expression'] as const;
export type AssigneeKind = (typeof ASSIGNEE_KINDS)[number];
export interface Assignee {
  kind: AssigneeKind;
  /** The user's or role's id, or the FEEL expression. */
  value: string;
}

/** `owner`, `user:<id>`, `role:<id>`, `=<FEEL>` → kind and value; an empty attribute reads as the record's owner. */
export function assigneeOf(attribute: string | undefined): Assignee {
  const text = attribute ?? '';
  if (text.startsWith('=')) return { kind: 'expression', value: text.slice(1) };
  if (text.startsWith('user:')) return { kind: 'user', value: text.slice(5) };
  if (text.startsWith('role:')) return { kind: 'role', value: text.slice(5) };
  return { kind: 'owner', value: '' };
}

export function assigneeAttribute(assignee: Assignee): string {
  switch (assignee.kind) {
    case 'owner':
      return 'owner';
    case 'user':
      return `user:${assignee.value}`;
    case 'role':
      return `role:${assignee.value}`;
    case 'expression':
      return `=${assignee.value}`;
  }
}

/** A form field key the engine can store as a process variable. */
export const FORM_FIELD_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

/** The action config kept as JSON in rapport:config; anything unreadable starts over as an empty config. */
export function configOf(json: string | undefined): Record<string, unknown> | null {
  if (!json) return null;
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The BPMN process id of a diagram (its first process): what a call activity calls it by. */
export function processIdOf(xml: string): string | null {
  return /<(?:[\w-]+:)?process\b[^>]*?\bid="([^"]+)"/.exec(xml)?.[1] ?? null;
}
