import { isDeepStrictEqual } from 'node:util';
import type { Ctx } from '../../packages/server/src/core/context.js';
import { openDatabase } from '../../packages/server/src/infra/db.js';
import type { Services } from '../../packages/server/src/services.js';
import { commonFields, type BenchContext } from './benchmark.js';
import { BPM_CEILING, bpmFixture, rowCounts, rowDelta, type BpmFixture, type BpmSetup } from './bpm.js';
import { startClientBaseServers } from './client-base.js';
import type { LoadRequest } from './load.js';
import { meets, type BenchResult, type Target as PassTarget } from './results.js';
import { cycle, headline, measureRounds, shapeTotals, sideTotals, type Side } from './sides.js';
import { round } from './stats.js';

/** What a BPM load benchmark sends: each side its own requests (a completion can be sent once), probes kept apart. */
export interface BpmWorkload {
  rapport: LoadRequest[];
  ceiling: LoadRequest[];
  /** One request per side sent before the load: its answer and (PostgreSQL) the rows it wrote are compared. */
  probe: { rapport: LoadRequest; ceiling: LoadRequest };
  /** The service call Rapport's route makes for one more such request, to record its SQL statements. */
  serve(services: Services, ctx: Ctx): Promise<unknown>;
  /** What of an answer must match between the sides (ids and times differ). */
  comparable(body: unknown): unknown;
  notes?: Record<string, unknown>;
}

export interface BpmSpec {
  name: string;
  metric: string;
  target: PassTarget;
  mode: 'latency' | 'throughput';
  endpoint: string;
  xml(adminId: string): string;
  /** Adds the instances the benchmark needs (runtime open, workers off) and says what it made. */
  prepare(setup: BpmSetup): Promise<string | void>;
  workload(fixture: BpmFixture, options: { connections: number; windowS: number }): BpmWorkload;
  /** Extra figures measured in the same run (e.g. a reference engine), stored in details. */
  reference?(ctx: BenchContext): Promise<Record<string, unknown>>;
}

async function send(baseUrl: string, headers: Record<string, string>, request: LoadRequest): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method ?? 'GET', headers: { ...headers, ...request.headers }, ...(request.body === undefined ? {} : { body: request.body }) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

/**
 * A BPM benchmark against the ceiling (bench/servers/bpm-ceiling-server.ts): a fresh database with the bench workspace
 * and the deployed process, Rapport's real server and the ceiling signed in as the administrator, one probe per side
 * (answers compared; on PostgreSQL the rows each wrote), Rapport's statements for one request recorded, then
 * `BENCH_ROUNDS` alternating windows under autocannon.
 */
export async function runBpmBenchmark(ctx: BenchContext, spec: BpmSpec): Promise<BenchResult> {
  const setupStarted = performance.now();
  const fixture = await bpmFixture(ctx, spec.name.replace(/-/g, '_'), spec.xml, spec.prepare);
  const setupMs = performance.now() - setupStarted;
  const connections = spec.mode === 'latency' ? ctx.options.latencyConnections : ctx.options.connections;
  const workload = spec.workload(fixture, { connections, windowS: ctx.options.warmupS + ctx.options.rounds * ctx.options.durationS });
  ctx.log(`${fixture.dataset} in ${Math.round(setupMs / 1000)} s`);

  const { servers, captured } = await startClientBaseServers(
    ctx,
    fixture,
    spec.name,
    async (capture, token) => {
      const requestCtx = await capture.ctx(token);
      return capture.record(() => workload.serve(capture.services, requestCtx));
    },
    BPM_CEILING,
  );
  const headers = { cookie: servers.cookie, 'x-csrf-token': servers.csrfToken };
  const sides: Side[] = [
    { label: 'rapport', server: servers.rapport, headers, next: cycle(workload.rapport), windows: [] },
    { label: 'ceiling', server: servers.ceiling, headers, next: cycle(workload.ceiling), windows: [] },
  ];
  let reference: Record<string, unknown> = {};
  let sameJson = false;
  const rowsWritten: { rapport?: Record<string, number>; ceiling?: Record<string, number> } = {};
  try {
    // The rows a probe wrote are counted on PostgreSQL, where both sides share the database (PGlite's are two copies).
    const counter = fixture.target.kind === 'postgres' ? await openDatabase({ kind: 'postgres', url: fixture.target.url, max: 1 }) : undefined;
    try {
      const probe = async (side: 'rapport' | 'ceiling') => {
        const before = counter ? await rowCounts(counter) : undefined;
        const answer = await send(side === 'rapport' ? servers.rapport.url : servers.ceiling.url, headers, workload.probe[side]);
        if (answer.status >= 300) throw new Error(`${side}: ${workload.probe[side].method ?? 'GET'} ${workload.probe[side].path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
        if (counter && before) rowsWritten[side] = rowDelta(before, await rowCounts(counter));
        return answer.body;
      };
      const rapportAnswer = await probe('rapport');
      const ceilingAnswer = await probe('ceiling');
      sameJson = isDeepStrictEqual(workload.comparable(rapportAnswer), workload.comparable(ceilingAnswer));
      if (!sameJson) ctx.log(`! the answers differ:\n  rapport: ${JSON.stringify(workload.comparable(rapportAnswer)).slice(0, 1500)}\n  ceiling: ${JSON.stringify(workload.comparable(ceilingAnswer)).slice(0, 1500)}`);
    } finally {
      await counter?.close();
    }
    if (rowsWritten.rapport && !isDeepStrictEqual(rowsWritten.rapport, rowsWritten.ceiling)) ctx.log(`! the sides wrote different rows: rapport ${JSON.stringify(rowsWritten.rapport)}, ceiling ${JSON.stringify(rowsWritten.ceiling)} (update ${BPM_CEILING})`);

    await measureRounds(ctx, sides, connections, (side) => {
      const last = side.windows.at(-1);
      return spec.mode === 'latency' ? `p95 ${round(last?.latencyMs.p95 ?? Number.NaN, 1)} ms (${Math.round(last?.rps ?? 0)} req/s)` : `${Math.round(last?.rps ?? 0)} req/s (p95 ${round(last?.latencyMs.p95 ?? Number.NaN, 1)} ms)`;
    });
  } finally {
    await servers.stop();
  }
  if (spec.reference) reference = await spec.reference(ctx);

  const [rapport, ceiling] = sides.map(sideTotals);
  if (!rapport || !ceiling) throw new Error('no measurements');
  const { raw, fields } = headline(spec.mode, rapport, ceiling);
  const { value, ratio } = raw;
  const sameRows = rowsWritten.rapport === undefined || isDeepStrictEqual(rowsWritten.rapport, rowsWritten.ceiling);
  return {
    name: spec.name,
    metric: spec.metric,
    ...fields,
    dataset: fixture.dataset,
    ...commonFields(ctx),
    target: spec.target,
    pass: meets(spec.target, value, ratio),
    details: {
      endpoint: spec.endpoint,
      login: `${fixture.login} (administrator: process rights over every instance)`,
      connections,
      windowS: ctx.options.durationS,
      rounds: ctx.options.rounds,
      warmupS: ctx.options.warmupS,
      loadGenerator: 'autocannon in the bench process over HTTP keep-alive; Rapport (startServer, workers on) and the ceiling each in their own child process; windows alternate',
      ...workload.notes,
      ...reference,
      setupMs: Math.round(setupMs),
      databaseTarget: fixture.target.kind === 'postgres' ? fixture.target.database : 'PGlite data directory (the ceiling works on a copy)',
      sameJson,
      sameRows,
      rowsWrittenPerRequest: rowsWritten.rapport ? rowsWritten : 'counted on PostgreSQL only (PGlite: the sides work on two copies)',
      rapportStatements: captured.length,
      rapportSql: captured,
      cpuRatio: rapport.cpuMsPerRequest && ceiling.cpuMsPerRequest ? round(ceiling.cpuMsPerRequest / rapport.cpuMsPerRequest, 3) : undefined,
      cpuRatioDefinition: 'ceiling server CPU ms per request ÷ Rapport server CPU ms per request (on PostgreSQL the database processes are not counted)',
      rapport: shapeTotals(rapport),
      ceiling: shapeTotals(ceiling),
    },
  } satisfies BenchResult;
}
