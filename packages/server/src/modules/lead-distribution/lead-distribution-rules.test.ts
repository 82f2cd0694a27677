import { describe, expect, it } from 'vitest';
import { clockOf, minutesOf, nextOpening, pickInTurn } from './lead-distribution-rules.js';

const WEEKDAYS_9_TO_18 = { days: [1, 2, 3, 4, 5], from: 9 * 60, to: 18 * 60 };

describe('working hours', () => {
  it('reads and writes clock times', () => {
    expect(minutesOf('09:30')).toBe(570);
    expect(minutesOf('24:00')).toBe(1440);
    expect(clockOf(570)).toBe('09:30');
  });

  it('is open inside the hours, in the workspace time zone', () => {
    // Monday 2031-03-03 10:00 in Moscow is 07:00 UTC.
    expect(nextOpening(new Date('2031-03-03T07:00:00Z'), WEEKDAYS_9_TO_18, 'Europe/Moscow')).toBeNull();
  });

  it('opens later the same day before the hours, and the next working day after them', () => {
    // Monday 08:00 Moscow → Monday 09:00 Moscow.
    expect(nextOpening(new Date('2031-03-03T05:00:00Z'), WEEKDAYS_9_TO_18, 'Europe/Moscow')?.toISOString()).toBe('2031-03-03T06:00:00.000Z');
    // Friday 18:00 Moscow (closed: `to` is exclusive) → Monday 09:00 Moscow.
    expect(nextOpening(new Date('2031-03-07T15:00:00Z'), WEEKDAYS_9_TO_18, 'Europe/Moscow')?.toISOString()).toBe('2031-03-10T06:00:00.000Z');
    // Sunday in New York → Monday 09:00 there.
    expect(nextOpening(new Date('2031-03-09T15:00:00Z'), WEEKDAYS_9_TO_18, 'America/New_York')?.toISOString()).toBe('2031-03-10T13:00:00.000Z');
  });
});

describe('picking in turn', () => {
  const members = [
    { id: 'a', openLeads: 3 },
    { id: 'b', openLeads: 1 },
    { id: 'c', openLeads: 1 },
  ];
  it('goes round the circle after the previous assignee', () => {
    expect(pickInTurn(members, null, 'round_robin')?.id).toBe('a');
    expect(pickInTurn(members, 'a', 'round_robin')?.id).toBe('b');
    expect(pickInTurn(members, 'c', 'round_robin')?.id).toBe('a');
  });
  it('gives the least loaded, ties to the next in turn, and skips the one a lead is taken from', () => {
    expect(pickInTurn(members, 'b', 'least_loaded')?.id).toBe('c');
    expect(pickInTurn(members, 'c', 'least_loaded')?.id).toBe('b');
    expect(pickInTurn(members, 'a', 'round_robin', 'b')?.id).toBe('c');
    expect(pickInTurn([members[0]!], null, 'round_robin', 'a')).toBeUndefined();
  });
});
