import autocannon from 'autocannon';
import { summarize, type Summary } from './stats.js';

/** One request of a varied load: each call of LoadOptions.next gives the next request to send. */
export interface LoadRequest {
  method?: 'GET' | 'POST';
  /** Path and query, appended to the url's origin. */
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  durationS: number;
  /** Varies the requests (other ids, queries, bodies); without it every request is a GET of `url`. */
  next?: () => LoadRequest;
}

export interface LoadResult {
  /**
   * 2xx answers per second: those after the first ÷ the time from the first to the last. The connections' first round
   * trip is not counted: with a latency near the window's length, answers ÷ window would read as (almost) nothing.
   */
  rps: number;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationS: number;
  /** Per-response latency in ms (every 2xx response recorded, not autocannon's rounded histogram). */
  latencyMs: Summary;
  latencies: number[];
}

/** Keep-alive HTTP/1.1 load with `connections` concurrent clients for a fixed duration (autocannon). */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let firstAt = 0;
  let lastAt = 0;
  const varied = options.next
    ? {
        requests: [
          {
            setupRequest: (request: autocannon.Request) => {
              const next = options.next!();
              return { ...request, method: next.method ?? 'GET', path: next.path, headers: { ...request.headers, ...next.headers }, ...(next.body === undefined ? {} : { body: next.body }) };
            },
          },
        ],
      }
    : {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: options.url, headers: options.headers ?? {}, connections: options.connections, duration: options.durationS, pipelining: 1, ...varied },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const ok = result['2xx'];
        resolve({
          rps: ok >= 2 && lastAt > firstAt ? ((ok - 1) * 1000) / (lastAt - firstAt) : ok / result.duration,
          requests: result.requests.total,
          ok,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          durationS: result.duration,
          latencyMs: summarize(latencies),
          latencies,
        });
      },
    );
    instance.on('response', (_client: autocannon.Client, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode < 200 || statusCode >= 300) return;
      latencies.push(responseTime);
      lastAt = performance.now();
      firstAt ||= lastAt;
    });
  });
}
