import {
  addMoney,
  presetPeriod,
  ratio,
  toCsv,
  type ForecastReport,
  type CampaignsReport,
  type FunnelReport,
  type LeadSourcesReport,
  type ManagersReport,
  type MoneySum,
  type ReportName,
  type ReportQuery,
  type TimeInStageReport,
  type WonLostReport,
} from '@rapport/shared';
import { accessScope, can } from '../../core/access-scope.js';
import { AppError } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import { getWorkspace } from '../workspace/workspace.service.js';
import {
  type Attribution,
  closedTotals,
  dealsBy,
  findReportPipeline,
  forecastByMonth,
  funnelCounts,
  funnelLost,
  leadsBy,
  lostReasons,
  ownerActivityCounts,
  ownerDealTotals,
  stageDurations,
  type ReportFilter,
} from './report.repository.js';

const money = (sums: MoneySum[]) => sums.map((sum) => `${sum.amount} ${sum.currency}`).join('; ');
const share = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 10);

export function createReportService(deps: ServiceDeps) {
  /** The query as a filter: the period's defaults (this month), its order, and the pipeline checked. */
  async function filterOf(ctx: Ctx, q: ReportQuery, pipeline: 'default' | 'optional'): Promise<ReportFilter> {
    const { timezone } = await getWorkspace(deps.db, ctx.actor.workspaceId);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(deps.clock.now());
    const month = presetPeriod('this-month', today);
    const from = q.from ?? month.from;
    const to = q.to ?? month.to;
    if (to < from) throw new AppError('validation', { message: 'The period ends before it starts', errors: [{ path: '/query/to', message: 'must not be before from' }] });
    let pipelineId: string | null = null;
    if (q.pipelineId || pipeline === 'default') {
      pipelineId = await findReportPipeline(deps.db, ctx.actor.workspaceId, q.pipelineId ?? null);
      if (!pipelineId) {
        throw q.pipelineId
          ? new AppError('validation', { message: 'No such pipeline', errors: [{ path: '/query/pipelineId', message: 'no such pipeline' }] })
          : new AppError('validation', { message: 'The workspace has no default pipeline; name one', errors: [{ path: '/query/pipelineId', message: 'required: no default pipeline' }] });
      }
    }
    return { workspaceId: ctx.actor.workspaceId, from, to, timezone, pipelineId, teamId: q.teamId ?? null, ownerId: q.ownerId ?? null };
  }
  const periodOf = (f: ReportFilter) => ({ from: f.from, to: f.to, pipelineId: f.pipelineId });

  async function funnel(ctx: Ctx, q: ReportQuery): Promise<FunnelReport> {
    const scope = accessScope(ctx.actor, 'deal', 'read');
    const f = await filterOf(ctx, q, 'default');
    const p = { ...f, pipelineId: f.pipelineId! };
    const [counts, lost] = await Promise.all([funnelCounts(deps.db, scope, p), funnelLost(deps.db, scope, p)]);
    const rows = counts.map((row, i) => ({ stageId: row.stage_id, stageName: row.stage_name, kind: row.kind, reached: row.reached, conversion: i === 0 ? null : ratio(row.reached, counts[i - 1]!.reached) }));
    const overall = rows.length > 0 ? ratio(rows[rows.length - 1]!.reached, rows[0]!.reached) : null;
    return { period: periodOf(f), rows, overall, lost };
  }

  async function timeInStage(ctx: Ctx, q: ReportQuery): Promise<TimeInStageReport> {
    const scope = accessScope(ctx.actor, 'deal', 'read');
    const f = await filterOf(ctx, q, 'default');
    const rows = await stageDurations(deps.db, scope, { ...f, pipelineId: f.pipelineId! });
    return { period: periodOf(f), rows: rows.map((row) => ({ stageId: row.stage_id, stageName: row.stage_name, stays: row.stays, averageDays: row.average_days, medianDays: row.median_days })) };
  }

  async function wonLost(ctx: Ctx, q: ReportQuery): Promise<WonLostReport> {
    const scope = accessScope(ctx.actor, 'deal', 'read');
    const f = await filterOf(ctx, q, 'optional');
    const [rows, reasons] = await Promise.all([closedTotals(deps.db, scope, f), lostReasons(deps.db, scope, f)]);
    return { period: periodOf(f), rows, lostReasons: reasons };
  }

  async function managers(ctx: Ctx, q: ReportQuery): Promise<ManagersReport> {
    const scope = accessScope(ctx.actor, 'deal', 'read');
    const f = await filterOf(ctx, q, 'optional');
    // Calls and meetings are counted only for a role that may read activities, in that role's activity scope.
    const activityScope = can(ctx.actor, 'activity', 'read') ? accessScope(ctx.actor, 'activity', 'read') : null;
    const [deals, activities] = await Promise.all([ownerDealTotals(deps.db, scope, f), activityScope ? ownerActivityCounts(deps.db, activityScope, f) : Promise.resolve([])]);
    const byOwner = new Map<string, ManagersReport['rows'][number]>();
    const rowOf = (ownerId: string, ownerName: string) => {
      let row = byOwner.get(ownerId);
      if (!row) {
        row = { ownerId, ownerName, dealsCreated: 0, wonCount: 0, won: [], open: [], calls: activityScope ? 0 : null, meetings: activityScope ? 0 : null };
        byOwner.set(ownerId, row);
      }
      return row;
    };
    for (const d of deals) {
      const row = rowOf(d.owner_id, d.owner_name);
      row.dealsCreated += d.created;
      row.wonCount += d.won_count;
      if (d.won_count > 0) row.won = addMoney(row.won, d.currency, d.won);
      if (d.open !== '0.00') row.open = addMoney(row.open, d.currency, d.open);
    }
    for (const a of activities) Object.assign(rowOf(a.owner_id, a.owner_name), { calls: a.calls, meetings: a.meetings });
    const rows = [...byOwner.values()].filter((row) => row.dealsCreated + row.wonCount + row.open.length + (row.calls ?? 0) + (row.meetings ?? 0) > 0);
    return { period: periodOf(f), rows: rows.sort((a, b) => a.ownerName.localeCompare(b.ownerName) || a.ownerId.localeCompare(b.ownerId)) };
  }

  /** Leads and deals of the period grouped by what they are attributed to, most deals first. */
  async function attributed(ctx: Ctx, q: ReportQuery, by: Attribution) {
    const scope = accessScope(ctx.actor, 'deal', 'read');
    const f = await filterOf(ctx, q, 'optional');
    const leadScope = can(ctx.actor, 'lead', 'read') ? accessScope(ctx.actor, 'lead', 'read') : null;
    const [leads, deals] = await Promise.all([leadScope ? leadsBy(deps.db, leadScope, f, by) : Promise.resolve([]), dealsBy(deps.db, scope, f, by)]);
    const byKey = new Map<string | null, { key: string | null; leads: number | null; deals: number; wonCount: number; won: MoneySum[] }>();
    const rowOf = (key: string | null) => {
      let row = byKey.get(key);
      if (!row) {
        row = { key, leads: leadScope ? 0 : null, deals: 0, wonCount: 0, won: [] };
        byKey.set(key, row);
      }
      return row;
    };
    for (const l of leads) rowOf(l.key).leads = l.leads;
    for (const d of deals) {
      const row = rowOf(d.key);
      row.deals += d.deals;
      row.wonCount += d.won_count;
      if (d.won_count > 0) row.won = addMoney(row.won, d.currency, d.won);
    }
    const rows = [...byKey.values()].sort((a, b) => b.deals - a.deals || (b.leads ?? 0) - (a.leads ?? 0) || (a.key ?? '\uffff').localeCompare(b.key ?? '\uffff'));
    return { period: periodOf(f), rows };
  }

  async function leadSources(ctx: Ctx, q: ReportQuery): Promise<LeadSourcesReport> {
    const { period, rows } = await attributed(ctx, q, 'source');
    return { period, rows: rows.map(({ key, ...row }) => ({ source: key ?? 'none', ...row })) };
  }

  async function campaigns(ctx: Ctx, q: ReportQuery): Promise<CampaignsReport> {
    const { period, rows } = await attributed(ctx, q, 'campaign');
    return { period, rows: rows.map(({ key, ...row }) => ({ campaign: key, ...row })) };
  }


  async function forecast(ctx: Ctx, q: ReportQuery): Promise<ForecastReport> {
    const scope = accessScope(ctx.actor, 'deal', 'read');
    const f = await filterOf(ctx, q, 'optional');
    return { period: periodOf(f), rows: await forecastByMonth(deps.db, scope, f) };
  }

  /** One report as CSV: the table under its chart, one line per row (per currency where amounts are). */
  async function csv(ctx: Ctx, name: ReportName, q: ReportQuery): Promise<string> {
    switch (name) {
      case 'funnel': {
        const report = await funnel(ctx, q);
        return toCsv(['Stage', 'Reached', 'Conversion from previous, %'], [...report.rows.map((row) => [row.stageName, row.reached, share(row.conversion)]), ['Overall conversion, %', null, share(report.overall)], ['Lost', report.lost, null]]);
      }
      case 'time-in-stage': {
        const report = await timeInStage(ctx, q);
        return toCsv(['Stage', 'Finished stays', 'Average days', 'Median days'], report.rows.map((row) => [row.stageName, row.stays, row.averageDays, row.medianDays]));
      }
      case 'won-lost': {
        const report = await wonLost(ctx, q);
        return toCsv(
          ['Outcome', 'Lost reason', 'Currency', 'Deals', 'Amount'],
          [...report.rows.map((row) => [row.outcome, null, row.currency, row.count, row.amount]), ...report.lostReasons.map((row) => ['lost', row.reason, row.currency, row.count, row.amount])],
        );
      }
      case 'managers': {
        const report = await managers(ctx, q);
        return toCsv(['Manager', 'Deals created', 'Won deals', 'Won amount', 'Open amount', 'Calls', 'Meetings'], report.rows.map((row) => [row.ownerName, row.dealsCreated, row.wonCount, money(row.won), money(row.open), row.calls, row.meetings]));
      }
      case 'lead-sources': {
        const report = await leadSources(ctx, q);
        return toCsv(['Source', 'Leads', 'Deals', 'Won deals', 'Won amount'], report.rows.map((row) => [row.source, row.leads, row.deals, row.wonCount, money(row.won)]));
      }
      case 'campaigns': {
        const report = await campaigns(ctx, q);
        return toCsv(['Campaign', 'Leads', 'Deals', 'Won deals', 'Won amount'], report.rows.map((row) => [row.campaign, row.leads, row.deals, row.wonCount, money(row.won)]));
      }
      case 'forecast': {
        const report = await forecast(ctx, q);
        return toCsv(['Month', 'Currency', 'Deals', 'Amount', 'Weighted amount'], report.rows.map((row) => [row.month, row.currency, row.count, row.amount, row.weighted]));
      }
    }
  }

  return { funnel, timeInStage, wonLost, managers, leadSources, campaigns, forecast, csv };
}

export type ReportService = ReturnType<typeof createReportService>;
