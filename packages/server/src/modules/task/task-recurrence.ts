import rrulePkg from 'rrule';
import { AppError } from '../../core/app-error.js';

// rrule ships CommonJS: its named exports are reachable only through the default import under Node's ESM loader.
const { RRule, Frequency } = rrulePkg;
type RRuleInstance = InstanceType<typeof RRule>;

const HOUR_MS = 3_600_000;
const FIVE_YEARS_MS = 5 * 366 * 24 * HOUR_MS;
/** Occurrences closer than this are a flood of tasks, not a schedule. */
const MIN_GAP_MS = HOUR_MS;
const ALLOWED_FREQUENCIES = new Set([Frequency.YEARLY, Frequency.MONTHLY, Frequency.WEEKLY, Frequency.DAILY, Frequency.HOURLY]);

/**
 * The wall-clock time of an instant in a time zone, as a Date whose UTC fields are that wall clock. rrule computes in
 * such "floating" UTC dates; converting at the edges makes "every 1st at 09:00" stay 09:00 across DST changes.
 */
export function toWallClock(instant: Date, timeZone: string): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second), instant.getUTCMilliseconds()));
}

/** The instant a wall-clock time (UTC fields of `wall`) names in a time zone; a time in a DST gap moves forward by the gap. */
export function fromWallClock(wall: Date, timeZone: string): Date {
  const offsetAt = (instant: Date) => toWallClock(instant, timeZone).getTime() - instant.getTime();
  const guess = new Date(wall.getTime() - offsetAt(wall));
  return new Date(wall.getTime() - offsetAt(guess));
}

/** Midnight of the day an instant falls on, in a time zone. */
export function startOfDay(instant: Date, timeZone: string): Date {
  const wall = toWallClock(instant, timeZone);
  return fromWallClock(new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate())), timeZone);
}

export interface Schedule {
  rule: RRuleInstance;
  timeZone: string;
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation', { message: `Recurrence rule: ${message}`, errors: [{ path, message }] });
}

/**
 * Reads an RRULE (RFC 5545, without DTSTART; an `RRULE:` prefix is allowed) anchored at `dtstart` in `timeZone`.
 * Refuses rules that do not parse, repeat faster than hourly, or never occur within five years — each as a field error at `path`.
 */
export function parseSchedule(text: string, dtstart: Date, timeZone: string, path: string): Schedule {
  const source = text.trim().replace(/^RRULE:/i, '');
  if (/[\r\n]|DTSTART/i.test(source)) throw invalid(path, 'give the rule alone (FREQ=…); the start is the task’s due time');
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(source);
  } catch (error) {
    throw invalid(path, `not a recurrence rule (${(error as Error).message})`);
  }
  if (options.freq === undefined || options.freq === null) throw invalid(path, /FREQ=/i.test(source) ? 'not a recurrence rule (unknown FREQ)' : 'FREQ is missing');
  if (options.freq === Frequency.SECONDLY || options.freq === Frequency.MINUTELY) throw invalid(path, 'too frequent: repeat at most hourly');
  if (!ALLOWED_FREQUENCIES.has(options.freq)) throw invalid(path, 'unknown FREQ');
  // rrule loops forever on a non-positive interval, so it is checked before any occurrence is computed.
  if (options.interval !== undefined && (!Number.isInteger(options.interval) || options.interval < 1 || options.interval > 1000)) throw invalid(path, 'INTERVAL must be 1 to 1000');
  if (options.count !== undefined && options.count !== null && options.count > 10_000) throw invalid(path, 'COUNT must be at most 10000');
  if (options.bysecond !== undefined && options.bysecond !== null) throw invalid(path, 'BYSECOND is not supported');
  let schedule: Schedule;
  let first: Date[];
  try {
    schedule = { rule: new RRule({ ...options, dtstart: toWallClock(dtstart, timeZone) }), timeZone };
    const wallStart = toWallClock(dtstart, timeZone);
    first = schedule.rule.between(wallStart, new Date(wallStart.getTime() + FIVE_YEARS_MS), true, (_date, i) => i < 20);
  } catch (error) {
    throw invalid(path, `not a recurrence rule (${(error as Error).message})`);
  }
  if (first.length === 0) throw invalid(path, 'never occurs: no date matches the rule within five years');
  for (let i = 1; i < first.length; i += 1) {
    if (first[i]!.getTime() - first[i - 1]!.getTime() < MIN_GAP_MS) throw invalid(path, 'too frequent: occurrences must be at least an hour apart');
  }
  return schedule;
}

/** The first occurrence strictly after `instant`, or null when the rule has ended. */
export function occurrenceAfter(schedule: Schedule, instant: Date): Date | null {
  const next = schedule.rule.after(toWallClock(instant, schedule.timeZone), false);
  return next ? fromWallClock(next, schedule.timeZone) : null;
}

/** The next `count` occurrences after `instant` (a preview for the editor). */
export function occurrencesAfter(schedule: Schedule, instant: Date, count: number): Date[] {
  const result: Date[] = [];
  for (let at = occurrenceAfter(schedule, instant); at && result.length < count; at = occurrenceAfter(schedule, at)) result.push(at);
  return result;
}

/**
 * The occurrences in [from, to), at most `limit`, in one pass over the rule (for a range such as a calendar's, where
 * stepping with occurrenceAfter would restart from the anchor each time).
 */
export function occurrencesBetween(schedule: Schedule, from: Date, to: Date, limit: number): Date[] {
  if (limit <= 0 || to.getTime() <= from.getTime()) return [];
  const walls = schedule.rule.between(toWallClock(from, schedule.timeZone), toWallClock(to, schedule.timeZone), true, (_date, i) => i < limit + 1);
  return walls
    .map((wall) => fromWallClock(wall, schedule.timeZone))
    .filter((at) => at.getTime() >= from.getTime() && at.getTime() < to.getTime())
    .slice(0, limit);
}
