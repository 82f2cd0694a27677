import type { BenchContext } from './benchmark.js';
import { runLoad, type LoadRequest, type LoadResult } from './load.js';
import { cpuMs, sampleRss, type ServedChild } from './processes.js';
import { round, roundSummary, summarize, type Summary } from './stats.js';

/** One server under load: Rapport or its ceiling. */
export interface Side {
  label: string;
  server: ServedChild;
  /** Headers of every request (session cookie, CSRF token). */
  headers: Record<string, string>;
  /** The next request; both sides walk the same list, so they do the same work. */
  next: () => LoadRequest;
  windows: (LoadResult & { rssMb: number | undefined; cpuMs: number | undefined })[];
}

/** Walks `items` round and round (each side gets its own walker over the same list). */
export function cycle<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error('nothing to cycle through');
  let index = 0;
  return () => items[index++ % items.length]!;
}

async function measureWindow(ctx: BenchContext, side: Side, connections: number, warmup: boolean): Promise<void> {
  const { durationS, warmupS } = ctx.options;
  const load = { url: side.server.url, headers: side.headers, connections, next: side.next };
  if (warmup && warmupS > 0) await runLoad({ ...load, durationS: warmupS });
  const rss = sampleRss(side.server.pid);
  const cpuBefore = cpuMs(side.server.pid);
  const result = await runLoad({ ...load, durationS });
  const cpuAfter = cpuMs(side.server.pid);
  const rssMb = rss.stop();
  const bad = result.non2xx + result.errors;
  if (bad > result.requests * 0.01) throw new Error(`${side.label}: ${result.non2xx} non-2xx answers and ${result.errors} errors out of ${result.requests} requests`);
  // Fewer than two answers give no rate: the requests take about as long as the window on this (busy) machine.
  if (result.ok < 2) throw new Error(`${side.label}: ${result.ok} answers in a ${durationS} s window with ${connections} connections: the latency is near the window's length, raise BENCH_DURATION`);
  side.windows.push({ ...result, rssMb, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore });
}

/**
 * `ctx.options.rounds` measured windows per side, alternating side by side so drift on the (shared) machine hits
 * both; the first window of each side follows an unmeasured warm-up.
 */
export async function measureRounds(ctx: BenchContext, sides: Side[], connections: number, describe: (side: Side) => string): Promise<void> {
  for (let r = 0; r < ctx.options.rounds; r++) {
    for (const side of sides) await measureWindow(ctx, side, connections, r === 0);
    ctx.log(`round ${r + 1}/${ctx.options.rounds}: ${sides.map((side) => `${side.label} ${describe(side)}`).join(', ')}`);
  }
}

export interface SideTotals {
  /** Median of the windows' 2xx answers per second. */
  rps: number;
  perWindowRps: number[];
  requests: number;
  /** Server-process CPU per request (user + system); on PostgreSQL the database's own processes are not counted. */
  cpuMsPerRequest: number | undefined;
  ok: number;
  non2xx: number;
  errors: number;
  /** Per-response latency pooled over all windows, ms. */
  latencyMs: Summary;
  rssPeakMb: number | undefined;
}

export function sideTotals(side: Side): SideTotals {
  const rates = summarize(side.windows.map((w) => w.rps));
  const rss = side.windows.flatMap((w) => (w.rssMb === undefined ? [] : [w.rssMb]));
  const cpu = side.windows.every((w) => w.cpuMs !== undefined) ? side.windows.reduce((sum, w) => sum + (w.cpuMs ?? 0), 0) : undefined;
  const requests = side.windows.reduce((sum, w) => sum + w.requests, 0);
  return {
    rps: rates.p50,
    perWindowRps: side.windows.map((w) => round(w.rps, 1)),
    requests,
    cpuMsPerRequest: cpu === undefined || requests === 0 ? undefined : round(cpu / requests, 3),
    ok: side.windows.reduce((sum, w) => sum + w.ok, 0),
    non2xx: side.windows.reduce((sum, w) => sum + w.non2xx, 0),
    errors: side.windows.reduce((sum, w) => sum + w.errors, 0),
    latencyMs: summarize(side.windows.flatMap((w) => w.latencies)),
    rssPeakMb: rss.length > 0 ? Math.max(...rss) : undefined,
  };
}

/** Rounded for the result file. */
export const shapeTotals = (t: SideTotals) => ({ ...t, rps: round(t.rps, 1), latencyMs: roundSummary(t.latencyMs), rssPeakMb: t.rssPeakMb === undefined ? undefined : round(t.rssPeakMb, 1) });

/** Sends `requests` one at a time (no concurrency) and summarises their latencies: a per-kind breakdown. */
export async function sequentialLatency(baseUrl: string, headers: Record<string, string>, requests: readonly LoadRequest[]): Promise<Summary> {
  const latencies: number[] = [];
  for (const request of requests) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}${request.path}`, { method: request.method ?? 'GET', headers: { ...headers, ...request.headers }, ...(request.body === undefined ? {} : { body: request.body }) });
    await response.arrayBuffer();
    if (response.status >= 300) throw new Error(`${request.method ?? 'GET'} ${request.path} answered ${response.status}`);
    latencies.push(performance.now() - started);
  }
  return roundSummary(summarize(latencies));
}

/**
 * The headline of a Rapport-vs-ceiling result: p95 latency (lower is better) or median req/s (higher is better), the
 * ceiling's, their ratio as a share of the ceiling, and Rapport's percentiles. `raw` keeps the unrounded value and ratio
 * for the pass check.
 */
export function headline(mode: 'latency' | 'throughput', rapport: SideTotals, ceiling: SideTotals) {
  const latency = mode === 'latency';
  const value = latency ? rapport.latencyMs.p95 : rapport.rps;
  const ceilingValue = latency ? ceiling.latencyMs.p95 : ceiling.rps;
  const ratio = latency ? ceilingValue / value : value / ceilingValue;
  return {
    raw: { value, ratio },
    fields: {
      value: round(value, latency ? 2 : 1),
      unit: latency ? 'ms' : 'req/s',
      ceiling: round(ceilingValue, latency ? 2 : 1),
      ratio: round(ratio, 3),
      ratioDefinition: latency ? 'ceiling p95 ÷ rapport p95 (share of the bare latency; 1 = as fast as bare)' : 'rapport req/s ÷ ceiling req/s (medians over the rounds)',
      p50: round(rapport.latencyMs.p50),
      p95: round(rapport.latencyMs.p95),
      p99: round(rapport.latencyMs.p99),
      percentileUnit: 'ms',
      samples: rapport.ok,
      rssMb: rapport.rssPeakMb === undefined ? undefined : round(rapport.rssPeakMb, 1),
    },
  };
}
