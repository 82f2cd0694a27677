import type { PeriodPreset } from '@rapport/shared';
import type { Benchmark } from '../lib/benchmark.js';
import { interleave, runClientBaseBenchmark, SALES_CEILING, type KindedRequest } from '../lib/client-base-bench.js';
import type { Target as PassTarget } from '../lib/results.js';
import { biggestPipeline, reportPath, reportQueryOf, workspaceToday } from '../lib/sales.js';

const TARGET: PassTarget = { field: 'value', op: '<=', threshold: 300 };
/** The forecast looks ahead: the month, the quarter and the year of open deals' expected close dates. */
const PRESETS: PeriodPreset[] = ['this-month', 'this-quarter', 'this-year'];

/**
 * The forecast report: GET /api/v1/reports/forecast?from&to&pipelineId of the biggest pipeline: its open deals expected
 * to close in the period, by month and currency, weighted by their stage's probability.
 */
export const forecastReport: Benchmark = {
  name: 'forecast-report',
  description: 'GET /api/v1/reports/forecast (biggest pipeline; this month, quarter, year): p95 vs bare Fastify + pg',
  run: (ctx) =>
    runClientBaseBenchmark(ctx, {
      name: 'forecast-report',
      metric: `p95 latency, GET /api/v1/reports/forecast?from&to&pipelineId (${PRESETS.join(', ')}; ${ctx.options.latencyConnections} connections)`,
      target: TARGET,
      mode: 'latency',
      endpoint: 'GET /api/v1/reports/forecast?from=…&to=…&pipelineId=…',
      base: 'deals',
      ceiling: SALES_CEILING,
      async workload(sql, fixture) {
        const pipeline = await biggestPipeline(sql, fixture.workspaceId);
        const today = await workspaceToday(sql, fixture.workspaceId);
        const requests = interleave(PRESETS.map((preset): KindedRequest[] => [{ kind: preset, path: reportPath('forecast', preset, today, pipeline.id) }]));
        return { requests, notes: { pipeline: pipeline.name, pipelineDeals: pipeline.deals, today, presets: PRESETS } };
      },
      serve: (services, ctx, request) => services.report.forecast(ctx, reportQueryOf(request.path)),
    }),
};
