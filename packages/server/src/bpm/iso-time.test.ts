import { describe, expect, it } from 'vitest';
import { durationMs, firstDue, isoCycle, isoDate, timerProblem } from './iso-time.js';

describe('ISO 8601 timers', () => {
  it('reads durations, and nothing else as one', () => {
    expect(durationMs('PT2H')).toBe(7_200_000);
    expect(durationMs('P1DT30M')).toBe(86_400_000 + 1_800_000);
    expect(durationMs('P2W')).toBe(14 * 86_400_000);
    expect(durationMs('PT0.5S')).toBe(500);
    for (const wrong of ['P', 'PT', '2h', 'P1H', 'soon', '']) expect(durationMs(wrong), wrong).toBeNull();
  });

  it('reads dates only with a zone, and cycles with or without a start', () => {
    expect(isoDate('2031-03-03T09:00:00Z')?.toISOString()).toBe('2031-03-03T09:00:00.000Z');
    expect(isoDate('2031-03-03T12:00:00+03:00')?.toISOString()).toBe('2031-03-03T09:00:00.000Z');
    expect(isoDate('2031-03-03T09:00:00')).toBeNull();
    expect(isoDate('2031-03-03')).toBeNull();
    expect(isoCycle('R3/PT1H')).toEqual({ repeat: 3, start: null, intervalMs: 3_600_000 });
    expect(isoCycle('R/2031-03-03T09:00:00Z/P7D')).toMatchObject({ repeat: null, intervalMs: 7 * 86_400_000 });
    expect(isoCycle('R3/soon')).toBeNull();
    expect(timerProblem({ type: 'cycle', value: 'every monday' })).toMatch(/not an ISO 8601 cycle/);
  });

  it('fires a duration after the start, a cycle at its start or one interval on', () => {
    const from = new Date('2031-03-01T00:00:00Z');
    expect(firstDue({ type: 'duration', value: 'P1D' }, from).toISOString()).toBe('2031-03-02T00:00:00.000Z');
    expect(firstDue({ type: 'cycle', value: 'R/2031-03-03T09:00:00Z/P7D' }, from).toISOString()).toBe('2031-03-03T09:00:00.000Z');
    expect(firstDue({ type: 'cycle', value: 'R2/PT1H' }, from).toISOString()).toBe('2031-03-01T01:00:00.000Z');
  });
});
