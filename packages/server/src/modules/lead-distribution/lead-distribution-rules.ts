import type { WebFormAssignMode } from '@rapport/shared';
import { fromWallClock, toWallClock } from '../task/task-recurrence.js';

/** Working hours as stored: ISO weekdays (1 = Monday) and minutes from midnight, `to` exclusive. */
export interface Hours {
  days: number[];
  from: number;
  to: number;
}

/** "09:30" → 570; "24:00" → 1440. */
export function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return hours! * 60 + minutes!;
}

/** 570 → "09:30". */
export function clockOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * When the rule's people are next at work: null while they are (or when no day is set), else the next opening instant,
 * read in the workspace's time zone.
 */
export function nextOpening(now: Date, hours: Hours, timeZone: string): Date | null {
  const wall = toWallClock(now, timeZone);
  const minute = wall.getUTCHours() * 60 + wall.getUTCMinutes();
  const weekday = ((wall.getUTCDay() + 6) % 7) + 1;
  if (hours.days.length === 0 || (hours.days.includes(weekday) && minute >= hours.from && minute < hours.to)) return null;
  for (let offset = 0; offset <= 7; offset += 1) {
    const day = ((weekday - 1 + offset) % 7) + 1;
    if (!hours.days.includes(day) || (offset === 0 && minute >= hours.from)) continue;
    const midnight = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() + offset);
    return fromWallClock(new Date(midnight + hours.from * 60_000), timeZone);
  }
  return null;
}

export interface Candidate {
  id: string;
  openLeads: number;
}

/**
 * The next owner among a team's active members (in a stable order, the round-robin's circle): the first after the
 * previous assignee, or — least-loaded — the one with the fewest open leads, ties going to the next in turn. `skip`
 * leaves someone out (the owner a reassignment takes the lead from). Undefined when nobody is left.
 */
export function pickInTurn<T extends Candidate>(members: T[], last: string | null, mode: Exclude<WebFormAssignMode, 'user'>, skip?: string): T | undefined {
  const start = last ? members.findIndex((member) => member.id > last) : 0;
  const from = start < 0 ? 0 : start;
  const inTurn = [...members.slice(from), ...members.slice(0, from)].filter((member) => member.id !== skip);
  if (inTurn.length === 0) return undefined;
  return mode === 'least_loaded' ? inTurn.reduce((best, member) => (member.openLeads < best.openLeads ? member : best)) : inTurn[0];
}
