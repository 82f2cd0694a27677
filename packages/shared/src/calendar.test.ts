import { describe, expect, it } from 'vitest';
import { celebrationDate, nextCelebration } from './calendar.js';

describe('birthdays', () => {
  it('keeps 29 February on 28 February outside leap years', () => {
    expect(celebrationDate('1992-02-29', 2027)).toBe('2027-02-28');
    expect(celebrationDate('1992-02-29', 2028)).toBe('2028-02-29');
    expect(celebrationDate('1992-02-29', 2100)).toBe('2100-02-28');
  });

  it('finds the next celebration across the new year', () => {
    expect(nextCelebration('1980-01-03', '2026-12-30')).toEqual({ date: '2027-01-03', daysAway: 4, turns: 47 });
    expect(nextCelebration('1980-12-30', '2026-12-30')).toEqual({ date: '2026-12-30', daysAway: 0, turns: 46 });
    expect(nextCelebration('1980-12-29', '2026-12-30').daysAway).toBe(364);
  });

  it('counts a leap-day birthday from 28 February in a common year', () => {
    expect(nextCelebration('2000-02-29', '2027-02-27')).toEqual({ date: '2027-02-28', daysAway: 1, turns: 27 });
    expect(nextCelebration('2000-02-29', '2027-03-01')).toEqual({ date: '2028-02-29', daysAway: 365, turns: 28 });
  });
});
