/** The one source of "now", so tests and timers can reason about time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
