import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { ROOT } from './backend.js';

/** A TCP port that was free a moment ago (bind to 0, read, release). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resident set size of a live process in MB (Linux /proc; undefined elsewhere or once it exited). */
export function rssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak. */
export function sampleRss(pid: number | undefined, everyMs = 250): { stop(): number | undefined } {
  let peak: number | undefined;
  const take = () => {
    const now = rssMb(pid);
    if (now !== undefined && (peak === undefined || now > peak)) peak = now;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

/** One GET; resolves with the status code (or rejects on a connection error / timeout). */
export function httpStatus(url: string, timeoutMs = 2_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('timeout', () => request.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

export interface Child {
  process: ChildProcess;
  pid: number | undefined;
  /** stdout + stderr so far (for error messages). */
  output(): string;
  exited: Promise<number | null>;
}

export function spawnNode(args: string[], env: Record<string, string | undefined>, options: { ipc?: boolean; onLine?: (line: string) => void } = {}): Child {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let pending = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (output.length < 200_000) output += text;
    if (options.onLine) {
      pending += text;
      let index: number;
      while ((index = pending.indexOf('\n')) >= 0) {
        options.onLine(pending.slice(0, index));
        pending = pending.slice(index + 1);
      }
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, pid: child.pid, output: () => output, exited };
}

/**
 * Polls `url` until it answers 200 (connection refused just retries); rejects if the child exits first
 * or after `timeoutMs`. Returns the performance.now() at which the 200 arrived.
 */
export async function waitFor200(url: string, child: Child, timeoutMs = 120_000, intervalMs = 5): Promise<number> {
  let exitCode: number | null | undefined;
  void child.exited.then((code) => (exitCode = code ?? -1));
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`process exited with ${exitCode} before ${url} answered:\n${child.output().slice(-4_000)}`);
    try {
      const status = await httpStatus(url);
      if (status === 200) return performance.now();
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${child.output().slice(-4_000)}`);
}

/**
 * SIGTERM and wait for a graceful exit (Rapport releases its data-dir lock then). After `graceMs`, SIGKILL
 * and remove a stale embedded lock so the next start is not refused. Returns the shutdown time in ms.
 */
export async function stopChild(child: Child, options: { graceMs?: number; dataDir?: string } = {}): Promise<number> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return 0;
  const started = performance.now();
  child.process.kill('SIGTERM');
  const graceful = await Promise.race([child.exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), options.graceMs ?? 15_000))]);
  if (!graceful) {
    console.warn(`  ! pid ${child.pid} ignored SIGTERM for ${options.graceMs ?? 15_000} ms; killing it`);
    child.process.kill('SIGKILL');
    await child.exited;
    if (options.dataDir) fs.rmSync(path.join(options.dataDir, 'rapport.lock.lock'), { recursive: true, force: true });
  }
  return performance.now() - started;
}

export interface ServedChild extends Child {
  url: string;
  ready: Record<string, unknown>;
}

/**
 * Starts a bench/servers/*.ts script (through run-ts, like `npm run bench`) with IPC and waits for its
 * `{ type: 'ready', url }` message.
 */
export async function startServedChild(script: string, env: Record<string, string | undefined>, timeoutMs = 120_000): Promise<ServedChild> {
  const child = spawnNode(['packages/server/bin/run-ts.mjs', script], env, { ipc: true });
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready after ${timeoutMs} ms:\n${child.output().slice(-4_000)}`)), timeoutMs);
    child.process.on('message', (message) => {
      const value = message as Record<string, unknown>;
      if (value.type === 'ready') {
        clearTimeout(timer);
        resolve(value);
      }
    });
    void child.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready:\n${child.output().slice(-4_000)}`));
    });
  });
  return { ...child, url: String(ready.url), ready };
}

/** CPU time (user + system) a live process has used so far, in ms (Linux /proc; 10 ms resolution). */
export function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at index 2 (state).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined; // CLK_TCK is 100 on Linux
  } catch {
    return undefined;
  }
}
