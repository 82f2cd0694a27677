import { openDatabase, type Database, type DatabaseTarget } from '../../packages/server/src/infra/db.js';
import { targetEnv, type Target } from './backend.js';
import { childEnv, type BenchContext } from './benchmark.js';
import { freePort, sampleRss, startServedChild, stopChild } from './processes.js';
import { round, roundSummary, summarize, type Summary } from './stats.js';

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

/** Time from setting the ceiling's batch to its first item (the bare loop is already running). */
const CEILING_LEAD_MS = 3_000;

export interface BatchRun<L> {
  rapport: L;
  ceiling: L;
  peakRssMb: number | undefined;
  readyLeadMs: number;
}

/**
 * The two measured batches: the real Rapport server (startServer, workers on: its due-timer loop with every kind
 * app-runtime wires) runs until `rapportStart` + the window + SETTLE_MS, its batch (scheduled before the start: PGlite's
 * data directory has one owner) is read back; then the ceiling's bare loop runs on the same tables with the second batch.
 */
export async function runBatches<L>(
  ctx: BenchContext,
  target: Target,
  options: { items: string; rapportStart: number; read(database: Database, side: 'rapport' | 'ceiling'): Promise<L>; scheduleCeiling(database: Database, start: number): Promise<void>; startCeiling(database: Database): { stop(): Promise<void> } },
): Promise<BatchRun<L>> {
  const env = { ...targetEnv(target, ctx.backend.tempDir('lateness-scratch')), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  const stopOptions = target.kind === 'pglite' ? { dataDir: target.dataDir } : {};
  const rapport = await startServedChild('bench/servers/rapport-server.ts', childEnv({ BENCH_RAPPORT_ENV: JSON.stringify({ ...env, PORT: String(await freePort()) }) }));
  const rss = sampleRss(rapport.pid);
  const readyLeadMs = options.rapportStart - Date.now();
  try {
    if (rapport.ready.workers !== true) throw new Error('the Rapport server runs without workers: no due-timer loop');
    if (readyLeadMs < 2_000) throw new Error(`the Rapport server was ready only ${Math.round(readyLeadMs)} ms before the first measured item; raise RAPPORT_LEAD_MS`);
    ctx.log(`rapport ready ${Math.round(readyLeadMs / 1000)} s before the batch; ${MEASURED} ${options.items} come due over ${WINDOW_MS / 1000} s`);
    await sleep(options.rapportStart + WINDOW_MS + SETTLE_MS - Date.now());
  } finally {
    await stopChild(rapport, stopOptions);
  }
  const peakRssMb = rss.stop();
  const database = await openDatabase(latenessTarget(target));
  try {
    const rapportLate = await options.read(database, 'rapport');
    const loop = options.startCeiling(database);
    const ceilingStart = Date.now() + CEILING_LEAD_MS;
    try {
      await options.scheduleCeiling(database, ceilingStart);
      await sleep(ceilingStart + WINDOW_MS + SETTLE_MS - Date.now());
    } finally {
      await loop.stop();
    }
    return { rapport: rapportLate, ceiling: await options.read(database, 'ceiling'), peakRssMb, readyLeadMs };
  } finally {
    await database.close();
  }
}

/** The database of a lateness benchmark, opened by the bench process (a few connections on PostgreSQL). */
export function latenessTarget(target: Target): DatabaseTarget {
  return target.kind === 'postgres' ? { kind: 'postgres', url: target.url, max: 5 } : { kind: 'pglite', dataDir: target.dataDir };
}

/** A lateness result's headline: Rapport's p99 against the bare loop's, the ratio capped at 1 (on time is on time). */
export function latenessHeadline(rapport: Summary, ceiling: Summary) {
  return {
    value: round(rapport.p99, 1),
    unit: 'ms',
    ceiling: round(ceiling.p99, 1),
    ratio: rapport.p99 > 0 ? round(Math.min(1, ceiling.p99 / rapport.p99), 3) : 1,
    ratioDefinition: 'ceiling p99 ÷ rapport p99, capped at 1 (lateness; 1 = as punctual as the bare loop)',
    p50: round(rapport.p50, 1),
    p95: round(rapport.p95, 1),
    p99: round(rapport.p99, 1),
    percentileUnit: 'ms',
    samples: rapport.n,
  };
}
