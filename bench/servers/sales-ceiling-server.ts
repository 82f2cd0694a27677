/**
 * Child process: the ceiling of the sales benchmarks (kanban, funnel-report, forecast-report). A bare Fastify app (no
 * plugins, hooks or schemas) running, per request, the statements Rapport runs for it through
 * `openDatabase(...).executeSql` (a pg.Pool of 10 on PostgreSQL, with JIT off as Rapport's; PGlite's pg pool on the
 * embedded backend), and answering the same JSON:
 *
 *   GET /api/v1/deals/board        session, the deal custom fields, the pipeline's stages, the column totals (kept per
 *                                  stage: deal_stage_total) beside the newest cards of each stage (two connections, as
 *                                  Rapport's Promise.all), the cards' owners, stages, companies and contact people
 *   GET /api/v1/reports/funnel     session, the workspace's time zone, the pipeline, the reached-stage counts beside the
 *                                  lost count
 *   GET /api/v1/reports/forecast   session, the workspace's time zone, the pipeline, open deals by expected month
 *
 * The SQL is copied from Rapport's repositories as Kysely compiles it (deal, report, client-record, workspace). Only
 * what the benchmarks send is implemented: the head of sales (scope `all`, no hidden fields), a board without quick text
 * or filter, reports with a period and a pipeline. The benchmarks compare these statements with the ones Rapport's
 * services run (bench/lib/capture.ts) and the answers with Rapport's; when they drift apart, update the SQL here.
 *
 * Config: BENCH_CLIENT_BASE_CEILING_ENV = { "port": number, "target": DatabaseTarget }.
 */
import { BOARD_CARDS, normalizeDecimal, ratio } from '@rapport/shared';
import Fastify from 'fastify';
import { openDatabase, type DatabaseTarget } from '../../packages/server/src/infra/db.js';
import { statementRoutes, type Recorder, type Row } from './ceiling-session.js';
import { serveChild } from './child-server.js';

const { port, target } = JSON.parse(process.env.BENCH_CLIENT_BASE_CEILING_ENV ?? '{}') as { port: number; target: DatabaseTarget };
const DAY_MS = 86_400_000;
const placeholders = (from: number, count: number) => Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');
const iso = (value: unknown) => (value === null ? null : (value as Date).toISOString());
const unique = (ids: string[]) => [...new Set(ids)];
const STAGE_COLUMNS = 's.id, s.name, s.kind, s.color, s.rotting_days, s.position, s.pipeline_id, p.name AS pipeline_name';
/** A timestamp column of the deal (alias r) inside the period's days in the workspace's time zone (report.repository.ts inPeriod). */
const inPeriod = (column: string, from: number) => `("r"."${column}" >= ($${from}::date::timestamp AT TIME ZONE $${from + 1}) AND "r"."${column}" < (($${from + 2}::date + 1)::timestamp AT TIME ZONE $${from + 3}))`;
/** reportQuery's live owned deals of scope all (ownedWhere + the pipeline). */
const dealWhere = (from: number) => `"r"."workspace_id" = $${from} AND "r"."deleted_at" IS NULL AND true AND r.pipeline_id = $${from + 1}`;

const SQL = {
  customFields: 'select * from "custom_field" where "workspace_id" = $1 and "deleted_at" is null and "object" = $2 order by "object", "position", "label"',
  pipelineStages: `SELECT ${STAGE_COLUMNS} FROM pipeline p JOIN pipeline_stage s ON s.workspace_id = p.workspace_id AND s.pipeline_id = p.id WHERE p.workspace_id = $1 AND p.archived_at IS NULL AND p.id = $2 ORDER BY s.position`,
  stageTotals:
    'SELECT t.stage_id, t.currency, t.deals::int AS n, t.amount::text AS total FROM deal_stage_total t WHERE t.workspace_id = $1 AND t.stage_id = ANY($2::uuid[]) AND t.deals > 0 ORDER BY t.stage_id, t.currency',
  boardCards:
    'SELECT r.* FROM unnest($1::uuid[]) AS s(id) CROSS JOIN LATERAL ( SELECT r.* FROM deal r WHERE r.workspace_id = $2 AND r.deleted_at IS NULL AND true AND r.pipeline_id = $3 AND r.stage_id = s.id ORDER BY r.updated_at DESC, r.id DESC LIMIT $4 ) r',
  userNames: (count: number) => `select "id", "name" from "app_user" where "workspace_id" = $1 and "id" in (${placeholders(2, count)})`,
  stagesById: `SELECT ${STAGE_COLUMNS} FROM pipeline_stage s JOIN pipeline p ON p.workspace_id = s.workspace_id AND p.id = s.pipeline_id WHERE s.workspace_id = $1 AND s.id = ANY($2::uuid[])`,
  companyNames: (count: number) => `select "id", "name" from "company" where "workspace_id" = $1 and "id" in (${placeholders(2, count)})`,
  dealContacts: (count: number) =>
    'select "dc"."deal_id", "dc"."contact_id", "dc"."role", "c"."full_name", "c"."deleted_at" from "deal_contact" as "dc" inner join "contact" as "c" on "c"."workspace_id" = "dc"."workspace_id" and "c"."id" = "dc"."contact_id" ' +
    `where "dc"."workspace_id" = $1 and "dc"."deal_id" in (${placeholders(2, count)}) order by "dc"."created_at", "c"."full_name"`,
  workspace: 'select * from "workspace" where "id" = $1',
  reportPipeline: 'SELECT id FROM pipeline WHERE workspace_id = $1 AND id = $2 LIMIT 1',
  funnelCounts:
    `WITH reach AS MATERIALIZED (SELECT r.reached_position AS top FROM deal r WHERE ${dealWhere(1)} AND ${inPeriod('created_at', 3)}) ` +
    "SELECT s.id AS stage_id, s.name AS stage_name, s.kind, (SELECT count(*) FROM reach WHERE reach.top >= s.position)::int AS reached FROM pipeline_stage s WHERE s.workspace_id = $7 AND s.pipeline_id = $8 AND s.kind <> 'lost' ORDER BY s.position",
  funnelLost: `SELECT count(*)::int AS n FROM deal r JOIN pipeline_stage s ON s.workspace_id = r.workspace_id AND s.id = r.stage_id AND s.kind = 'lost' WHERE ${dealWhere(1)} AND ${inPeriod('created_at', 3)}`,
  forecast:
    "SELECT to_char(r.expected_close_date, 'YYYY-MM') AS month, r.currency, count(*)::int AS count, sum(r.amount)::numeric(20, 2)::text AS amount, sum(r.amount * s.probability / 100.0)::numeric(20, 2)::text AS weighted " +
    "FROM deal r JOIN pipeline_stage s ON s.workspace_id = r.workspace_id AND s.id = r.stage_id AND s.kind = 'open' " +
    `WHERE ${dealWhere(1)} AND r.expected_close_date BETWEEN $3::date AND $4::date GROUP BY 1, r.currency ORDER BY 1, r.currency`,
};

/** The benchmarks sign in as the head of sales: only scope `all` is implemented. */
function assertScopeAll(principal: Row, object: string): void {
  const permissions = principal.permissions as Record<string, Record<string, string> | undefined>;
  if (permissions[object]?.read !== 'all') throw new Error(`the ceiling implements scope "all" only, the session has ${String(permissions[object]?.read)} for ${object}.read`);
}

/** deal.service.ts isoDate: a `date` column as YYYY-MM-DD. */
function isoDate(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value.slice(0, 10);
  const date = value as Date;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

// ---- board (deal.service.ts board, toDeals)

async function toDeals(db: Recorder, workspaceId: string, rows: Row[]): Promise<Row[]> {
  const ownerIds = unique(rows.map((row) => row.owner_id as string));
  const owners = new Map(ownerIds.length === 0 ? [] : (await db.query(SQL.userNames(ownerIds.length), [workspaceId, ...ownerIds])).map((row) => [row.id as string, row.name as string]));
  const stageIds = unique(rows.map((row) => row.stage_id as string));
  const stages = new Map(stageIds.length === 0 ? [] : (await db.query(SQL.stagesById, [workspaceId, stageIds])).map((row) => [row.id as string, row]));
  const companyIds = unique(rows.flatMap((row) => (row.company_id ? [row.company_id as string] : [])));
  const companies = new Map(companyIds.length === 0 ? [] : (await db.query(SQL.companyNames(companyIds.length), [workspaceId, ...companyIds])).map((row) => [row.id as string, row.name as string]));
  const dealIds = rows.map((row) => row.id as string);
  const contacts = dealIds.length === 0 ? [] : await db.query(SQL.dealContacts(dealIds.length), [workspaceId, ...dealIds]);
  const now = Date.now();
  return rows.map((row) => {
    const stage = stages.get(row.stage_id as string);
    const idleSince = Math.max((row.stage_entered_at as Date).getTime(), (row.last_activity_at as Date | null)?.getTime() ?? 0);
    const rotting = stage !== undefined && stage.kind === 'open' && stage.rotting_days !== null && now - idleSince > (stage.rotting_days as number) * DAY_MS;
    return {
      id: row.id,
      title: row.title,
      pipelineId: row.pipeline_id,
      pipelineName: stage?.pipeline_name ?? '',
      stageId: row.stage_id,
      stageName: stage?.name ?? '',
      stageKind: stage?.kind ?? 'open',
      stageColor: stage?.color ?? '#868e96',
      amount: normalizeDecimal(String(row.amount)),
      currency: row.currency,
      companyId: row.company_id,
      companyName: row.company_id ? (companies.get(row.company_id as string) ?? null) : null,
      contacts: contacts.filter((link) => link.deal_id === row.id && link.deleted_at === null).map((link) => ({ contactId: link.contact_id, contactName: link.full_name, role: link.role })),
      expectedCloseDate: isoDate(row.expected_close_date),
      source: row.source,
      lostReason: row.lost_reason,
      description: row.description,
      stageEnteredAt: iso(row.stage_entered_at),
      rotting,
      ownerId: row.owner_id,
      ownerName: owners.get(row.owner_id as string) ?? null,
      teamId: row.team_id,
      tags: row.tags,
      custom: row.custom,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      createdBy: row.created_by,
      updatedBy: row.updated_by,
      lastActivityAt: iso(row.last_activity_at),
      deletedAt: iso(row.deleted_at),
      version: row.version,
    };
  });
}

async function board(db: Recorder, principal: Row, query: { pipelineId?: string; limit?: string; q?: string; filter?: string }): Promise<Row | undefined> {
  assertScopeAll(principal, 'deal');
  if (!query.pipelineId || query.q || query.filter) throw new Error('ceiling: only a named pipeline without quick text or filter is implemented');
  const workspaceId = principal.workspace_id as string;
  await db.query(SQL.customFields, [workspaceId, 'deal']);
  const stages = await db.query(SQL.pipelineStages, [workspaceId, query.pipelineId]);
  if (stages.length === 0) return undefined;
  const stageIds = stages.map((stage) => stage.id as string);
  const [totals, cards] = await Promise.all([db.query(SQL.stageTotals, [workspaceId, stageIds]), db.query(SQL.boardCards, [stageIds, workspaceId, query.pipelineId, query.limit ? Number(query.limit) : BOARD_CARDS])]);
  const deals = await toDeals(db, workspaceId, cards);
  return {
    pipelineId: query.pipelineId,
    columns: stageIds.map((stageId) => {
      const sums = totals.filter((row) => row.stage_id === stageId);
      return {
        stageId,
        count: sums.reduce((sum, row) => sum + (row.n as number), 0),
        sums: sums.map((row) => ({ currency: row.currency, amount: normalizeDecimal(row.total as string) })),
        items: deals.filter((deal) => deal.stageId === stageId),
      };
    }),
  };
}

// ---- reports (report.service.ts filterOf, funnel, forecast)

type ReportQuery = { from?: string; to?: string; pipelineId?: string };

async function reportFilter(db: Recorder, principal: Row, query: ReportQuery): Promise<{ workspaceId: string; timezone: string; from: string; to: string; pipelineId: string } | undefined> {
  assertScopeAll(principal, 'deal');
  if (!query.from || !query.to || !query.pipelineId) throw new Error('ceiling: only reports with a period and a pipeline are implemented');
  const workspaceId = principal.workspace_id as string;
  const [workspace] = await db.query(SQL.workspace, [workspaceId]);
  const [pipeline] = await db.query(SQL.reportPipeline, [workspaceId, query.pipelineId]);
  if (!workspace || !pipeline) return undefined;
  return { workspaceId, timezone: workspace.timezone as string, from: query.from, to: query.to, pipelineId: pipeline.id as string };
}

async function funnel(db: Recorder, principal: Row, query: ReportQuery): Promise<Row | undefined> {
  const f = await reportFilter(db, principal, query);
  if (!f) return undefined;
  const period = [f.from, f.timezone, f.to, f.timezone];
  const [counts, lost] = await Promise.all([
    db.query(SQL.funnelCounts, [f.workspaceId, f.pipelineId, ...period, f.workspaceId, f.pipelineId]),
    db.query(SQL.funnelLost, [f.workspaceId, f.pipelineId, ...period]),
  ]);
  const rows = counts.map((row, i) => ({ stageId: row.stage_id, stageName: row.stage_name, kind: row.kind, reached: row.reached, conversion: i === 0 ? null : ratio(row.reached as number, counts[i - 1]!.reached as number) }));
  const overall = rows.length > 0 ? ratio(rows[rows.length - 1]!.reached as number, rows[0]!.reached as number) : null;
  return { period: { from: f.from, to: f.to, pipelineId: f.pipelineId }, rows, overall, lost: lost[0]?.n ?? 0 };
}

async function forecast(db: Recorder, principal: Row, query: ReportQuery): Promise<Row | undefined> {
  const f = await reportFilter(db, principal, query);
  if (!f) return undefined;
  const rows = await db.query(SQL.forecast, [f.workspaceId, f.pipelineId, f.from, f.to]);
  return { period: { from: f.from, to: f.to, pipelineId: f.pipelineId }, rows };
}

// ---- HTTP

const database = await openDatabase(target);
const app = Fastify({ logger: false });
const route = statementRoutes(app, database);

type BoardRoute = { Querystring: { pipelineId?: string; limit?: string; q?: string; filter?: string } };
app.get<BoardRoute>('/api/v1/deals/board', route<BoardRoute>((db, principal, request) => board(db, principal, request.query)));
type ReportRoute = { Querystring: ReportQuery };
app.get<ReportRoute>('/api/v1/reports/funnel', route<ReportRoute>((db, principal, request) => funnel(db, principal, request.query)));
app.get<ReportRoute>('/api/v1/reports/forecast', route<ReportRoute>((db, principal, request) => forecast(db, principal, request.query)));
await serveChild(app, port, () => database.close());
