import type { Backend } from './backend.js';
import type { MachineState } from './machine.js';
import type { BenchResult } from './results.js';

export interface BenchOptions {
  /** Measured load window per server and round (api-overhead), seconds. */
  durationS: number;
  /** Measured windows per server (api-overhead); the sides alternate round by round. */
  rounds: number;
  /** Unmeasured load before each measured window, seconds. */
  warmupS: number;
  /** Concurrent keep-alive connections of the load generator (throughput benchmarks). */
  connections: number;
  /** Connections of the latency benchmarks (card-open, list-filter, search): a few users at once, not saturation. */
  latencyConnections: number;
  /** Warm starts per side (startup), ≥ 5. */
  starts: number;
}

export interface BenchContext {
  backend: Backend;
  options: BenchOptions;
  /** The machine as the benchmark started (shared machines make noisy numbers). */
  machine: MachineState;
  /** Progress output (indented under the benchmark's name). */
  log(line: string): void;
}

export interface Benchmark {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

/** The fields every result shares. */
export function commonFields(ctx: BenchContext): Pick<BenchResult, 'backend' | 'backendVersion' | 'node' | 'date' | 'machine'> {
  return { backend: ctx.backend.kind, backendVersion: ctx.backend.version, node: process.version, date: new Date().toISOString(), machine: ctx.machine };
}

/** The current environment minus what would point a child at the wrong database. */
export function childEnv(extra: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of ['DATABASE_URL', 'DATA_DIR', 'PORT', 'HOST', 'WORKERS', 'LOG_LEVEL']) delete env[name];
  return { ...env, ...extra };
}
