import type { PeriodPreset } from '@rapport/shared';
import type { Benchmark } from '../lib/benchmark.js';
import { interleave, runClientBaseBenchmark, SALES_CEILING, type KindedRequest } from '../lib/client-base-bench.js';
import type { Target as PassTarget } from '../lib/results.js';
import { biggestPipeline, reportPath, reportQueryOf, workspaceToday } from '../lib/sales.js';

const TARGET: PassTarget = { field: 'value', op: '<=', threshold: 300 };
/** The report page's presets a sales head opens the funnel with (the year is left out: see the README). */
const PRESETS: PeriodPreset[] = ['this-month', 'last-month', 'this-quarter'];

/**
 * The funnel report: GET /api/v1/reports/funnel?from&to&pipelineId of the biggest pipeline over the report page's
 * presets (this month, last month, this quarter): per stage how many deals created in the period reached it, and the lost.
 */
export const funnelReport: Benchmark = {
  name: 'funnel-report',
  description: 'GET /api/v1/reports/funnel (biggest pipeline; this/last month, this quarter): p95 vs bare Fastify + pg',
  run: (ctx) =>
    runClientBaseBenchmark(ctx, {
      name: 'funnel-report',
      metric: `p95 latency, GET /api/v1/reports/funnel?from&to&pipelineId (${PRESETS.join(', ')}; ${ctx.options.latencyConnections} connections)`,
      target: TARGET,
      mode: 'latency',
      endpoint: 'GET /api/v1/reports/funnel?from=…&to=…&pipelineId=…',
      base: 'deals',
      ceiling: SALES_CEILING,
      async workload(sql, fixture) {
        const pipeline = await biggestPipeline(sql, fixture.workspaceId);
        const today = await workspaceToday(sql, fixture.workspaceId);
        const requests = interleave(PRESETS.map((preset): KindedRequest[] => [{ kind: preset, path: reportPath('funnel', preset, today, pipeline.id) }]));
        return { requests, notes: { pipeline: pipeline.name, pipelineDeals: pipeline.deals, today, presets: PRESETS } };
      },
      serve: (services, ctx, request) => services.report.funnel(ctx, reportQueryOf(request.path)),
    }),
};
