import { describe, expect, it } from 'vitest';
import { loadLevel } from './load-heat';

const day = (tasks: number, meetings: number, calls: number, busyMinutes: number) => ({ date: '2026-11-18', tasks, meetings, calls, busyMinutes });

describe('load heat', () => {
  it('grades a day from free to overbooked against eight hours', () => {
    expect(loadLevel(day(0, 0, 0, 0))).toBe(0);
    expect(loadLevel(day(2, 0, 0, 0))).toBe(1);
    expect(loadLevel(day(2, 2, 0, 180))).toBe(2);
    expect(loadLevel(day(4, 3, 4, 300))).toBe(3);
    expect(loadLevel(day(6, 5, 0, 420))).toBe(4);
  });
});
