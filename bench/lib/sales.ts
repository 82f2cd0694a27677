import { presetPeriod, type PeriodPreset } from '@rapport/shared';
import type { Ctx } from '../../packages/server/src/core/context.js';
import type { Database } from '../../packages/server/src/infra/db.js';
import type { Services } from '../../packages/server/src/services.js';
import type { Benchmark } from './benchmark.js';
import { interleave, runClientBaseBenchmark, SALES_CEILING, type KindedRequest } from './client-base-bench.js';

/** The sales benchmarks' shared pieces: which pipeline they read and the report periods around the data's today. */

/** The live pipeline holding the most live deals (by the board's kept totals): the biggest board, the heaviest report. */
export async function biggestPipeline(sql: Database['executeSql'], workspaceId: string): Promise<{ id: string; name: string; deals: number }> {
  const { rows } = await sql(
    `SELECT p.id, p.name, sum(t.deals)::int AS deals FROM deal_stage_total t
     JOIN pipeline_stage s ON s.workspace_id = t.workspace_id AND s.id = t.stage_id
     JOIN pipeline p ON p.workspace_id = s.workspace_id AND p.id = s.pipeline_id AND p.archived_at IS NULL
     WHERE t.workspace_id = $1 GROUP BY p.id, p.name ORDER BY 3 DESC, p.id LIMIT 1`,
    [workspaceId],
  );
  const row = rows[0];
  if (!row) throw new Error('the base has no deals: generate it with --deals');
  return { id: String(row.id), name: String(row.name), deals: Number(row.deals) };
}

/** Today in the workspace's time zone (what the report page's presets start from). */
export async function workspaceToday(sql: Database['executeSql'], workspaceId: string): Promise<string> {
  const { rows } = await sql("SELECT to_char(now() AT TIME ZONE timezone, 'YYYY-MM-DD') AS today FROM workspace WHERE id = $1", [workspaceId]);
  return String(rows[0]?.today);
}

/** `GET /api/v1/reports/<name>` of a preset period of the report page, for one pipeline. */
export function reportPath(name: string, preset: PeriodPreset, today: string, pipelineId: string): string {
  const { from, to } = presetPeriod(preset, today);
  return `/api/v1/reports/${name}?${new URLSearchParams({ from, to, pipelineId }).toString()}`;
}

type ReportQuery = { from: string; to: string; pipelineId: string };

/** The query of a report path as the service takes it. */
export function reportQueryOf(path: string): ReportQuery {
  const params = new URL(path, 'http://bench').searchParams;
  return { from: params.get('from') ?? '', to: params.get('to') ?? '', pipelineId: params.get('pipelineId') ?? '' };
}

/** Both report benchmarks' target (the issue's). */
const REPORT_TARGET = { field: 'value', op: '<=', threshold: 300 } as const;

/**
 * A sales report benchmark: GET /api/v1/reports/<report>?from&to&pipelineId of the biggest pipeline over `presets` of
 * the report page, round-robin; `serve` is the service call the route makes (for the statement check).
 */
export function reportBenchmark(spec: { report: string; presets: PeriodPreset[]; serve: (services: Services, ctx: Ctx, query: ReportQuery) => Promise<unknown> }): Benchmark {
  const name = `${spec.report}-report`;
  return {
    name,
    description: `GET /api/v1/reports/${spec.report} (biggest pipeline; ${spec.presets.join(', ')}): p95 vs bare Fastify + pg`,
    run: (ctx) =>
      runClientBaseBenchmark(ctx, {
        name,
        metric: `p95 latency, GET /api/v1/reports/${spec.report}?from&to&pipelineId (${spec.presets.join(', ')}; ${ctx.options.latencyConnections} connections)`,
        target: REPORT_TARGET,
        mode: 'latency',
        endpoint: `GET /api/v1/reports/${spec.report}?from=…&to=…&pipelineId=…`,
        base: 'deals',
        ceiling: SALES_CEILING,
        async workload(sql, fixture) {
          const pipeline = await biggestPipeline(sql, fixture.workspaceId);
          const today = await workspaceToday(sql, fixture.workspaceId);
          const requests = interleave(spec.presets.map((preset): KindedRequest[] => [{ kind: preset, path: reportPath(spec.report, preset, today, pipeline.id) }]));
          return { requests, notes: { pipeline: pipeline.name, pipelineDeals: pipeline.deals, today, presets: spec.presets } };
        },
        serve: (services, ctx, request) => spec.serve(services, ctx, reportQueryOf(request.path)),
      }),
  };
}
