import os from 'node:os';

function cpuTotals(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

/** Share of all CPUs busy over the next `ms` (0..100). */
export async function cpuBusyPct(ms: number): Promise<number> {
  const before = cpuTotals();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = cpuTotals();
  const total = after.total - before.total;
  return total > 0 ? (100 * (total - (after.idle - before.idle))) / total : 0;
}

export interface MachineState {
  cpus: number;
  cpuModel: string;
  loadavg: number[];
  /** CPU busy % over the second before the benchmark started (other processes on the machine). */
  busyBeforePct: number;
  waitedForQuietS: number;
}

/**
 * Benchmarks on a shared machine: wait (up to `maxWaitS`) until the CPUs are mostly idle before measuring,
 * and record how busy they were, so a noisy result can be recognised as such.
 */
export async function waitForQuiet(maxWaitS: number, log: (line: string) => void, busyThresholdPct = 20): Promise<MachineState> {
  const started = performance.now();
  let busy = await cpuBusyPct(1_000);
  let announced = false;
  while (busy > busyThresholdPct && performance.now() - started < maxWaitS * 1_000) {
    if (!announced) log(`machine busy (${Math.round(busy)}% CPU from other processes); waiting up to ${maxWaitS} s for it to settle`);
    announced = true;
    busy = await cpuBusyPct(2_000);
  }
  if (busy > busyThresholdPct && maxWaitS > 0) log(`! still ${Math.round(busy)}% busy: results will be noisy`);
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '?',
    loadavg: os.loadavg().map((value) => Math.round(value * 100) / 100),
    busyBeforePct: Math.round(busy),
    waitedForQuietS: Math.round((performance.now() - started) / 1_000),
  };
}
