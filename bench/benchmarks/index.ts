import type { Benchmark } from '../lib/benchmark.js';
import { apiOverhead } from './api-overhead.bench.js';
import { startup } from './startup.bench.js';

/** Every benchmark, in the order `npm run bench` runs them. */
export const BENCHMARKS: readonly Benchmark[] = [apiOverhead, startup];
