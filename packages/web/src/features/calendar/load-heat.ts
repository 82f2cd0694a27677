import type { CalendarLoadDay } from '@rapport/shared';

/** Rough hours a day's work takes: meetings and calls as booked, a task half an hour, a call of unknown length a quarter. */
export function loadHours(day: CalendarLoadDay): number {
  return day.busyMinutes / 60 + day.tasks * 0.5 + day.calls * 0.25;
}

/** Heat levels of a day, from free (0) to overbooked (4), against an eight-hour day. */
export function loadLevel(day: CalendarLoadDay): 0 | 1 | 2 | 3 | 4 {
  const hours = loadHours(day);
  if (hours === 0) return 0;
  if (hours < 3) return 1;
  if (hours < 6) return 2;
  if (hours <= 8) return 3;
  return 4;
}

/** Cell backgrounds per level (light enough for dark text). */
export const HEAT_COLORS = ['transparent', 'var(--mantine-color-green-1)', 'var(--mantine-color-yellow-2)', 'var(--mantine-color-orange-3)', 'var(--mantine-color-red-4)'] as const;
