import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { TeamTable } from '../../infra/db-schema.js';

export async function listTeams(ex: Executor, workspaceId: string) {
  return ex.selectFrom('team').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).orderBy('name').orderBy('id').execute();
}

export async function findTeam(ex: Executor, workspaceId: string, id: string) {
  return ex.selectFrom('team').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function insertTeam(ex: Executor, row: Insertable<TeamTable>): Promise<void> {
  await ex.insertInto('team').values(row).execute();
}

export async function updateTeam(ex: Executor, workspaceId: string, id: string, version: number, patch: Updateable<TeamTable>) {
  return ex
    .updateTable('team')
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** The team and every team below it. */
export async function subtreeIds(ex: Executor, workspaceId: string, rootId: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    WITH RECURSIVE tree AS (
      SELECT id FROM team WHERE workspace_id = ${workspaceId} AND id = ${rootId} AND deleted_at IS NULL
      UNION
      SELECT t.id FROM team t JOIN tree ON t.parent_id = tree.id
      WHERE t.workspace_id = ${workspaceId} AND t.deleted_at IS NULL
    )
    SELECT id FROM tree`.execute(ex);
  return result.rows.map((row) => row.id);
}

export async function countMembersAndChildren(ex: Executor, workspaceId: string, teamId: string): Promise<{ members: number; children: number }> {
  const row = await ex
    .selectNoFrom((eb) => [
      eb.selectFrom('app_user').select(eb.fn.countAll<number>().as('c')).where('workspace_id', '=', workspaceId).where('team_id', '=', teamId).where('deleted_at', 'is', null).as('members'),
      eb.selectFrom('team').select(eb.fn.countAll<number>().as('c')).where('workspace_id', '=', workspaceId).where('parent_id', '=', teamId).where('deleted_at', 'is', null).as('children'),
    ])
    .executeTakeFirstOrThrow();
  return { members: Number(row.members), children: Number(row.children) };
}
