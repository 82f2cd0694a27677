import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { CustomFieldTable } from '../../infra/db-schema.js';

export async function listCustomFields(ex: Executor, workspaceId: string, object: CustomFieldTable['object'] | undefined) {
  let query = ex.selectFrom('custom_field').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null);
  if (object) query = query.where('object', '=', object);
  return query.orderBy('object').orderBy('position').orderBy('label').execute();
}

export async function findCustomField(ex: Executor, workspaceId: string, id: string) {
  return ex.selectFrom('custom_field').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function insertCustomField(ex: Executor, row: Insertable<CustomFieldTable>): Promise<void> {
  await ex.insertInto('custom_field').values(row).execute();
}

export async function updateCustomField(ex: Executor, workspaceId: string, id: string, version: number, patch: Updateable<CustomFieldTable>) {
  return ex
    .updateTable('custom_field')
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}
