import { fullMatrix } from '@rapport/shared';
import type { Ctx } from '../../core/context.js';
import type { Tx } from '../../infra/db.js';
import type { DueKind } from '../../infra/due-timers.js';
import { recordAudit } from '../audit/audit.service.js';
import { notify, type NotifyMail } from '../notification/notification.service.js';
import { createTask, nextRun, type TaskEnv } from './task-write.js';
import { claimDueSeries, claimEscalations, claimOverdue, markEscalated, markOverdueNotified, nextEscalationAt, nextOverdueAt, nextSeriesRunAt, updateSeries, type SeriesRow } from './task.repository.js';

const HOUR_MS = 3_600_000;

/** An overdue task tells its assignee at once, and schedules the escalation when the workspace has one. */
export function overdueDueKind(mail: NotifyMail): DueKind {
  return {
    name: 'task-overdue',
    async fireDue(trx, now, limit) {
      const rows = await claimOverdue(trx, now, limit);
      for (const task of rows) {
        await notify(trx, { workspaceId: task.workspace_id, userId: task.owner_id, kind: 'task_overdue', messageKey: 'notifications.taskOverdue', params: { title: task.title, dueAt: task.due_at?.toISOString() ?? null }, link: `/tasks/${task.id}` }, mail);
        const escalateAt = task.escalation_hours === null ? null : new Date(task.due_at!.getTime() + task.escalation_hours * HOUR_MS);
        await markOverdueNotified(trx, task.workspace_id, task.id, now, escalateAt);
      }
      return rows.length;
    },
    async discardFirst(trx, now) {
      const [task] = await claimOverdue(trx, now, 1);
      if (task) await markOverdueNotified(trx, task.workspace_id, task.id, now, null);
      return task?.id;
    },
    nextAt: nextOverdueAt,
  };
}

/** N hours overdue: the assignee's manager (or their team's head) hears about it, once. */
export function escalationDueKind(mail: NotifyMail): DueKind {
  return {
    name: 'task-escalation',
    async fireDue(trx, now, limit) {
      const rows = await claimEscalations(trx, now, limit);
      for (const task of rows) {
        if (task.manager_id) {
          const hours = Math.round((task.escalate_at!.getTime() - task.due_at!.getTime()) / HOUR_MS);
          await notify(trx, { workspaceId: task.workspace_id, userId: task.manager_id, kind: 'task_escalated', messageKey: 'notifications.taskEscalated', params: { title: task.title, assignee: task.assignee_name, hours }, link: `/tasks/${task.id}` }, mail);
        }
        await markEscalated(trx, task.workspace_id, task.id, now);
      }
      return rows.length;
    },
    async discardFirst(trx, now) {
      const [task] = await claimEscalations(trx, now, 1);
      if (task) await markEscalated(trx, task.workspace_id, task.id, now);
      return task?.id;
    },
    nextAt: nextEscalationAt,
  };
}

/** The series' author acting through the system: the audit trail shows the loop, the task shows its author. */
function seriesCtx(series: SeriesRow): Ctx {
  return {
    actor: {
      workspaceId: series.workspace_id,
      userId: series.created_by ?? series.owner_id,
      name: 'Rapport',
      roleId: '',
      teamId: series.team_id,
      teamTreeIds: [],
      permissions: fullMatrix('all'),
      fieldRules: {},
      via: 'system',
      apiKeyId: null,
    },
    meta: { ip: null, requestId: null },
  };
}

/** Creates a series' due occurrence and moves the series on to the next one (or ends it); returns the series as it now is. */
async function runOccurrence(trx: Tx, series: SeriesRow, now: Date, env: TaskEnv): Promise<SeriesRow> {
  const due = series.next_occurrence_at!;
  const start = series.start_offset_minutes === null ? null : new Date(due.getTime() - series.start_offset_minutes * 60_000);
  await createTask(
    trx,
    seriesCtx(series),
    {
      title: series.title,
      description: series.description,
      ownerId: series.owner_id,
      teamId: series.team_id,
      priority: series.priority,
      allDay: series.all_day,
      startAt: start?.toISOString() ?? null,
      dueAt: due.toISOString(),
      subject: series.subject_type && series.subject_id ? { type: series.subject_type as 'contact', id: series.subject_id } : null,
      checklist: series.checklist.map((item) => ({ text: item.text })),
      members: series.members,
      reminders: series.reminder_minutes.map((minutes) => ({ beforeMinutes: minutes })),
    },
    env,
    { seriesId: series.id, dropPastReminders: true },
  );
  const next = nextRun(series, due);
  const patch = { ...next, last_run_at: now, occurrences: series.occurrences + 1, ...(next.next_occurrence_at ? {} : { ended_at: now }) };
  await updateSeries(trx, series.workspace_id, series.id, patch);
  return { ...series, ...patch };
}

/**
 * Every occurrence of a claimed series that has come due, oldest first, up to `budget` of them: after downtime each
 * missed one becomes its own task (the series row is locked, and moves on with each, so none is made twice).
 */
async function catchUp(trx: Tx, claimed: SeriesRow, now: Date, env: TaskEnv, budget: number): Promise<number> {
  let series = claimed;
  let created = 0;
  while (created < budget && series.ended_at === null && series.next_run_at !== null && series.next_run_at <= now) {
    series = await runOccurrence(trx, series, now, env);
    created += 1;
  }
  return created;
}

/**
 * Each occurrence of a repeating task becomes a task at its time; after downtime, all the missed ones are created late.
 * Counts occurrences, not series, against `limit`: a full batch tells the loop to come back for the rest.
 */
export function seriesDueKind(env: TaskEnv): DueKind {
  return {
    name: 'task-series',
    async fireDue(trx, now, limit) {
      const rows = await claimDueSeries(trx, now, limit);
      let created = 0;
      for (const series of rows) {
        if (created >= limit) break;
        created += await catchUp(trx, series, now, env, limit - created);
      }
      return created;
    },
    /** A series whose occurrence cannot be created (its assignee left, its record is gone) ends, on the record. */
    async discardFirst(trx, now) {
      const [series] = await claimDueSeries(trx, now, 1);
      if (!series) return undefined;
      await updateSeries(trx, series.workspace_id, series.id, { ended_at: now, next_run_at: null });
      await recordAudit(trx, seriesCtx(series), { action: 'task_series.end', objectType: 'task_series', objectId: series.id, meta: { reason: 'occurrence could not be created', title: series.title } });
      return series.id;
    },
    nextAt: nextSeriesRunAt,
  };
}
