import { reportBenchmark } from '../lib/sales.js';

/**
 * The funnel report: GET /api/v1/reports/funnel?from&to&pipelineId of the biggest pipeline over the report page's
 * presets (this month, last month, this quarter; the year is left out: see the README): per stage how many deals
 * created in the period reached it, and the lost.
 */
export const funnelReport = reportBenchmark({
  report: 'funnel',
  presets: ['this-month', 'last-month', 'this-quarter'],
  serve: (services, ctx, query) => services.report.funnel(ctx, query),
});
