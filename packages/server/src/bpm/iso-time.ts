/** ISO 8601 times of BPMN timers and due offsets: durations (P1DT2H, P2W), dates (2026-01-01T09:00:00Z) and cycles (R3/PT1H). */

const DURATION = /^P(?!$)(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?=\d)(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;
// Years and months as 365 and 30 days: a timer's "P1M" is read as a fixed length, which is what a due offset needs.
const UNIT_MS = [365 * 86_400_000, 30 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000];

/** A duration in milliseconds, or null when the text is not an ISO 8601 duration. */
export function durationMs(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  let total = 0;
  for (let i = 0; i < UNIT_MS.length; i++) {
    const part = match[i + 1];
    if (part) total += Number(part.replace(',', '.')) * UNIT_MS[i]!;
  }
  return Math.round(total);
}

/** A date-time with its offset (or Z); a date alone is not a moment. */
export function isoDate(text: string): Date | null {
  const trimmed = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/.test(trimmed)) return null;
  const at = new Date(trimmed);
  return Number.isNaN(at.getTime()) ? null : at;
}

export interface Cycle {
  /** Repetitions left; null: unbounded. */
  repeat: number | null;
  start: Date | null;
  intervalMs: number;
}

/** R[n]/duration or R[n]/start/duration. */
export function isoCycle(text: string): Cycle | null {
  const parts = text.trim().split('/');
  const head = /^R(\d*)$/.exec(parts[0] ?? '');
  if (!head || parts.length < 2 || parts.length > 3) return null;
  const start = parts.length === 3 ? isoDate(parts[1]!) : null;
  if (parts.length === 3 && !start) return null;
  const intervalMs = durationMs(parts[parts.length - 1]!);
  if (!intervalMs) return null;
  return { repeat: head[1] ? Number(head[1]) : null, start, intervalMs };
}

export type TimerSpec = { type: 'date'; value: string } | { type: 'duration'; value: string } | { type: 'cycle'; value: string };

/** Whether a timer's expression reads; a message naming what is wrong otherwise. */
export function timerProblem(spec: TimerSpec): string | null {
  if (spec.type === 'date') return isoDate(spec.value) ? null : `"${spec.value}" is not an ISO 8601 date-time with a zone (2026-03-01T09:00:00Z)`;
  if (spec.type === 'duration') return durationMs(spec.value) !== null ? null : `"${spec.value}" is not an ISO 8601 duration (PT1H, P7D)`;
  return isoCycle(spec.value) ? null : `"${spec.value}" is not an ISO 8601 cycle (R3/PT1H, R/2026-03-02T09:00:00Z/P7D)`;
}

/** When a timer first fires after `from`. */
export function firstDue(spec: TimerSpec, from: Date): Date {
  if (spec.type === 'date') return isoDate(spec.value)!;
  if (spec.type === 'duration') return new Date(from.getTime() + durationMs(spec.value)!);
  const cycle = isoCycle(spec.value)!;
  if (cycle.start && cycle.start > from) return cycle.start;
  return new Date(from.getTime() + cycle.intervalMs);
}
