import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { SavedViewTable } from '../../infra/db-schema.js';

/** Views the user may use: their own, their team's shared ones, and those shared with the workspace. */
export async function listViews(ex: Executor, workspaceId: string, object: SavedViewTable['object'], userId: string, teamId: string | null) {
  return ex
    .selectFrom('saved_view as v')
    .leftJoin('app_user as u', (join) => join.onRef('u.workspace_id', '=', 'v.workspace_id').onRef('u.id', '=', 'v.owner_id'))
    .selectAll('v')
    .select('u.name as owner_name')
    .where('v.workspace_id', '=', workspaceId)
    .where('v.object', '=', object)
    .where('v.deleted_at', 'is', null)
    .where((eb) => eb.or([eb('v.owner_id', '=', userId), eb('v.visibility', '=', 'workspace'), ...(teamId ? [eb.and([eb('v.visibility', '=', 'team'), eb('v.team_id', '=', teamId)])] : [])]))
    .orderBy('v.name')
    .execute();
}

export async function findView(ex: Executor, workspaceId: string, id: string) {
  return ex
    .selectFrom('saved_view as v')
    .leftJoin('app_user as u', (join) => join.onRef('u.workspace_id', '=', 'v.workspace_id').onRef('u.id', '=', 'v.owner_id'))
    .selectAll('v')
    .select('u.name as owner_name')
    .where('v.workspace_id', '=', workspaceId)
    .where('v.id', '=', id)
    .where('v.deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function insertView(ex: Executor, row: Insertable<SavedViewTable>): Promise<void> {
  await ex.insertInto('saved_view').values(row).execute();
}

export async function updateView(ex: Executor, workspaceId: string, id: string, version: number, patch: Updateable<SavedViewTable>): Promise<boolean> {
  const result = await ex
    .updateTable('saved_view')
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
