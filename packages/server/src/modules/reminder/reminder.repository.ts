import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { ReminderTable } from '../../infra/db-schema.js';

export type ReminderRow = Selectable<ReminderTable>;

export async function insertReminders(ex: Executor, rows: Insertable<ReminderTable>[]): Promise<void> {
  if (rows.length > 0) await ex.insertInto('reminder').values(rows).execute();
}

export async function remindersOfTasks(ex: Executor, workspaceId: string, taskIds: string[]): Promise<ReminderRow[]> {
  if (taskIds.length === 0) return [];
  return ex.selectFrom('reminder').selectAll().where('workspace_id', '=', workspaceId).where('task_id', 'in', taskIds).orderBy('fire_at').orderBy('id').execute();
}

/** Drops a task's reminders that have not fired (fired ones are its history). */
export async function deletePendingOfTask(ex: Executor, workspaceId: string, taskId: string): Promise<void> {
  await ex.deleteFrom('reminder').where('workspace_id', '=', workspaceId).where('task_id', '=', taskId).where('fired_at', 'is', null).execute();
}

/** Reminders set relative to the due time follow it; with no due time left they go. */
export async function followDueTime(ex: Executor, workspaceId: string, taskId: string, dueAt: Date | null): Promise<void> {
  if (dueAt === null) {
    await ex.deleteFrom('reminder').where('workspace_id', '=', workspaceId).where('task_id', '=', taskId).where('fired_at', 'is', null).where('before_minutes', 'is not', null).execute();
    return;
  }
  await ex
    .updateTable('reminder')
    .set({ fire_at: sql`${dueAt}::timestamptz - make_interval(mins => before_minutes)` })
    .where('workspace_id', '=', workspaceId)
    .where('task_id', '=', taskId)
    .where('fired_at', 'is', null)
    .where('before_minutes', 'is not', null)
    .execute();
}

/** A task's pending reminders for one user go to another (the task changed hands). */
export async function reassignPending(ex: Executor, workspaceId: string, taskId: string, fromUserId: string, toUserId: string): Promise<void> {
  await ex.updateTable('reminder').set({ user_id: toUserId }).where('workspace_id', '=', workspaceId).where('task_id', '=', taskId).where('user_id', '=', fromUserId).where('fired_at', 'is', null).execute();
}

/** Due reminders with what the notice needs about their task; SKIP LOCKED lets every process fire different ones. */
export async function claimDueReminders(ex: Executor, now: Date, limit: number) {
  const result = await sql<ReminderRow & { task_title: string | null; task_status: string | null; task_deleted: boolean; due_at: Date | null }>`
    SELECT r.*, t.title AS task_title, t.status AS task_status, (t.deleted_at IS NOT NULL) AS task_deleted, t.due_at
    FROM reminder r LEFT JOIN task t ON t.workspace_id = r.workspace_id AND t.id = r.task_id
    WHERE r.fired_at IS NULL AND r.fire_at <= ${now}
    ORDER BY r.fire_at LIMIT ${limit} FOR UPDATE OF r SKIP LOCKED`.execute(ex);
  return result.rows;
}

export async function markFired(ex: Executor, workspaceId: string, id: string, firedAt: Date, late: boolean): Promise<void> {
  await ex.updateTable('reminder').set({ fired_at: firedAt, late }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function nextReminderAt(ex: Executor): Promise<Date | null> {
  const row = await ex.selectFrom('reminder').select((eb) => eb.fn.min('fire_at').as('at')).where('fired_at', 'is', null).executeTakeFirst();
  return (row?.at as Date | null | undefined) ?? null;
}
