/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name> [...]` runs the named ones.
 * Backend: PostgreSQL when DATABASE_URL is set (a fresh database per benchmark, dropped afterwards),
 * else embedded PGlite in temp data directories. Each result goes to bench/results/<name>.<backend>.json,
 * then bench/results/README.md is regenerated from all result files present.
 *
 * Tuning (env): BENCH_DURATION (s per measured window, default 5), BENCH_ROUNDS (windows per server, default 3),
 * BENCH_WARMUP (s, default 3), BENCH_CONNECTIONS (default 10), BENCH_LATENCY_CONNECTIONS (latency benchmarks, default 2),
 * BENCH_STARTS (warm starts per side, default 7, ≥ 5), BENCH_QUIET_WAIT (s to wait for other processes to leave the CPUs
 * idle before each benchmark, default 60). Client-base dataset: BENCH_CONTACTS, BENCH_COMPANIES, BENCH_CLIENT_BASE_URL
 * (see bench/lib/client-base.ts).
 */
import path from 'node:path';
import { BENCHMARKS } from './benchmarks/index.js';
import { openBackend, ROOT } from './lib/backend.js';
import type { BenchOptions } from './lib/benchmark.js';
import { waitForQuiet } from './lib/machine.js';
import { summaryLine, writeResult, writeResultsReadme } from './lib/results.js';

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return value;
}

const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`usage: npm run bench [-- <name> ...]\nbenchmarks:\n${BENCHMARKS.map((b) => `  ${b.name.padEnd(14)} ${b.description}`).join('\n')}`);
  process.exit(0);
}
const unknown = requested.filter((name) => !BENCHMARKS.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; available: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = requested.length > 0 ? BENCHMARKS.filter((b) => requested.includes(b.name)) : BENCHMARKS;

const options: BenchOptions = {
  durationS: intEnv('BENCH_DURATION', 5, 1),
  rounds: intEnv('BENCH_ROUNDS', 3, 1),
  warmupS: intEnv('BENCH_WARMUP', 3, 0),
  connections: intEnv('BENCH_CONNECTIONS', 10, 1),
  latencyConnections: intEnv('BENCH_LATENCY_CONNECTIONS', 2, 1),
  starts: intEnv('BENCH_STARTS', 7, 5),
};

const quietWaitS = intEnv('BENCH_QUIET_WAIT', 60, 0);
const backend = await openBackend(process.env.DATABASE_URL || undefined);
console.log(`backend: ${backend.version}; node ${process.version}; ${selected.map((b) => b.name).join(', ')}`);
const summaries: string[] = [];
try {
  for (const benchmark of selected) {
    console.log(`\n▶ ${benchmark.name}: ${benchmark.description}`);
    const log = (line: string) => console.log(`  ${line}`);
    try {
      const machine = await waitForQuiet(quietWaitS, log);
      const started = performance.now();
      const result = await benchmark.run({ backend, options, machine, log });
      const file = writeResult(result);
      const line = summaryLine(result);
      summaries.push(line);
      console.log(`  → ${path.relative(ROOT, file)} (${Math.round((performance.now() - started) / 1000)} s)`);
    } catch (error) {
      process.exitCode = 1;
      summaries.push(`${benchmark.name} [${backend.kind}] FAILED: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      console.error(`  ✗ ${benchmark.name} failed:`, error);
    }
  }
} finally {
  await backend.cleanup();
}
const readme = writeResultsReadme();
console.log(`\n${summaries.join('\n')}\n(table: ${path.relative(ROOT, readme)})`);
