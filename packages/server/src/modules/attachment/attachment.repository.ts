import type { ClientObject } from '@rapport/shared';
import type { Selectable } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { AttachmentTable } from '../../infra/db-schema.js';

export type AttachmentRow = Selectable<AttachmentTable>;

export async function insertAttachment(ex: Executor, row: Omit<AttachmentTable, 'created_at' | 'deleted_at' | 'deleted_by'>): Promise<AttachmentRow> {
  return ex.insertInto('attachment').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The live attachments of a record (and of the records merged into it), newest first. */
export async function listAttachments(ex: Executor, workspaceId: string, object: ClientObject, ids: string[]): Promise<AttachmentRow[]> {
  return ex
    .selectFrom('attachment')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('subject_type', '=', object)
    .where('subject_id', 'in', ids)
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function findAttachment(ex: Executor, workspaceId: string, id: string): Promise<AttachmentRow | undefined> {
  return ex.selectFrom('attachment').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function markAttachmentDeleted(ex: Executor, workspaceId: string, id: string, userId: string | null): Promise<boolean> {
  const result = await ex.updateTable('attachment').set({ deleted_at: new Date(), deleted_by: userId }).where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
