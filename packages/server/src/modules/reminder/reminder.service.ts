import { ACTIVE_TASK_STATUSES, formatPhone, type FieldError, type Reminder, type ReminderInput } from '@rapport/shared';
import type { Executor, Tx } from '../../infra/db.js';
import type { DueKind } from '../../infra/due-timers.js';
import { newId } from '../../infra/ids.js';
import { notify, type NotifyInput, type NotifyMail } from '../notification/notification.service.js';
import {
  claimDueReminders,
  deletePendingOfActivity,
  deletePendingOfTask,
  followDueTime,
  insertReminders,
  markFired,
  nextReminderAt,
  reassignPending,
  remindersOfActivities,
  remindersOfTasks,
  type DueReminderRow,
} from './reminder.repository.js';

const MINUTE_MS = 60_000;
/** Fired later than this after its time (the server was down), a reminder is marked late. */
const LATE_AFTER_MS = 60_000;

export interface ReminderPlan {
  userId: string;
  fireAt: Date;
  beforeMinutes: number | null;
}

/**
 * Turns reminder inputs into fire times: at a fixed time, or a number of minutes before the due time. A reminder that
 * would fire in the past, or one relative to a task without a due time, is a field error under `path`.
 */
export function planReminders(inputs: ReminderInput[], task: { dueAt: Date | null; assigneeId: string }, now: Date, path: string): { plans: ReminderPlan[]; errors: FieldError[] } {
  const plans: ReminderPlan[] = [];
  const errors: FieldError[] = [];
  inputs.forEach((input, i) => {
    const at = `${path}/${i}`;
    if ((input.fireAt === undefined) === (input.beforeMinutes === undefined)) {
      errors.push({ path: at, message: 'give either fireAt or beforeMinutes' });
      return;
    }
    if (input.beforeMinutes !== undefined) {
      if (!task.dueAt) {
        errors.push({ path: `${at}/beforeMinutes`, message: 'the task has no due time to count from' });
        return;
      }
      const fireAt = new Date(task.dueAt.getTime() - input.beforeMinutes * MINUTE_MS);
      if (fireAt < now) errors.push({ path: `${at}/beforeMinutes`, message: 'the reminder would be in the past' });
      else plans.push({ userId: input.userId ?? task.assigneeId, fireAt, beforeMinutes: input.beforeMinutes });
      return;
    }
    const fireAt = new Date(input.fireAt!);
    if (fireAt < now) errors.push({ path: `${at}/fireAt`, message: 'the reminder is in the past' });
    else plans.push({ userId: input.userId ?? task.assigneeId, fireAt, beforeMinutes: null });
  });
  return { plans, errors };
}

/** Replaces a task's pending reminders in the caller's transaction; returns the earliest new fire time (to wake the loop). */
export async function replaceTaskReminders(ex: Executor, workspaceId: string, taskId: string, plans: ReminderPlan[], createdBy: string | null): Promise<Date | null> {
  await deletePendingOfTask(ex, workspaceId, taskId);
  return addTaskReminders(ex, workspaceId, taskId, plans, createdBy);
}

/** A new task's reminders (it has none yet); returns the earliest fire time. */
export async function addTaskReminders(ex: Executor, workspaceId: string, taskId: string, plans: ReminderPlan[], createdBy: string | null): Promise<Date | null> {
  if (plans.length > 0) {
    await insertReminders(
      ex,
      plans.map((plan) => ({ workspace_id: workspaceId, id: newId(), user_id: plan.userId, task_id: taskId, fire_at: plan.fireAt, before_minutes: plan.beforeMinutes, created_by: createdBy })),
    );
  }
  return plans.reduce<Date | null>((earliest, plan) => (earliest === null || plan.fireAt < earliest ? plan.fireAt : earliest), null);
}

/** Moves a task's relative reminders with its due time (or drops them when the due time is cleared). */
export function moveTaskReminders(ex: Executor, workspaceId: string, taskId: string, dueAt: Date | null): Promise<void> {
  return followDueTime(ex, workspaceId, taskId, dueAt);
}

/** A new assignee takes over the reminders the previous one had on the task. */
export function handOverReminders(ex: Executor, workspaceId: string, taskId: string, fromUserId: string, toUserId: string): Promise<void> {
  return reassignPending(ex, workspaceId, taskId, fromUserId, toUserId);
}

/**
 * Plans an activity's reminder afresh (it was set, or its start, people or status changed): the pending ones go, and
 * with minutes set on a planned activity whose start is ahead, each recipient gets one at start − minutes. Whoever was
 * already reminded for that very moment is not reminded again. A time already passed fires at once (marked late).
 * Returns the earliest new fire time (to wake the loop).
 */
export async function planActivityReminders(
  ex: Executor,
  activity: { workspaceId: string; id: string; minutes: number | null; startsAt: Date | null; planned: boolean; recipients: string[] },
  now: Date,
  createdBy: string | null,
): Promise<Date | null> {
  await deletePendingOfActivity(ex, activity.workspaceId, activity.id);
  if (activity.minutes === null || !activity.planned || !activity.startsAt || activity.startsAt <= now) return null;
  const fireAt = new Date(activity.startsAt.getTime() - activity.minutes * MINUTE_MS);
  const reminded = new Set((await remindersOfActivities(ex, activity.workspaceId, [activity.id])).filter((row) => row.fire_at.getTime() === fireAt.getTime()).map((row) => row.user_id));
  const recipients = [...new Set(activity.recipients)].filter((userId) => !reminded.has(userId));
  await insertReminders(
    ex,
    recipients.map((userId) => ({ workspace_id: activity.workspaceId, id: newId(), user_id: userId, activity_id: activity.id, fire_at: fireAt, before_minutes: activity.minutes, created_by: createdBy })),
  );
  return recipients.length > 0 ? fireAt : null;
}

/** Where an activity's notice links: the card of the record it is on (a contact first). */
function recordLink(type: string | null, id: string | null): string | null {
  if (!type || !id) return null;
  return `/${type === 'company' ? 'companies' : `${type}s`}/${id}`;
}

/** The notice of one due reminder, or null when there is nothing left to remind of (done, cancelled, deleted). */
function noticeOf(row: DueReminderRow, late: boolean): Omit<NotifyInput, 'workspaceId' | 'userId'> | null {
  if (row.task_id !== null) {
    const live = !row.task_deleted && (ACTIVE_TASK_STATUSES as readonly string[]).includes(row.task_status ?? '');
    return live ? { kind: 'task_reminder', messageKey: 'notifications.taskReminder', params: { title: row.task_title, dueAt: row.due_at?.toISOString() ?? null, late }, link: `/tasks/${row.task_id}` } : null;
  }
  if (row.activity_id === null || row.activity_deleted || row.activity_status !== 'planned') return null;
  return {
    kind: 'activity_reminder',
    messageKey: row.activity_kind === 'call' ? 'notifications.callReminder' : 'notifications.meetingReminder',
    // A call without a subject goes by its number.
    params: { title: row.activity_subject ?? (row.activity_phone_raw !== null ? formatPhone(row.activity_phone, row.activity_phone_raw) : ''), startsAt: row.starts_at?.toISOString() ?? null, minutes: row.before_minutes, late },
    link: recordLink(row.record_type, row.record_id),
  };
}

export async function remindersByTask(ex: Executor, workspaceId: string, taskIds: string[]): Promise<Map<string, Reminder[]>> {
  const byTask = new Map<string, Reminder[]>();
  for (const row of await remindersOfTasks(ex, workspaceId, taskIds)) {
    const list = byTask.get(row.task_id!) ?? [];
    list.push({ id: row.id, userId: row.user_id, fireAt: row.fire_at.toISOString(), beforeMinutes: row.before_minutes, firedAt: row.fired_at?.toISOString() ?? null, late: row.late });
    byTask.set(row.task_id!, list);
  }
  return byTask;
}

/**
 * Reminders as a kind of due timer: each notifies its user (and e-mails them if they chose so), linking to the task or
 * to the card of the record a call or meeting is on. A reminder of a task that is done, cancelled or deleted, or of an
 * activity no longer planned, is marked fired without a notice.
 */
export function reminderDueKind(mail: NotifyMail): DueKind {
  async function fireDue(trx: Tx, now: Date, limit: number): Promise<number> {
    const rows = await claimDueReminders(trx, now, limit);
    for (const row of rows) {
      const late = now.getTime() - row.fire_at.getTime() > LATE_AFTER_MS;
      const notice = noticeOf(row, late);
      if (notice) await notify(trx, { workspaceId: row.workspace_id, userId: row.user_id, ...notice }, mail);
      await markFired(trx, row.workspace_id, row.id, now, late);
    }
    return rows.length;
  }
  return {
    name: 'reminder',
    fireDue,
    async discardFirst(trx, now) {
      const [row] = await claimDueReminders(trx, now, 1);
      if (row) await markFired(trx, row.workspace_id, row.id, now, true);
      return row?.id;
    },
    nextAt: nextReminderAt,
  };
}
