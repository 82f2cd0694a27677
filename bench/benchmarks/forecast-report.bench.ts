import { reportBenchmark } from '../lib/sales.js';

/**
 * The forecast report: GET /api/v1/reports/forecast?from&to&pipelineId of the biggest pipeline, looking ahead over the
 * month, the quarter and the year: its open deals expected to close then, by month and currency, weighted by their
 * stage's probability.
 */
export const forecastReport = reportBenchmark({
  report: 'forecast',
  presets: ['this-month', 'this-quarter', 'this-year'],
  serve: (services, ctx, query) => services.report.forecast(ctx, query),
});
