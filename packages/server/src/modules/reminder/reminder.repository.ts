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

export interface DueReminderRow extends ReminderRow {
  task_title: string | null;
  task_status: string | null;
  task_deleted: boolean;
  due_at: Date | null;
  activity_kind: string | null;
  activity_subject: string | null;
  activity_phone: string | null;
  activity_phone_raw: string | null;
  activity_status: string | null;
  activity_deleted: boolean;
  starts_at: Date | null;
  /** The record the activity is on that its notice links to: a contact first, else the first record. */
  record_type: string | null;
  record_id: string | null;
}

/** Due reminders with what the notice needs about their task or activity; SKIP LOCKED lets every process fire different ones. */
export async function claimDueReminders(ex: Executor, now: Date, limit: number): Promise<DueReminderRow[]> {
  const result = await sql<DueReminderRow>`
    SELECT r.*, t.title AS task_title, t.status AS task_status, (t.deleted_at IS NOT NULL) AS task_deleted, t.due_at,
      a.kind AS activity_kind, a.subject AS activity_subject, a.phone AS activity_phone, a.phone_raw AS activity_phone_raw, a.status AS activity_status,
      (a.deleted_at IS NOT NULL) AS activity_deleted, a.starts_at, rec.subject_type AS record_type, rec.subject_id AS record_id
    FROM reminder r
    LEFT JOIN task t ON t.workspace_id = r.workspace_id AND t.id = r.task_id
    LEFT JOIN activity a ON a.workspace_id = r.workspace_id AND a.id = r.activity_id
    LEFT JOIN LATERAL (
      SELECT l.subject_type, l.subject_id FROM activity_link l WHERE l.workspace_id = r.workspace_id AND l.activity_id = r.activity_id
      ORDER BY l.subject_type <> 'contact', l.subject_type, l.subject_id LIMIT 1
    ) rec ON true
    WHERE r.fired_at IS NULL AND r.fire_at <= ${now}
    ORDER BY r.fire_at LIMIT ${limit} FOR UPDATE OF r SKIP LOCKED`.execute(ex);
  return result.rows;
}

export async function remindersOfActivities(ex: Executor, workspaceId: string, activityIds: string[]): Promise<ReminderRow[]> {
  if (activityIds.length === 0) return [];
  return ex.selectFrom('reminder').selectAll().where('workspace_id', '=', workspaceId).where('activity_id', 'in', activityIds).orderBy('fire_at').orderBy('id').execute();
}

export async function deletePendingOfActivity(ex: Executor, workspaceId: string, activityId: string): Promise<void> {
  await ex.deleteFrom('reminder').where('workspace_id', '=', workspaceId).where('activity_id', '=', activityId).where('fired_at', 'is', null).execute();
}

export async function markFired(ex: Executor, workspaceId: string, id: string, firedAt: Date, late: boolean): Promise<void> {
  await ex.updateTable('reminder').set({ fired_at: firedAt, late }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function nextReminderAt(ex: Executor): Promise<Date | null> {
  const row = await ex.selectFrom('reminder').select((eb) => eb.fn.min('fire_at').as('at')).where('fired_at', 'is', null).executeTakeFirst();
  return (row?.at as Date | null | undefined) ?? null;
}
