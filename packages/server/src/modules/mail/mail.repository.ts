import { sql } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { MailMessageTable } from '../../infra/db-schema.js';
import type { Insertable } from 'kysely';

export async function insertMail(ex: Executor, row: Insertable<MailMessageTable>): Promise<void> {
  await ex.insertInto('mail_message').values(row).execute();
}

export async function findMail(ex: Executor, workspaceId: string, id: string) {
  return ex.selectFrom('mail_message').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function setMailStatus(ex: Executor, workspaceId: string, id: string, status: 'sent' | 'failed', error: string | null): Promise<void> {
  await ex
    .updateTable('mail_message')
    .set({ status, error, sent_at: status === 'sent' ? sql`now()` : null })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function listMail(ex: Executor, workspaceId: string, limit: number, beforeId: string | undefined) {
  let query = ex.selectFrom('mail_message').selectAll().where('workspace_id', '=', workspaceId);
  if (beforeId) query = query.where('id', '<', beforeId);
  return query.orderBy('id', 'desc').limit(limit + 1).execute();
}
