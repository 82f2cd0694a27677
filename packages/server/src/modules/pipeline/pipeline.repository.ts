import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { PipelineStageTable, PipelineTable } from '../../infra/db-schema.js';

export type PipelineRow = Selectable<PipelineTable>;
export type StageRow = Selectable<PipelineStageTable>;

/** Live pipelines in board order, with their stages. */
export async function listPipelines(ex: Executor, workspaceId: string): Promise<{ pipelines: PipelineRow[]; stages: StageRow[] }> {
  const pipelines = await ex.selectFrom('pipeline').selectAll().where('workspace_id', '=', workspaceId).where('archived_at', 'is', null).orderBy('position').orderBy('id').execute();
  const stages =
    pipelines.length === 0
      ? []
      : await ex
          .selectFrom('pipeline_stage')
          .selectAll()
          .where('workspace_id', '=', workspaceId)
          .where(
            'pipeline_id',
            'in',
            pipelines.map((pipeline) => pipeline.id),
          )
          .orderBy('position')
          .execute();
  return { pipelines, stages };
}

export async function findPipeline(ex: Executor, workspaceId: string, id: string, forUpdate = false): Promise<PipelineRow | undefined> {
  let query = ex.selectFrom('pipeline').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where('archived_at', 'is', null);
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function stagesOf(ex: Executor, workspaceId: string, pipelineId: string): Promise<StageRow[]> {
  return ex.selectFrom('pipeline_stage').selectAll().where('workspace_id', '=', workspaceId).where('pipeline_id', '=', pipelineId).orderBy('position').execute();
}

export async function countPipelines(ex: Executor, workspaceId: string): Promise<number> {
  const row = await ex.selectFrom('pipeline').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).where('archived_at', 'is', null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertPipeline(ex: Executor, row: Insertable<PipelineTable>): Promise<void> {
  await ex.insertInto('pipeline').values(row).execute();
}

/** Optimistic update: nothing changes (and undefined comes back) unless the version still matches. */
export async function updatePipeline(ex: Executor, workspaceId: string, id: string, version: number, patch: { name?: string; is_default?: boolean; archived_at?: Date }, by: string | null): Promise<PipelineRow | undefined> {
  return ex
    .updateTable('pipeline')
    .set({ ...patch, updated_by: by, updated_at: new Date(), version: (eb) => eb('version', '+', 1) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('archived_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** The default moves: no other live pipeline keeps the flag. */
export async function clearDefault(ex: Executor, workspaceId: string, exceptId: string): Promise<void> {
  await ex.updateTable('pipeline').set({ is_default: false }).where('workspace_id', '=', workspaceId).where('id', '!=', exceptId).where('is_default', '=', true).execute();
}

export async function nextPipelinePosition(ex: Executor, workspaceId: string): Promise<number> {
  const row = await ex.selectFrom('pipeline').select((eb) => eb.fn.max('position').as('max')).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return (row?.max ?? -1) + 1;
}

export async function insertStages(ex: Executor, rows: Insertable<PipelineStageTable>[]): Promise<void> {
  if (rows.length > 0) await ex.insertInto('pipeline_stage').values(rows).execute();
}

export async function updateStage(ex: Executor, workspaceId: string, id: string, patch: Pick<PipelineStageTable, 'name' | 'color' | 'probability' | 'kind' | 'rotting_days' | 'position'>): Promise<void> {
  await ex.updateTable('pipeline_stage').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function deleteStages(ex: Executor, workspaceId: string, ids: string[]): Promise<void> {
  if (ids.length > 0) await ex.deleteFrom('pipeline_stage').where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
}

/** Which of these stages still hold live deals (such a stage cannot be removed: its deals would have no stage). */
export async function stagesHoldingDeals(ex: Executor, workspaceId: string, stageIds: string[]): Promise<string[]> {
  if (stageIds.length === 0) return [];
  const rows = await ex.selectFrom('deal').select('stage_id').distinct().where('workspace_id', '=', workspaceId).where('stage_id', 'in', stageIds).where('deleted_at', 'is', null).execute();
  return rows.map((row) => row.stage_id);
}

/** Works out again how far each deal of the pipeline got (the funnel's measure) after its stages were reordered or changed kind. */
export async function recomputeDealReach(ex: Executor, workspaceId: string, pipelineId: string): Promise<void> {
  await sql`SELECT deal_reach_recompute(${workspaceId}::uuid, ${pipelineId}::uuid)`.execute(ex);
}
