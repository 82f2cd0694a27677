import { describe, expect, it } from 'vitest';
import { addDays, firstOfNextMonth, localDate, mondayOf, startOfDay } from './zoned-time.js';

describe('zoned time', () => {
  it('finds the local day of an instant', () => {
    expect(localDate(new Date('2026-11-29T22:30:00Z'), 'Europe/Moscow')).toBe('2026-11-30');
    expect(localDate(new Date('2026-11-29T22:30:00Z'), 'America/New_York')).toBe('2026-11-29');
  });

  it('finds when a local day starts, across daylight saving changes', () => {
    expect(startOfDay('2026-11-30', 'Europe/Moscow').toISOString()).toBe('2026-11-29T21:00:00.000Z');
    expect(startOfDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(startOfDay('2026-06-01', 'UTC').toISOString()).toBe('2026-06-01T00:00:00.000Z');
  });

  it('walks days, weeks and months', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(mondayOf('2026-11-29')).toBe('2026-11-23');
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
    expect(firstOfNextMonth('2026-12-15')).toBe('2027-01-01');
  });
});
