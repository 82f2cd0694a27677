import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { AccessScope } from '../../core/access-scope.js';
import type { Executor } from '../../infra/db.js';
import { scopePredicate } from '../client-record/client-record.repository.js';

/** What every report query is narrowed by. Dates are whole days in the workspace's time zone, `to` inclusive. */
export interface ReportFilter {
  workspaceId: string;
  from: string;
  to: string;
  timezone: string;
  pipelineId: string | null;
  teamId: string | null;
  ownerId: string | null;
}

/** A timestamp column inside the period's days, as a range on the column (so its indexes stay usable). */
function inPeriod(column: string, f: ReportFilter): RawBuilder<SqlBool> {
  const ref = sql.ref(column);
  return sql<SqlBool>`(${ref} >= (${f.from}::date::timestamp AT TIME ZONE ${f.timezone}) AND ${ref} < ((${f.to}::date + 1)::timestamp AT TIME ZONE ${f.timezone}))`;
}

/** Live owned records of one table (alias `alias`) in the actor's scope, narrowed by team and owner. */
function ownedWhere(alias: string, scope: AccessScope, f: ReportFilter): RawBuilder<SqlBool> {
  const parts = [sql<SqlBool>`${sql.ref(`${alias}.workspace_id`)} = ${f.workspaceId}`, sql<SqlBool>`${sql.ref(`${alias}.deleted_at`)} IS NULL`, scopePredicate(scope, alias)];
  if (f.teamId) parts.push(sql<SqlBool>`${sql.ref(`${alias}.team_id`)} = ${f.teamId}`);
  if (f.ownerId) parts.push(sql<SqlBool>`${sql.ref(`${alias}.owner_id`)} = ${f.ownerId}`);
  return sql<SqlBool>`${sql.join(parts, sql` AND `)}`;
}

function dealWhere(scope: AccessScope, f: ReportFilter): RawBuilder<SqlBool> {
  return f.pipelineId ? sql<SqlBool>`${ownedWhere('r', scope, f)} AND r.pipeline_id = ${f.pipelineId}` : ownedWhere('r', scope, f);
}

/** The pipeline a report reads: the named one (archived ones too: their history still counts) or the live default. */
export async function findReportPipeline(ex: Executor, workspaceId: string, id: string | null): Promise<string | null> {
  const which = id ? sql`id = ${id}` : sql`is_default AND archived_at IS NULL`;
  const result = await sql<{ id: string }>`SELECT id FROM pipeline WHERE workspace_id = ${workspaceId} AND ${which} LIMIT 1`.execute(ex);
  return result.rows[0]?.id ?? null;
}

/**
 * Per stage of the pipeline (lost stages aside), how many deals created in the period reached it: a deal's furthest
 * stage counts for every stage before it, since a deal dragged past a stage has passed it. The furthest stage is kept on
 * the deal (`reached_position`, 0029_deal_reach.sql), so the period's deals are read and not their histories (worked out
 * from the histories, a month of a million-deal pipeline took 1.5 s). Computed once (MATERIALIZED: inlined, each
 * stage's count re-ran it).
 */
export async function funnelCounts(ex: Executor, scope: AccessScope, f: ReportFilter & { pipelineId: string }) {
  const result = await sql<{ stage_id: string; stage_name: string; kind: 'open' | 'won'; reached: number }>`
    WITH reach AS MATERIALIZED (SELECT r.reached_position AS top FROM deal r WHERE ${dealWhere(scope, f)} AND ${inPeriod('r.created_at', f)})
    SELECT s.id AS stage_id, s.name AS stage_name, s.kind, (SELECT count(*) FROM reach WHERE reach.top >= s.position)::int AS reached
    FROM pipeline_stage s WHERE s.workspace_id = ${f.workspaceId} AND s.pipeline_id = ${f.pipelineId} AND s.kind <> 'lost'
    ORDER BY s.position`.execute(ex);
  return result.rows;
}

/** Deals created in the period that are in a lost stage now. */
export async function funnelLost(ex: Executor, scope: AccessScope, f: ReportFilter & { pipelineId: string }): Promise<number> {
  const result = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM deal r JOIN pipeline_stage s ON s.workspace_id = r.workspace_id AND s.id = r.stage_id AND s.kind = 'lost'
    WHERE ${dealWhere(scope, f)} AND ${inPeriod('r.created_at', f)}`.execute(ex);
  return result.rows[0]?.n ?? 0;
}

/** Finished stays in each open stage of deals created in the period: count, average and median length in days. */
export async function stageDurations(ex: Executor, scope: AccessScope, f: ReportFilter & { pipelineId: string }) {
  const result = await sql<{ stage_id: string; stage_name: string; stays: number; average_days: number | null; median_days: number | null }>`
    WITH d AS (SELECT r.id FROM deal r WHERE ${dealWhere(scope, f)} AND ${inPeriod('r.created_at', f)}),
    x AS (
      SELECT h.to_stage_id, extract(epoch FROM h.left_at - h.entered_at) / 86400 AS days
      FROM d JOIN deal_stage_history h ON h.workspace_id = ${f.workspaceId} AND h.deal_id = d.id
      WHERE h.left_at IS NOT NULL
    )
    SELECT s.id AS stage_id, s.name AS stage_name, count(x.days)::int AS stays,
      round(avg(x.days)::numeric, 2)::float8 AS average_days,
      round((percentile_cont(0.5) WITHIN GROUP (ORDER BY x.days))::numeric, 2)::float8 AS median_days
    FROM pipeline_stage s LEFT JOIN x ON x.to_stage_id = s.id
    WHERE s.workspace_id = ${f.workspaceId} AND s.pipeline_id = ${f.pipelineId} AND s.kind = 'open'
    GROUP BY s.id, s.name, s.position ORDER BY s.position`.execute(ex);
  return result.rows;
}

/** Deals that entered a won or lost stage in the period and are still there, by outcome and currency. */
export async function closedTotals(ex: Executor, scope: AccessScope, f: ReportFilter) {
  const result = await sql<{ outcome: 'won' | 'lost'; currency: string; count: number; amount: string }>`
    SELECT s.kind AS outcome, r.currency, count(*)::int AS count, sum(r.amount)::numeric(20, 2)::text AS amount
    FROM deal r JOIN pipeline_stage s ON s.workspace_id = r.workspace_id AND s.id = r.stage_id AND s.kind IN ('won', 'lost')
    WHERE ${dealWhere(scope, f)} AND ${inPeriod('r.stage_entered_at', f)}
    GROUP BY s.kind, r.currency ORDER BY s.kind DESC, r.currency`.execute(ex);
  return result.rows;
}

export async function lostReasons(ex: Executor, scope: AccessScope, f: ReportFilter) {
  const result = await sql<{ reason: string | null; currency: string; count: number; amount: string }>`
    SELECT nullif(btrim(r.lost_reason), '') AS reason, r.currency, count(*)::int AS count, sum(r.amount)::numeric(20, 2)::text AS amount
    FROM deal r JOIN pipeline_stage s ON s.workspace_id = r.workspace_id AND s.id = r.stage_id AND s.kind = 'lost'
    WHERE ${dealWhere(scope, f)} AND ${inPeriod('r.stage_entered_at', f)}
    GROUP BY 1, r.currency ORDER BY count(*) DESC, 1, r.currency`.execute(ex);
  return result.rows;
}

/** Per owner and currency: deals created in the period, won in the period (count, sum) and open now (sum). */
export async function ownerDealTotals(ex: Executor, scope: AccessScope, f: ReportFilter) {
  const result = await sql<{ owner_id: string; owner_name: string; currency: string; created: number; won_count: number; won: string; open: string }>`
    SELECT r.owner_id, u.name AS owner_name, r.currency,
      count(*) FILTER (WHERE ${inPeriod('r.created_at', f)})::int AS created,
      count(*) FILTER (WHERE s.kind = 'won' AND ${inPeriod('r.stage_entered_at', f)})::int AS won_count,
      coalesce(sum(r.amount) FILTER (WHERE s.kind = 'won' AND ${inPeriod('r.stage_entered_at', f)}), 0)::numeric(20, 2)::text AS won,
      coalesce(sum(r.amount) FILTER (WHERE s.kind = 'open'), 0)::numeric(20, 2)::text AS open
    FROM deal r
    JOIN pipeline_stage s ON s.workspace_id = r.workspace_id AND s.id = r.stage_id
    JOIN app_user u ON u.workspace_id = r.workspace_id AND u.id = r.owner_id
    WHERE ${dealWhere(scope, f)}
    GROUP BY r.owner_id, u.name, r.currency ORDER BY u.name, r.owner_id, r.currency`.execute(ex);
  return result.rows;
}

/** Calls and meetings that happened in the period (not planned or cancelled ones), by their responsible user. */
export async function ownerActivityCounts(ex: Executor, scope: AccessScope, f: ReportFilter) {
  const result = await sql<{ owner_id: string; owner_name: string; calls: number; meetings: number }>`
    SELECT a.owner_id, u.name AS owner_name,
      count(*) FILTER (WHERE a.kind = 'call')::int AS calls, count(*) FILTER (WHERE a.kind = 'meeting')::int AS meetings
    FROM activity a JOIN app_user u ON u.workspace_id = a.workspace_id AND u.id = a.owner_id
    WHERE ${ownedWhere('a', scope, f)} AND a.kind IN ('call', 'meeting') AND (a.status IS NULL OR a.status = 'done') AND ${inPeriod('a.occurred_at', f)}
    GROUP BY a.owner_id, u.name`.execute(ex);
  return result.rows;
}

/** What leads and deals are attributed to: their source ('none' for a deal without one) or their campaign (null without one). */
export type Attribution = 'source' | 'campaign';
const LEAD_KEY: Record<Attribution, RawBuilder<string | null>> = { source: sql`l.source`, campaign: sql`nullif(btrim(l.utm->>'utm_campaign'), '')` };
const DEAL_KEY: Record<Attribution, RawBuilder<string | null>> = { source: sql`coalesce(r.source, 'none')`, campaign: sql`nullif(btrim(r.campaign), '')` };

/** Leads created in the period, by source or campaign. */
export async function leadsBy(ex: Executor, scope: AccessScope, f: ReportFilter, by: Attribution) {
  const result = await sql<{ key: string | null; leads: number }>`
    SELECT ${LEAD_KEY[by]} AS key, count(*)::int AS leads FROM lead l WHERE ${ownedWhere('l', scope, f)} AND ${inPeriod('l.created_at', f)} GROUP BY 1`.execute(ex);
  return result.rows;
}

/** Deals created in the period by source or campaign and currency: how many, how many won now and their sum. */
export async function dealsBy(ex: Executor, scope: AccessScope, f: ReportFilter, by: Attribution) {
  const result = await sql<{ key: string | null; currency: string; deals: number; won_count: number; won: string }>`
    SELECT ${DEAL_KEY[by]} AS key, r.currency, count(*)::int AS deals,
      count(*) FILTER (WHERE s.kind = 'won')::int AS won_count,
      coalesce(sum(r.amount) FILTER (WHERE s.kind = 'won'), 0)::numeric(20, 2)::text AS won
    FROM deal r JOIN pipeline_stage s ON s.workspace_id = r.workspace_id AND s.id = r.stage_id
    WHERE ${dealWhere(scope, f)} AND ${inPeriod('r.created_at', f)}
    GROUP BY 1, r.currency`.execute(ex);
  return result.rows;
}

/** Open deals expected to close within the period's days, by month and currency, weighted by their stage's probability. */
export async function forecastByMonth(ex: Executor, scope: AccessScope, f: ReportFilter) {
  const result = await sql<{ month: string; currency: string; count: number; amount: string; weighted: string }>`
    SELECT to_char(r.expected_close_date, 'YYYY-MM') AS month, r.currency, count(*)::int AS count,
      sum(r.amount)::numeric(20, 2)::text AS amount, sum(r.amount * s.probability / 100.0)::numeric(20, 2)::text AS weighted
    FROM deal r JOIN pipeline_stage s ON s.workspace_id = r.workspace_id AND s.id = r.stage_id AND s.kind = 'open'
    WHERE ${dealWhere(scope, f)} AND r.expected_close_date BETWEEN ${f.from}::date AND ${f.to}::date
    GROUP BY 1, r.currency ORDER BY 1, r.currency`.execute(ex);
  return result.rows;
}
