import { sql } from 'kysely';
import type { Executor } from '../../infra/db.js';

export interface NotificationRow {
  workspace_id: string;
  id: string;
  user_id: string;
  kind: string;
  message_key: string;
  params: string;
  link: string | null;
}

export async function insertNotification(ex: Executor, row: NotificationRow): Promise<void> {
  await ex.insertInto('notification').values(row).execute();
}

export async function listNotifications(ex: Executor, workspaceId: string, userId: string, limit: number, beforeId: string | undefined, unreadOnly: boolean) {
  let query = ex
    .selectFrom('notification')
    .select(['id', 'kind', 'message_key', 'params', 'link', 'read_at', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId);
  if (beforeId) query = query.where('id', '<', beforeId);
  if (unreadOnly) query = query.where('read_at', 'is', null);
  return query.orderBy('id', 'desc').limit(limit + 1).execute();
}

export async function countUnread(ex: Executor, workspaceId: string, userId: string): Promise<number> {
  const row = await ex
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function markRead(ex: Executor, workspaceId: string, userId: string, ids: string[] | 'all'): Promise<number> {
  let query = ex
    .updateTable('notification')
    .set({ read_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (ids !== 'all') query = query.where('id', 'in', ids);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** An active recipient's address, language and e-mail choices. */
export async function findRecipient(ex: Executor, workspaceId: string, userId: string) {
  return ex
    .selectFrom('app_user')
    .select(['email', 'locale', 'notify_email'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .where('status', '=', 'active')
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}
