import { CampaignsReport, ForecastReport, FunnelReport, LeadSourcesReport, ManagersReport, ReportQuery, TimeInStageReport, WonLostReport, type ReportName } from '@rapport/shared';
import type { TSchema } from 'typebox';
import type { Ctx } from '../../core/context.js';
import { ctxOf } from '../../http/access.js';
import type { App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['reports'] };

/**
 * GET /api/v1/reports/<name> answers JSON; /api/v1/reports/<name>.csv the same table as a CSV file. The role's report
 * right opens them; the numbers are those of the deals (leads, activities) its read scopes show (checked by the service).
 */
export function reportRoutes(app: App, services: Services): void {
  const reports: Record<ReportName, { schema: TSchema; run: (ctx: Ctx, q: ReportQuery) => Promise<unknown> }> = {
    funnel: { schema: FunnelReport, run: services.report.funnel },
    'time-in-stage': { schema: TimeInStageReport, run: services.report.timeInStage },
    'won-lost': { schema: WonLostReport, run: services.report.wonLost },
    managers: { schema: ManagersReport, run: services.report.managers },
    'lead-sources': { schema: LeadSourcesReport, run: services.report.leadSources },
    campaigns: { schema: CampaignsReport, run: services.report.campaigns },
    forecast: { schema: ForecastReport, run: services.report.forecast },
  };
  for (const [name, report] of Object.entries(reports) as [ReportName, (typeof reports)[ReportName]][]) {
    app.get(`/api/v1/reports/${name}`, { config: { access: { object: 'report', action: 'read' } }, schema: { ...TAG, querystring: ReportQuery, response: { 200: report.schema } } }, (request) =>
      report.run(ctxOf(request), request.query),
    );
    app.get(`/api/v1/reports/${name}.csv`, { config: { access: { object: 'report', action: 'read' } }, schema: { ...TAG, querystring: ReportQuery } }, async (request, reply) => {
      const body = await services.report.csv(ctxOf(request), name, request.query);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(body);
    });
  }
}
