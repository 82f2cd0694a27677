import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { RoleTable } from '../../infra/db-schema.js';

export async function listRoles(ex: Executor, workspaceId: string) {
  return ex.selectFrom('role').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).orderBy('created_at').orderBy('id').execute();
}

export async function findRole(ex: Executor, workspaceId: string, id: string) {
  return ex.selectFrom('role').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function insertRole(ex: Executor, row: Insertable<RoleTable>): Promise<void> {
  await ex.insertInto('role').values(row).execute();
}

/** Updates only when the stored version matches; returns the new row or undefined on a version conflict. */
export async function updateRole(ex: Executor, workspaceId: string, id: string, version: number, patch: Updateable<RoleTable>) {
  return ex
    .updateTable('role')
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function countRoleUsers(ex: Executor, workspaceId: string, roleId: string): Promise<number> {
  const row = await ex
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('role_id', '=', roleId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function findSystemRole(ex: Executor, workspaceId: string) {
  return ex.selectFrom('role').select('id').where('workspace_id', '=', workspaceId).where('is_system', '=', true).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function activeAdministrators(ex: Executor, workspaceId: string): Promise<string[]> {
  const rows = await ex
    .selectFrom('app_user as u')
    .innerJoin('role as r', (join) => join.onRef('r.workspace_id', '=', 'u.workspace_id').onRef('r.id', '=', 'u.role_id'))
    .select('u.id')
    .where('u.workspace_id', '=', workspaceId)
    .where('r.is_system', '=', true)
    .where('u.status', '=', 'active')
    .where('u.deleted_at', 'is', null)
    .orderBy('u.id')
    .execute();
  return rows.map((row) => row.id);
}
