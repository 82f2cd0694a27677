import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import { DEAL_SOURCES } from '@rapport/shared';
import { LAST_ACTIVITY_FIELD, timestampSort, whereOf, type ListParams, type ObjectDef } from '../client-record/client-record.repository.js';
import type { Executor } from '../../infra/db.js';
import type { DealTable } from '../../infra/db-schema.js';

export async function insertDeal(ex: Executor, row: Insertable<DealTable>): Promise<void> {
  await ex.insertInto('deal').values(row).execute();
}

export async function findDealRow(ex: Executor, workspaceId: string, id: string) {
  return ex.selectFrom('deal').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function updateDealRow(ex: Executor, workspaceId: string, id: string, version: number, patch: Updateable<DealTable>) {
  return ex
    .updateTable('deal')
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export interface StageInfo {
  id: string;
  name: string;
  kind: 'open' | 'won' | 'lost';
  color: string;
  rotting_days: number | null;
  position: number;
  pipeline_id: string;
  pipeline_name: string;
}

/** Stages by id with their pipeline (live pipelines only unless asked): what a deal shows and what a move checks. */
export async function stagesById(ex: Executor, workspaceId: string, ids: string[], options: { liveOnly?: boolean } = {}): Promise<Map<string, StageInfo>> {
  if (ids.length === 0) return new Map();
  const live = options.liveOnly ? sql`AND p.archived_at IS NULL` : sql``;
  const result = await sql<StageInfo>`
    SELECT s.id, s.name, s.kind, s.color, s.rotting_days, s.position, s.pipeline_id, p.name AS pipeline_name
    FROM pipeline_stage s JOIN pipeline p ON p.workspace_id = s.workspace_id AND p.id = s.pipeline_id
    WHERE s.workspace_id = ${workspaceId} AND s.id = ANY(${[...new Set(ids)]}::uuid[]) ${live}`.execute(ex);
  return new Map(result.rows.map((row) => [row.id, row]));
}

/** A live pipeline's stages in board order; `pipelineId` null: the workspace's default pipeline. */
export async function pipelineStages(ex: Executor, workspaceId: string, pipelineId: string | null): Promise<StageInfo[]> {
  const which = pipelineId ? sql`p.id = ${pipelineId}` : sql`p.is_default`;
  const result = await sql<StageInfo>`
    SELECT s.id, s.name, s.kind, s.color, s.rotting_days, s.position, s.pipeline_id, p.name AS pipeline_name
    FROM pipeline p JOIN pipeline_stage s ON s.workspace_id = p.workspace_id AND s.pipeline_id = p.id
    WHERE p.workspace_id = ${workspaceId} AND p.archived_at IS NULL AND ${which}
    ORDER BY s.position`.execute(ex);
  return result.rows;
}

export async function companyNamesOf(ex: Executor, workspaceId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ex.selectFrom('company').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** The people on deals, with their names, by deal. */
export async function contactsOfDeals(ex: Executor, workspaceId: string, dealIds: string[]) {
  if (dealIds.length === 0) return [];
  return ex
    .selectFrom('deal_contact as dc')
    .innerJoin('contact as c', (join) => join.onRef('c.workspace_id', '=', 'dc.workspace_id').onRef('c.id', '=', 'dc.contact_id'))
    .select(['dc.deal_id', 'dc.contact_id', 'dc.role', 'c.full_name', 'c.deleted_at'])
    .where('dc.workspace_id', '=', workspaceId)
    .where('dc.deal_id', 'in', dealIds)
    .orderBy('dc.created_at')
    .orderBy('c.full_name')
    .execute();
}

export async function replaceDealContacts(ex: Executor, workspaceId: string, dealId: string, contacts: { contactId: string; role: string | null }[]): Promise<void> {
  await ex.deleteFrom('deal_contact').where('workspace_id', '=', workspaceId).where('deal_id', '=', dealId).execute();
  if (contacts.length > 0) await ex.insertInto('deal_contact').values(contacts.map((contact) => ({ workspace_id: workspaceId, deal_id: dealId, contact_id: contact.contactId, role: contact.role }))).execute();
}

/** Ends the deal's current stay (if any) and starts one in the new stage. */
export async function enterStage(ex: Executor, row: { workspaceId: string; id: string; dealId: string; fromStageId: string | null; toStageId: string; at: Date; by: string | null }): Promise<void> {
  await ex.updateTable('deal_stage_history').set({ left_at: row.at }).where('workspace_id', '=', row.workspaceId).where('deal_id', '=', row.dealId).where('left_at', 'is', null).execute();
  await ex
    .insertInto('deal_stage_history')
    .values({ workspace_id: row.workspaceId, id: row.id, deal_id: row.dealId, from_stage_id: row.fromStageId, to_stage_id: row.toStageId, entered_at: row.at, left_at: null, by_user_id: row.by })
    .execute();
}

/** A deal's stays in order, with stage and user names (a removed stage has none). */
export async function stageHistoryOf(ex: Executor, workspaceId: string, dealId: string) {
  const result = await sql<{ id: string; from_stage_id: string | null; from_name: string | null; to_stage_id: string; to_name: string | null; entered_at: Date; left_at: Date | null; by_user_id: string | null; by_name: string | null; seconds: number }>`
    SELECT h.id, h.from_stage_id, f.name AS from_name, h.to_stage_id, t.name AS to_name, h.entered_at, h.left_at, h.by_user_id, u.name AS by_name,
      floor(extract(epoch FROM coalesce(h.left_at, now()) - h.entered_at))::int AS seconds
    FROM deal_stage_history h
    LEFT JOIN pipeline_stage f ON f.workspace_id = h.workspace_id AND f.id = h.from_stage_id
    LEFT JOIN pipeline_stage t ON t.workspace_id = h.workspace_id AND t.id = h.to_stage_id
    LEFT JOIN app_user u ON u.workspace_id = h.workspace_id AND u.id = h.by_user_id
    WHERE h.workspace_id = ${workspaceId} AND h.deal_id = ${dealId}
    ORDER BY h.entered_at, h.id`.execute(ex);
  return result.rows;
}

type BoardParams = Omit<ListParams, 'sort' | 'after' | 'limit'> & { pipelineId: string; perStage: number };

/** Per stage and currency: how many matching deals and their sum (one pass over the board index). */
export async function boardTotals(ex: Executor, p: BoardParams) {
  const result = await sql<{ stage_id: string; currency: string; n: number; total: string }>`
    SELECT r.stage_id, r.currency, count(*)::int AS n, sum(r.amount)::numeric(20, 2)::text AS total
    FROM deal r WHERE ${whereOf(p)} AND r.pipeline_id = ${p.pipelineId}
    GROUP BY r.stage_id, r.currency ORDER BY r.stage_id, r.currency`.execute(ex);
  return result.rows;
}

/**
 * Per stage and currency: how many live deals and their sum, from deal_stage_total (migration 0025, kept by a trigger
 * in every writing transaction). Answers boardTotals' question for a board without quick text or filter, read with
 * scope `all`, without reading the deals.
 */
export async function stageTotals(ex: Executor, workspaceId: string, stageIds: string[]) {
  const result = await sql<{ stage_id: string; currency: string; n: number; total: string }>`
    SELECT t.stage_id, t.currency, t.deals::int AS n, t.amount::text AS total
    FROM deal_stage_total t WHERE t.workspace_id = ${workspaceId} AND t.stage_id = ANY(${stageIds}::uuid[]) AND t.deals > 0
    ORDER BY t.stage_id, t.currency`.execute(ex);
  return result.rows;
}

/** The newest `perStage` matching deals of each stage: one index range per stage (deal_board_idx), not the whole pipeline. */
export async function boardCards(ex: Executor, p: BoardParams & { stageIds: string[] }) {
  const result = await sql<Record<string, unknown>>`
    SELECT r.* FROM unnest(${p.stageIds}::uuid[]) AS s(id)
    CROSS JOIN LATERAL (
      SELECT r.* FROM deal r WHERE ${whereOf(p)} AND r.pipeline_id = ${p.pipelineId} AND r.stage_id = s.id
      ORDER BY r.updated_at DESC, r.id DESC LIMIT ${p.perStage}
    ) r`.execute(ex);
  return result.rows;
}

export const DEAL_DEF: ObjectDef = {
  object: 'deal',
  title: sql<string>`r.title`,
  subtitle: sql<string | null>`(SELECT s.name FROM pipeline_stage s WHERE s.workspace_id = r.workspace_id AND s.id = r.stage_id)`,
  fields: [
    { key: 'title', kind: 'text', column: 'r.title', sort: { expr: sql`lower(r.title)` } },
    { key: 'amount', kind: 'money', column: 'r.amount', sort: { expr: sql`to_char(r.amount, 'FM0000000000000000.00')` } },
    { key: 'currency', kind: 'text', column: 'r.currency', sort: { expr: sql`r.currency` } },
    { key: 'pipelineId', kind: 'relation', column: 'r.pipeline_id' },
    { key: 'stageId', kind: 'relation', column: 'r.stage_id' },
    { key: 'companyId', kind: 'relation', column: 'r.company_id', target: 'company' },
    {
      key: 'contactId',
      kind: 'relation',
      column: { expr: sql`dc.contact_id`, exists: (condition) => sql`EXISTS (SELECT 1 FROM deal_contact dc WHERE dc.workspace_id = r.workspace_id AND dc.deal_id = r.id AND ${condition})` },
      target: 'contact',
    },
    { key: 'expectedCloseDate', kind: 'date', column: 'r.expected_close_date', sort: { expr: sql`coalesce(r.expected_close_date::text, '')` } },
    { key: 'source', kind: 'select', column: 'r.source', options: DEAL_SOURCES, sort: { expr: sql`coalesce(r.source, '')` }, bulkColumn: 'source' },
    { key: 'campaign', kind: 'text', column: 'r.campaign', sort: { expr: sql`coalesce(lower(r.campaign), '')` } },
    { key: 'lostReason', kind: 'text', column: 'r.lost_reason' },
    { key: 'ownerId', kind: 'user', column: 'r.owner_id' },
    { key: 'teamId', kind: 'relation', column: 'r.team_id', target: 'team' },
    { key: 'tags', kind: 'text', column: { expr: sql`r.tags`, array: true } },
    { key: 'stageEnteredAt', kind: 'datetime', column: 'r.stage_entered_at', sort: timestampSort('stage_entered_at') },
    { key: 'createdAt', kind: 'datetime', column: 'r.created_at', sort: timestampSort('created_at') },
    { key: 'updatedAt', kind: 'datetime', column: 'r.updated_at', sort: timestampSort('updated_at') },
    LAST_ACTIVITY_FIELD,
  ],
};
