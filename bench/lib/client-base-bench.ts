import { isDeepStrictEqual } from 'node:util';
import type { Ctx } from '../../packages/server/src/core/context.js';
import { openDatabase, type Database, type DatabaseTarget } from '../../packages/server/src/infra/db.js';
import type { Services } from '../../packages/server/src/services.js';
import type { Target } from './backend.js';
import { commonFields, type BenchContext } from './benchmark.js';
import { isTransactionControl, normalizeSql } from './capture.js';
import { CLIENT_BASE_CEILING, clientBaseFixture, type BaseKind, startClientBaseServers, type ClientBaseFixture } from './client-base.js';
import type { LoadRequest } from './load.js';
import { meets, type BenchResult, type Target as PassTarget } from './results.js';
import { cycle, headline, measureRounds, sequentialLatency, shapeTotals, sideTotals, type Side } from './sides.js';
import { round } from './stats.js';

/** A request of a client-base benchmark, with the kind it stands for (search: name / phone / email, list: the filter). */
export interface KindedRequest extends LoadRequest {
  kind: string;
}

export interface ClientBaseWorkload {
  /** The load, in order; both servers walk it round and round. */
  requests: KindedRequest[];
  /** Notes on how the requests were drawn (stored in details). */
  notes?: Record<string, unknown>;
}

export interface ClientBaseSpec {
  name: string;
  /** What `value` measures. */
  metric: string;
  target: PassTarget;
  /** latency: value = Rapport's p95 at BENCH_LATENCY_CONNECTIONS; throughput: value = req/s at BENCH_CONNECTIONS. */
  mode: 'latency' | 'throughput';
  endpoint: string;
  /** Draws the requests from the benchmark's database (ids, names, phones, companies that exist there). */
  workload(sql: Database['executeSql'], fixture: ClientBaseFixture): Promise<ClientBaseWorkload>;
  /** The service calls Rapport's route makes for `request` (after the access hook's session lookup). */
  serve(services: Services, ctx: Ctx, request: KindedRequest): Promise<unknown>;
  /** What of an answer must match between Rapport and the ceiling (create: everything but ids and times). */
  comparable?: (body: unknown) => unknown;
  /** The base it runs on (default: the plain client base; `activities`: + activities and tasks; `deals`: + deals). */
  base?: BaseKind;
  /** The ceiling's script (default: client-base-ceiling-server.ts). */
  ceiling?: string;
}

const dbTarget = (target: Target): DatabaseTarget => (target.kind === 'postgres' ? { kind: 'postgres', url: target.url, max: 2 } : { kind: 'pglite', dataDir: target.dataDir });

/** The ceiling of the activity benchmarks (timeline, calendar-week, base-rotation). */
export const ACTIVITY_CEILING = 'bench/servers/activity-ceiling-server.ts';

/** The ceiling of the sales benchmarks (kanban, funnel-report, forecast-report). */
export const SALES_CEILING = 'bench/servers/sales-ceiling-server.ts';

/** Requests per kind sent one at a time to each side after the measured windows, for the per-kind breakdown. */
const KIND_SAMPLES = 10;

interface Probe {
  kind: string;
  sameJson: boolean;
  sameSql: boolean;
  rapportStatements: string[];
  ceilingStatements: string[];
}

async function send(baseUrl: string, headers: Record<string, string>, request: LoadRequest): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method ?? 'GET', headers: { ...headers, ...request.headers }, ...(request.body === undefined ? {} : { body: request.body }) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

/**
 * The shared run of card-open, list-filter, search and create-contact: the client-base fixture (generated once per
 * run), Rapport and the ceiling side by side on it, a check that both do the same work (the statements Rapport's
 * services run vs the ceiling's, and the answers, for one request of each kind), alternating measured windows,
 * a one-at-a-time per-kind breakdown, and the result.
 */
export async function runClientBaseBenchmark(ctx: BenchContext, spec: ClientBaseSpec): Promise<BenchResult> {
  const fixture = await clientBaseFixture(ctx, spec.base);
  const ceilingScript = spec.ceiling ?? CLIENT_BASE_CEILING;
  // PGlite: nobody holds the data directory between benchmarks, so it can be opened here for a moment.
  const sampleDb = await openDatabase(dbTarget(fixture.target));
  let workload: ClientBaseWorkload;
  try {
    workload = await spec.workload((text, values) => sampleDb.executeSql(text, values), fixture);
  } finally {
    await sampleDb.close();
  }
  const kinds = [...new Set(workload.requests.map((request) => request.kind))];
  const probes = kinds.map((kind) => workload.requests.find((request) => request.kind === kind)!);
  ctx.log(`${workload.requests.length} distinct requests (${kinds.join(', ')}); ${fixture.dataset}`);

  const { servers, captured } = await startClientBaseServers(ctx, fixture, spec.name, async (capture, token) => {
    const statements: string[][] = [];
    for (const probe of probes) statements.push(await capture.record(async () => spec.serve(capture.services, await capture.ctx(token), probe)));
    return statements;
  }, ceilingScript);

  const baseHeaders = { cookie: servers.cookie, 'x-csrf-token': servers.csrfToken };
  const checks: Probe[] = [];
  const sides: Side[] = [
    { label: 'rapport', server: servers.rapport, headers: baseHeaders, next: cycle(workload.requests), windows: [] },
    { label: 'ceiling', server: servers.ceiling, headers: baseHeaders, next: cycle(workload.requests), windows: [] },
  ];
  const byKind: Record<string, { rapport: unknown; ceiling: unknown }> = {};
  const connections = spec.mode === 'latency' ? ctx.options.latencyConnections : ctx.options.connections;
  try {
    const comparable = spec.comparable ?? ((body: unknown) => body);
    for (const [i, probe] of probes.entries()) {
      const rapport = await send(servers.rapport.url, baseHeaders, probe);
      const ceiling = await send(servers.ceiling.url, baseHeaders, probe);
      if (rapport.status >= 300 || ceiling.status >= 300) throw new Error(`${probe.kind}: ${probe.method ?? 'GET'} ${probe.path} answered ${rapport.status} (rapport) / ${ceiling.status} (ceiling): ${JSON.stringify(rapport.status >= 300 ? rapport.body : ceiling.body)}`);
      const ceilingStatements = ((await send(servers.ceiling.url, {}, { path: '/__statements' })).body as string[]).filter((text) => !isTransactionControl(text)).map(normalizeSql);
      const rapportStatements = captured[i] ?? [];
      const check: Probe = { kind: probe.kind, sameJson: isDeepStrictEqual(comparable(rapport.body), comparable(ceiling.body)), sameSql: isDeepStrictEqual(rapportStatements, ceilingStatements), rapportStatements, ceilingStatements };
      checks.push(check);
      if (!check.sameJson) ctx.log(`! ${probe.kind}: the answers differ:\n  rapport: ${JSON.stringify(comparable(rapport.body)).slice(0, 1500)}\n  ceiling: ${JSON.stringify(comparable(ceiling.body)).slice(0, 1500)}`);
      if (!check.sameSql) ctx.log(`! ${probe.kind}: the ceiling's SQL no longer matches Rapport's (update ${ceilingScript}):\n  rapport: ${rapportStatements.join('\n           ')}\n  ceiling: ${ceilingStatements.join('\n           ')}`);
    }

    await measureRounds(ctx, sides, connections, (side) => {
      const last = side.windows.at(-1);
      return spec.mode === 'latency' ? `p95 ${round(last?.latencyMs.p95 ?? Number.NaN, 1)} ms (${Math.round(last?.rps ?? 0)} req/s)` : `${Math.round(last?.rps ?? 0)} req/s`;
    });

    if (kinds.length > 1 && spec.mode === 'latency') {
      for (const kind of kinds) {
        const sample = workload.requests.filter((request) => request.kind === kind).slice(0, KIND_SAMPLES);
        byKind[kind] = { rapport: await sequentialLatency(servers.rapport.url, baseHeaders, sample), ceiling: await sequentialLatency(servers.ceiling.url, baseHeaders, sample) };
      }
      ctx.log(`one at a time, p50 / p95 ms: ${Object.entries(byKind).map(([kind, v]) => `${kind} ${(v.rapport as { p50: number }).p50} / ${(v.rapport as { p95: number }).p95} (ceiling ${(v.ceiling as { p50: number }).p50} / ${(v.ceiling as { p95: number }).p95})`).join('; ')}`);
    }
  } finally {
    await servers.stop();
  }

  const [rapport, ceiling] = sides.map(sideTotals);
  if (!rapport || !ceiling) throw new Error('no measurements');
  const sameSql = checks.every((check) => check.sameSql);
  const sameJson = checks.every((check) => check.sameJson);
  const { raw, fields } = headline(spec.mode, rapport, ceiling);
  const { value, ratio } = raw;
  return {
    name: spec.name,
    metric: spec.metric,
    ...fields,
    dataset: fixture.dataset,
    ...commonFields(ctx),
    target: spec.target,
    // A value target holds whatever the ceiling does; a ratio against a ceiling that does other work proves nothing.
    pass: meets(spec.target, value, ratio) && (spec.target.field === 'value' || (sameSql && sameJson)),
    details: {
      endpoint: spec.endpoint,
      login: `${fixture.login} (head of sales: scope all over client records)`,
      connections,
      windowS: ctx.options.durationS,
      rounds: ctx.options.rounds,
      warmupS: ctx.options.warmupS,
      loadGenerator: 'autocannon in the bench process; Rapport (startServer, workers on) and the ceiling each in their own child process; windows alternate; both walk the same request list',
      distinctRequests: workload.requests.length,
      ...workload.notes,
      generation: fixture.generation,
      databaseTarget: fixture.target.kind === 'postgres' ? fixture.target.database : 'PGlite data directory (the ceiling reads a copy)',
      sameSql,
      sameJson,
      checks: checks.map((check) => ({ kind: check.kind, sameSql: check.sameSql, sameJson: check.sameJson, statements: check.rapportStatements.length, ...(check.sameSql ? {} : { rapportStatements: check.rapportStatements, ceilingStatements: check.ceilingStatements }) })),
      rapportStatements: Object.fromEntries(checks.map((check) => [check.kind, check.rapportStatements])),
      ...(Object.keys(byKind).length > 0 ? { oneAtATimeByKindMs: byKind, oneAtATimeNote: `${KIND_SAMPLES} requests per kind sent one at a time to each side after the windows (no concurrency)` } : {}),
      cpuRatio: rapport.cpuMsPerRequest && ceiling.cpuMsPerRequest ? round(ceiling.cpuMsPerRequest / rapport.cpuMsPerRequest, 3) : undefined,
      cpuRatioDefinition: 'ceiling server CPU ms per request ÷ Rapport server CPU ms per request (on PostgreSQL the database processes are not counted)',
      rapport: shapeTotals(rapport),
      ceiling: shapeTotals(ceiling),
    },
  } satisfies BenchResult;
}

/** A deterministic shuffle (the same order every run), so neither side meets the requests in a friendlier order. */
export function shuffled<T>(items: readonly T[], seed = 2026): T[] {
  const copy = [...items];
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Round-robin over the kinds' lists, so every stretch of the load has the same mix. */
export function interleave(lists: readonly (readonly KindedRequest[])[]): KindedRequest[] {
  const result: KindedRequest[] = [];
  const longest = Math.max(0, ...lists.map((list) => list.length));
  for (let i = 0; i < longest; i++) for (const list of lists) if (list[i]) result.push(list[i]!);
  return result;
}
