import type { ClientObject } from '@rapport/shared';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { DocumentTemplateTable } from '../../infra/db-schema.js';

export type DocumentTemplateRow = Selectable<DocumentTemplateTable>;

/** A workspace's templates by kind of record and name; archived ones only when asked. */
export async function listTemplates(ex: Executor, workspaceId: string, filter: { object: ClientObject | undefined; includeArchived: boolean }): Promise<DocumentTemplateRow[]> {
  let query = ex.selectFrom('document_template').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.object) query = query.where('object', '=', filter.object);
  if (!filter.includeArchived) query = query.where('archived_at', 'is', null);
  return query.orderBy('object').orderBy('name').orderBy('id').execute();
}

export async function findTemplate(ex: Executor, workspaceId: string, id: string, forUpdate = false): Promise<DocumentTemplateRow | undefined> {
  let query = ex.selectFrom('document_template').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function insertTemplate(ex: Executor, row: Insertable<DocumentTemplateTable>): Promise<DocumentTemplateRow> {
  return ex.insertInto('document_template').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Applies `changes` when the row is still at `version`; undefined when someone changed it first. */
export async function updateTemplate(ex: Executor, workspaceId: string, id: string, version: number, changes: Updateable<DocumentTemplateTable>, by: string): Promise<DocumentTemplateRow | undefined> {
  return ex
    .updateTable('document_template')
    .set({ ...changes, updated_by: by, updated_at: new Date(), version: version + 1 })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}
