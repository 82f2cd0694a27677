import fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { openRuntime } from '../../packages/server/src/app-runtime.js';
import { DEMO_PASSWORD, seedDemo } from '../../packages/server/src/demo/seed-demo.js';
import { loadConfig } from '../../packages/server/src/infra/config.js';
import type { DatabaseTarget } from '../../packages/server/src/infra/db.js';
import { createLogger } from '../../packages/server/src/infra/logger.js';
import { describeDataset, generateDataset } from '../dataset/index.js';
import { targetEnv } from '../lib/backend.js';
import { childEnv, commonFields, type Benchmark, type BenchContext } from '../lib/benchmark.js';
import { runLoad, type LoadResult } from '../lib/load.js';
import { cpuMs, freePort, sampleRss, startServedChild, stopChild, type ServedChild } from '../lib/processes.js';
import { meets, type BenchResult, type Target as PassTarget } from '../lib/results.js';
import { round, roundSummary, summarize } from '../lib/stats.js';

const ENDPOINT = '/api/v1/auth/me';
const normalizeSql = (text: string) => text.replace(/\s+/g, ' ').trim();
/** Head of sales: a team with two branches below, so the actor's team-subtree query has work to do. */
const LOGIN = 'head@demo.rapport.local';
const TARGET: PassTarget = { field: 'ratio', op: '>=', threshold: 0.6 };

async function fetchJson(url: string, cookie: string): Promise<unknown> {
  const response = await fetch(url, { headers: { cookie } });
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

interface Side {
  label: string;
  server: ServedChild;
  url: string;
  windows: (LoadResult & { rssMb: number | undefined; cpuMs: number | undefined })[];
}

async function measureWindow(ctx: BenchContext, side: Side, cookie: string, warmup: boolean): Promise<void> {
  const { connections, durationS, warmupS } = ctx.options;
  if (warmup && warmupS > 0) await runLoad({ url: side.url, headers: { cookie }, connections, durationS: warmupS });
  const rss = sampleRss(side.server.pid);
  const cpuBefore = cpuMs(side.server.pid);
  const result = await runLoad({ url: side.url, headers: { cookie }, connections, durationS });
  const cpuAfter = cpuMs(side.server.pid);
  const rssMb = rss.stop();
  const bad = result.non2xx + result.errors;
  if (bad > result.requests * 0.01) throw new Error(`${side.label}: ${result.non2xx} non-2xx answers and ${result.errors} errors out of ${result.requests} requests`);
  side.windows.push({ ...result, rssMb, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore });
}

/** Median of the per-window rates; latency percentiles pooled over all windows. */
function totals(side: Side) {
  const rates = summarize(side.windows.map((w) => w.rps));
  const latency = summarize(side.windows.flatMap((w) => w.latencies));
  const rss = side.windows.flatMap((w) => (w.rssMb === undefined ? [] : [w.rssMb]));
  const cpu = side.windows.every((w) => w.cpuMs !== undefined) ? side.windows.reduce((sum, w) => sum + (w.cpuMs ?? 0), 0) : undefined;
  const requests = side.windows.reduce((sum, w) => sum + w.requests, 0);
  return {
    rps: rates.p50,
    perWindowRps: side.windows.map((w) => round(w.rps, 1)),
    requests,
    /** Server-process CPU per request (user + system): insensitive to other load on the machine. */
    cpuMsPerRequest: cpu === undefined || requests === 0 ? undefined : round(cpu / requests, 3),
    ok: side.windows.reduce((sum, w) => sum + w.ok, 0),
    non2xx: side.windows.reduce((sum, w) => sum + w.non2xx, 0),
    errors: side.windows.reduce((sum, w) => sum + w.errors, 0),
    latencyMs: latency,
    rssPeakMb: rss.length > 0 ? Math.max(...rss) : undefined,
  };
}

const shape = (t: ReturnType<typeof totals>) => ({ ...t, rps: round(t.rps, 1), latencyMs: roundSummary(t.latencyMs), rssPeakMb: t.rssPeakMb === undefined ? undefined : round(t.rssPeakMb, 1) });

/**
 * An authenticated read through Rapport's whole plugin chain (helmet, cookie, rate-limit registration, access
 * hook with session resolution, idempotency hook, metrics hook, response schema) against a bare Fastify
 * endpoint running the same SQL on the same backend. Each server runs in its own process; the load generator
 * (autocannon) in this one; measured windows alternate between the servers round by round.
 */
export const apiOverhead: Benchmark = {
  name: 'api-overhead',
  description: `GET ${ENDPOINT} with a session cookie: Rapport vs bare Fastify + pg`,
  async run(ctx) {
    const { backend, options } = ctx;
    const target = await backend.fresh('api');
    const scratch = backend.tempDir('api-scratch');
    const env = { ...targetEnv(target, scratch), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
    const stopOptions = target.kind === 'pglite' ? { dataDir: target.dataDir } : {};

    ctx.log('seeding: seedDemo + bench dataset scale 1');
    const runtime = await openRuntime(loadConfig(env), createLogger('warn'), { workers: false });
    let dataset: string;
    try {
      await seedDemo(runtime.database.db, runtime.services);
      dataset = `seedDemo (7 users, 4 teams) + ${describeDataset(await generateDataset(runtime.database.db, { scale: 1 }))}`;
    } finally {
      await runtime.close();
    }

    const startRapport = async () => startServedChild('bench/servers/rapport-server.ts', childEnv({ BENCH_RAPPORT_ENV: JSON.stringify({ ...env, PORT: String(await freePort()) }) }));
    let rapport = await startRapport();
    let cookie: string;
    try {
      const login = await fetch(`${rapport.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: LOGIN, password: DEMO_PASSWORD }) });
      const session = login.headers.getSetCookie().find((value) => value.startsWith('rapport_session='));
      if (login.status !== 200 || !session) throw new Error(`login answered ${login.status}: ${await login.text()}`);
      cookie = session.split(';')[0] ?? '';
    } catch (error) {
      await stopChild(rapport, stopOptions);
      throw error;
    }

    // PGlite cannot be shared between processes: the other servers get copies of the data directory, taken
    // while Rapport is stopped (it holds the session just created), so all of them run side by side.
    const copyTarget = (label: string): DatabaseTarget => {
      if (target.kind === 'postgres') return { kind: 'postgres', url: target.url };
      const copy = `${backend.tempDir(label)}/data`;
      fs.cpSync(target.dataDir, copy, { recursive: true, filter: (source) => !source.includes('rapport.lock') });
      return { kind: 'pglite', dataDir: copy };
    };
    if (target.kind === 'pglite') await stopChild(rapport, stopOptions);
    const ceilingTarget = copyTarget('api-ceiling');
    const servicesTarget = copyTarget('api-services');
    if (target.kind === 'pglite') rapport = await startRapport();

    const others: ServedChild[] = [];
    const sides: Side[] = [];
    let sameJson = false;
    let sameSql = false;
    let rapportStatements: string[] = [];
    let ceilingStatements: string[] = [];
    try {
      const ceilingServer = await startServedChild('bench/servers/ceiling-server.ts', childEnv({ BENCH_CEILING_ENV: JSON.stringify({ port: await freePort(), target: ceilingTarget }) }));
      others.push(ceilingServer);
      const servicesServer = await startServedChild('bench/servers/services-server.ts', childEnv({ BENCH_SERVICES_ENV: JSON.stringify({ port: await freePort(), target: servicesTarget }) }));
      others.push(servicesServer);
      sides.push(
        { label: 'rapport', server: rapport, url: `${rapport.url}${ENDPOINT}`, windows: [] },
        { label: 'ceiling', server: ceilingServer, url: `${ceilingServer.url}${ENDPOINT}`, windows: [] },
        { label: 'bare Fastify + Rapport services', server: servicesServer, url: `${servicesServer.url}${ENDPOINT}`, windows: [] },
      );
      const bodies = await Promise.all(sides.map((side) => fetchJson(side.url, cookie)));
      sameJson = bodies.every((body) => isDeepStrictEqual(body, bodies[0]));
      if (!sameJson) ctx.log(`! the answers differ:\n${bodies.map((body, i) => `  ${sides[i]?.label}: ${JSON.stringify(body)}`).join('\n')}`);
      // The ceiling's SQL is hand-copied: check it is still what Rapport runs for this request.
      rapportStatements = ((await fetchJson(`${servicesServer.url}/__statements`, cookie)) as string[]).map(normalizeSql);
      ceilingStatements = ((await fetchJson(`${ceilingServer.url}/__statements`, cookie)) as string[]).map(normalizeSql);
      sameSql = isDeepStrictEqual(rapportStatements, ceilingStatements);
      if (!sameSql) ctx.log(`! the ceiling's SQL no longer matches Rapport's (update bench/servers/ceiling-server.ts):\n  rapport: ${rapportStatements.join('\n           ')}\n  ceiling: ${ceilingStatements.join('\n           ')}`);

      for (let r = 0; r < options.rounds; r++) {
        for (const side of sides) await measureWindow(ctx, side, cookie, r === 0);
        ctx.log(`round ${r + 1}/${options.rounds}: ${sides.map((side) => `${side.label} ${Math.round(side.windows.at(-1)?.rps ?? 0)} req/s`).join(', ')}`);
      }
    } finally {
      await stopChild(rapport, stopOptions);
      for (const other of others) await stopChild(other);
    }

    const [rapportSide, ceilingSide, servicesSide] = sides.map(totals);
    if (!rapportSide || !ceilingSide || !servicesSide) throw new Error('no measurements');
    const ratio = rapportSide.rps / ceilingSide.rps;
    return {
      name: 'api-overhead',
      metric: `requests/s, GET ${ENDPOINT} (${options.connections} connections)`,
      value: round(rapportSide.rps, 1),
      unit: 'req/s',
      ceiling: round(ceilingSide.rps, 1),
      ratio: round(ratio, 3),
      ratioDefinition: 'rapport req/s ÷ ceiling req/s (medians over the rounds)',
      p50: round(rapportSide.latencyMs.p50),
      p95: round(rapportSide.latencyMs.p95),
      p99: round(rapportSide.latencyMs.p99),
      percentileUnit: 'ms',
      dataset,
      ...commonFields(ctx),
      target: TARGET,
      // A ceiling that no longer does the same work (other SQL, other JSON) proves nothing.
      pass: meets(TARGET, rapportSide.rps, ratio) && sameJson && sameSql,
      samples: rapportSide.ok,
      rssMb: rapportSide.rssPeakMb === undefined ? undefined : round(rapportSide.rssPeakMb, 1),
      details: {
        endpoint: `GET ${ENDPOINT}`,
        login: LOGIN,
        connections: options.connections,
        windowS: options.durationS,
        rounds: options.rounds,
        warmupS: options.warmupS,
        loadGenerator: 'autocannon in the bench process; Rapport and the ceiling each in their own child process; windows alternate',
        workers: rapport.ready.workers,
        poolMax: target.kind === 'postgres' ? 10 : 1,
        otherServersDatabase: target.kind === 'pglite' ? 'copies of the seeded data directory (PGlite cannot be shared)' : 'the same database',
        sameJson,
        sameSql,
        statementsPerRequest: rapportStatements.length,
        rapportStatements,
        ...(sameSql ? {} : { ceilingStatements }),
        cpuRatio:
          rapportSide.cpuMsPerRequest && ceilingSide.cpuMsPerRequest ? round(ceilingSide.cpuMsPerRequest / rapportSide.cpuMsPerRequest, 3) : undefined,
        cpuRatioDefinition: 'ceiling server CPU ms per request ÷ Rapport server CPU ms per request (on PostgreSQL the database processes are not counted)',
        rapport: shape(rapportSide),
        ceiling: shape(ceilingSide),
        bareFastifyWithServices: {
          note: 'diagnostic: bare Fastify calling auth.resolveSession + auth.me (no plugins, hooks or schemas); Rapport vs this = HTTP layer, this vs ceiling = data layer (services + Kysely)',
          ...shape(servicesSide),
          ratio: round(rapportSide.rps / servicesSide.rps, 3),
        },
      },
    } satisfies BenchResult;
  },
};
