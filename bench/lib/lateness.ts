import { roundSummary, summarize, type Summary } from './stats.js';

/**
 * The lateness benchmarks (reminder-lateness, bpm-timers): a batch of items comes due while a due-timer loop runs, and
 * how late each was handled is read back. The schedule and the bare loop the ceilings run are shared here.
 */

/** Items of each measured batch (one for Rapport, one for the ceiling). */
export const MEASURED = 1_000;
/** Of a batch: this many come due one by one, SPACING_MS apart; the rest all at once at BURST_AT_MS (a "top of the hour"). */
export const SPREAD = 800;
export const SPACING_MS = 25;
export const BURST_AT_MS = 21_000;
export const WINDOW_MS = BURST_AT_MS;
/** Time left after the last fire time before the batch is read back. */
export const SETTLE_MS = 5_000;
/** The due-timer loop's constants (packages/server/src/jobs/due-scheduler.ts), copied by the ceilings. */
export const BATCH = 100;
const MAX_SLEEP_MS = 1_000;
const BUSY_SLEEP_MS = 25;

export const SCHEDULE = `${SPREAD} items ${SPACING_MS} ms apart, then ${MEASURED - SPREAD} due at the same instant ${BURST_AT_MS / 1000} s after the first`;

/** The i-th item's fire time, ms after the batch's start. */
export const offsetOf = (i: number) => (i < SPREAD ? i * SPACING_MS : BURST_AT_MS);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** The batch's fire times from `start`, as JSON rows { id, at } (for an UPDATE … FROM json_to_recordset). */
export const scheduleRows = (ids: string[], start: number) => JSON.stringify(ids.map((id, i) => ({ id, at: new Date(start + offsetOf(i)).toISOString() })));

export interface Lateness {
  summary: Summary;
  unfired: number;
  spreadMs: Summary;
  burstMs: Summary;
  /** Distinct handled-at values: the passes of the loop that handled the batch (when it stamps its pass's start). */
  passes: number;
}

/** Lateness (handled − due, ms) of a batch's items, in batch order; `handled` null = not handled yet. */
export function latenessOf(items: { due: Date | string; handled: Date | string | null }[]): Lateness {
  const all: number[] = [];
  const spread: number[] = [];
  const burst: number[] = [];
  const passes = new Set<number>();
  let unfired = 0;
  items.forEach((item, i) => {
    if (item.handled === null) {
      unfired += 1;
      return;
    }
    const handled = new Date(item.handled).getTime();
    const ms = handled - new Date(item.due).getTime();
    all.push(ms);
    passes.add(handled);
    (i < SPREAD ? spread : burst).push(ms);
  });
  return { summary: summarize(all), unfired, spreadMs: roundSummary(summarize(spread), 1), burstMs: roundSummary(summarize(burst), 1), passes: passes.size };
}

/**
 * A bare due-timer loop with the scheduler's rules: passes of `fireBatch(now)` (claims and handles up to BATCH items,
 * answers how many) until a batch comes back short, then sleeps until `nextAt()` (at most 1 s; 25 ms when nothing fired).
 */
export function startBareDueLoop(fireBatch: (now: Date) => Promise<number>, nextAt: () => Promise<Date | null>): { stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void) | undefined;
  async function pass(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await fireBatch(now);
      total += count;
      if (count < BATCH) return total;
    }
  }
  async function loop(): Promise<void> {
    while (!stopped) {
      const fired = await pass(new Date());
      const at = await nextAt();
      const next = at ? at.getTime() : Number.POSITIVE_INFINITY;
      const wait = Math.min(MAX_SLEEP_MS, next - Date.now());
      const ms = wait > 0 ? wait : fired > 0 ? 0 : BUSY_SLEEP_MS;
      if (!stopped && ms > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  }
  const running = loop();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
