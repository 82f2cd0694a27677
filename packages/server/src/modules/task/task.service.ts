import {
  ACTIVE_TASK_STATUSES,
  type ChecklistItemUpdateBody,
  type ClientObject,
  type PageOf,
  type RecurrencePreview,
  type RecurrencePreviewBody,
  type DeletedTask,
  type Task,
  type TaskBody,
  type TaskComment,
  type TaskFromTemplateBody,
  type TaskListQuery,
  type TaskSettingsBody,
  type TaskTemplate,
  type TaskTemplateBody,
  type TaskTemplateUpdateBody,
  type TaskUpdateBody,
} from '@rapport/shared';
import { accessScope, can, isInScope } from '../../core/access-scope.js';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Actor, Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import { decodeCursor, encodeCursor, toPage } from '../../core/pagination.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { createDueSignal, type DueKind } from '../../infra/due-timers.js';
import { newId } from '../../infra/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import type { MailService } from '../mail/mail.service.js';
import { notify } from '../notification/notification.service.js';
import { handOverReminders, moveTaskReminders, reminderDueKind, remindersByTask, replaceTaskReminders } from '../reminder/reminder.service.js';
import { escalationDueKind, overdueDueKind, seriesDueKind } from './task-due.js';
import { occurrencesAfter, parseSchedule, startOfDay } from './task-recurrence.js';
import { loadTask, rightsOf, type TaskRights } from './task-access.js';
import { announceTask, checkPeople, checkSubject, createTask, endSeries, fail, normalizeChecklist, notifyAssigned, notifyNewMembers, remindersFor, resolveAssignee, setRecurrence, timeErrors, wakeFor, withTemplate, type TaskEnv } from './task-write.js';
import {
  activeUsers,
  commentCounts,
  deleteComment,
  findComment,
  findSeries,
  findTemplate,
  insertComment,
  insertTemplate,
  listComments,
  listDeletedTasks,
  listTasks,
  listTemplates,
  membersOf,
  replaceMembers,
  rescheduleEscalations,
  setWorkspaceEscalationHours,
  subjectRecords,
  undeleteTask,
  updateTask,
  updateTemplate,
  userNames,
  workspaceEscalationHours,
  workspaceTimezone,
  type TaskRow,
  type TemplateRow,
} from './task.repository.js';

const DAY_MS = 86_400_000;
const ACTIVE = ACTIVE_TASK_STATUSES as readonly string[];
const AUDITED_FIELDS = ['title', 'description', 'owner_id', 'team_id', 'priority', 'status', 'start_at', 'due_at', 'all_day', 'subject_type', 'subject_id', 'checklist'] as const;

/** Tasks as the reader sees them: names, members, the linked record's title, reminders, repetition and their rights. */
/**
 * The titles of records (a task's subject, a process's record) as the actor may see them: someone not allowed to read a
 * record sees its kind, not its name (null).
 */
export async function readableTitles(ex: Executor, actor: Actor, refs: { type: ClientObject; id: string }[]): Promise<(type: ClientObject, id: string) => string | null> {
  const titles = await subjectRecords(ex, actor.workspaceId, refs);
  return (type, id) => {
    const record = titles.get(`${type}:${id}`);
    return record && can(actor, type, 'read') && isInScope(accessScope(actor, type, 'read'), { ownerId: record.owner_id, teamId: record.team_id }) ? record.title : null;
  };
}

export async function toTasks(ex: Executor, actor: Actor, rows: TaskRow[], now: Date): Promise<Task[]> {
  const { workspaceId } = actor;
  const ids = rows.map((row) => row.id);
  const [members, reminders, series, comments, names, titles] = await Promise.all([
    membersOf(ex, workspaceId, ids),
    remindersByTask(ex, workspaceId, ids),
    findSeries(ex, workspaceId, rows.flatMap((row) => (row.series_id ? [row.series_id] : []))),
    commentCounts(ex, workspaceId, ids),
    userNames(ex, workspaceId, rows.flatMap((row) => [row.owner_id, row.created_by])),
    readableTitles(ex, actor, rows.flatMap((row) => (row.subject_type && row.subject_id ? [{ type: row.subject_type as ClientObject, id: row.subject_id }] : []))),
  ]);
  const seriesById = new Map(series.map((row) => [row.id, row]));
  return rows.map((row) => {
    const taskMembers = members.filter((member) => member.task_id === row.id);
    const rights = rightsOf(actor, row, taskMembers.find((member) => member.user_id === actor.userId)?.role);
    const s = row.series_id ? seriesById.get(row.series_id) : undefined;
    return {
      id: row.id,
      title: row.title,
      description: row.description,
      status: row.status,
      priority: row.priority,
      ownerId: row.owner_id,
      ownerName: names.get(row.owner_id) ?? null,
      teamId: row.team_id,
      startAt: row.start_at?.toISOString() ?? null,
      dueAt: row.due_at?.toISOString() ?? null,
      allDay: row.all_day,
      completedAt: row.completed_at?.toISOString() ?? null,
      overdue: row.due_at !== null && row.due_at < now && ACTIVE.includes(row.status),
      subject: row.subject_type && row.subject_id ? { type: row.subject_type as ClientObject, id: row.subject_id, title: titles(row.subject_type as ClientObject, row.subject_id) } : null,
      checklist: row.checklist,
      members: taskMembers.map((member) => ({ userId: member.user_id, name: member.name, role: member.role })),
      // Readers who cannot edit the task see only their own reminders.
      reminders: (reminders.get(row.id) ?? []).filter((reminder) => rights.update || reminder.userId === actor.userId),
      recurrence: s ? { seriesId: s.id, rule: s.rule, timezone: s.timezone, nextOccurrenceAt: s.next_occurrence_at?.toISOString() ?? null, endedAt: s.ended_at?.toISOString() ?? null } : null,
      templateId: row.template_id,
      commentCount: comments.get(row.id) ?? 0,
      can: { update: rights.update, delete: rights.delete, comment: rights.comment },
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      createdBy: row.created_by,
      createdByName: row.created_by ? (names.get(row.created_by) ?? null) : null,
      updatedBy: row.updated_by,
      deletedAt: row.deleted_at?.toISOString() ?? null,
      version: row.version,
    };
  });
}

function toTemplate(row: TemplateRow, names: Map<string, string>): TaskTemplate {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    description: row.description,
    priority: row.priority,
    checklist: row.checklist,
    dueOffsetMinutes: row.due_offset_minutes,
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_id ? (names.get(row.assignee_id) ?? null) : null,
    createdAt: row.created_at.toISOString(),
    version: row.version,
  };
}

type CommentRow = { id: string; task_id: string; body: string; created_by: string | null; author_name: string | null; created_at: Date; updated_at: Date; version: number };

/** Its author may delete a comment (while they may comment on the task), and so may whoever may edit the task. */
function mayDeleteComment(actor: Actor, rights: TaskRights, comment: Pick<CommentRow, 'created_by'>): boolean {
  return rights.update || (rights.comment && comment.created_by === actor.userId);
}

function toComment(row: CommentRow, canDelete: boolean): TaskComment {
  return { id: row.id, taskId: row.task_id, body: row.body, authorId: row.created_by, authorName: row.author_name, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(), version: row.version, canDelete };
}

const CURSOR_SHAPES = { due: ['timestamp', 'uuid'], '-due': ['timestamp', 'uuid'], created: ['uuid'], '-created': ['uuid'], priority: ['text', 'timestamp', 'uuid'] } as const;

/** A sort key part as the cursor carries it: times as ISO, numbers as text. */
const cursorPart = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value));

export function createTaskService(deps: ServiceDeps & { mail: MailService }) {
  const env: TaskEnv = { clock: deps.clock, mail: { queue: deps.mail.queue, publicUrl: deps.config.publicUrl }, signal: createDueSignal() };

  async function get(ctx: Ctx, id: string): Promise<Task> {
    const { task } = await loadTask(deps.db, ctx, id);
    return (await toTasks(deps.db, ctx.actor, [task], deps.clock.now()))[0]!;
  }

  async function reload(ex: Executor, ctx: Ctx, id: string): Promise<Task> {
    const { task } = await loadTask(ex, ctx, id);
    return (await toTasks(ex, ctx.actor, [task], deps.clock.now()))[0]!;
  }

  async function list(ctx: Ctx, q: TaskListQuery): Promise<PageOf<Task>> {
    const { actor } = ctx;
    const now = deps.clock.now();
    const sort = q.sort ?? 'due';
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, CURSOR_SHAPES[sort]);
    // The priority rank goes into SQL as an integer: anything else is a forged cursor, not a server error.
    if (sort === 'priority' && after && !/^[0-3]$/.test(String(after[0]))) throw new AppError('bad_cursor', { message: 'cursor is not one this API issued', errors: [{ path: '/query/cursor', message: 'invalid cursor' }] });
    if (q.dueFrom && q.dueTo && q.dueTo < q.dueFrom) fail([{ path: '/query/dueTo', message: 'before dueFrom' }]);
    let dueFrom = q.dueFrom ? new Date(q.dueFrom) : undefined;
    let dueTo = q.dueTo ? new Date(q.dueTo) : undefined;
    if (q.due === 'today' || q.due === 'week') {
      // Days are the workspace's: "today" in Moscow is not today in UTC.
      const start = startOfDay(now, await workspaceTimezone(deps.db, actor.workspaceId));
      dueFrom = q.due === 'today' ? start : now;
      dueTo = new Date(start.getTime() + (q.due === 'today' ? 1 : 7) * DAY_MS);
    }
    const rows = await listTasks(deps.db, {
      workspaceId: actor.workspaceId,
      userId: actor.userId,
      scope: accessScope(actor, 'task', 'read'),
      view: q.view ?? 'all',
      statuses: q.status === 'active' ? ACTIVE : q.status ? [q.status] : undefined,
      priority: q.priority,
      overdueAt: q.due === 'overdue' ? now : undefined,
      dueFrom,
      dueTo,
      noDue: q.due === 'none',
      ownerId: q.ownerId,
      subject: q.subjectType && q.subjectId ? { type: q.subjectType, id: q.subjectId } : undefined,
      q: q.q,
      sort,
      after,
      limit,
    });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const key = (row: (typeof rows)[number]) => [...[row.k0, row.k1].slice(0, CURSOR_SHAPES[sort].length - 1).map(cursorPart), row.id];
    return { items: await toTasks(deps.db, actor, items, now), nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
  }

  async function create(ctx: Ctx, body: TaskBody): Promise<Task> {
    return deps.db.transaction().execute(async (trx) => reload(trx, ctx, await createTask(trx, ctx, body, env)));
  }

  async function createFromTemplate(ctx: Ctx, templateId: string, body: TaskFromTemplateBody): Promise<Task> {
    return deps.db.transaction().execute(async (trx) => {
      const template = await findTemplate(trx, ctx.actor.workspaceId, templateId);
      if (!template) throw new AppError('not_found', { message: 'No such task template' });
      return reload(trx, ctx, await createTask(trx, ctx, withTemplate(template, body, deps.clock.now()), env));
    });
  }

  async function update(ctx: Ctx, id: string, patch: Omit<TaskUpdateBody, 'version'>, version: number | undefined): Promise<Task> {
    const expected = requireVersion(version);
    return deps.db.transaction().execute(async (trx) => {
      const { actor } = ctx;
      const { task: before } = await loadTask(trx, ctx, id, 'update', { forUpdate: true });
      if (before.version !== expected) throw new AppError('version_conflict', { message: 'The task was changed by someone else; reload it', currentVersion: before.version });
      const now = deps.clock.now();
      const owner = await resolveAssignee(trx, ctx, patch.ownerId, patch.teamId, { ownerId: before.owner_id, teamId: before.team_id });
      const start = patch.startAt !== undefined ? (patch.startAt ? new Date(patch.startAt) : null) : before.start_at;
      const due = patch.dueAt !== undefined ? (patch.dueAt ? new Date(patch.dueAt) : null) : before.due_at;
      const errors = timeErrors(start, due, patch.allDay ?? before.all_day, { startAt: patch.startAt !== undefined, dueAt: patch.dueAt !== undefined });
      errors.push(...(await checkPeople(trx, actor.workspaceId, owner.ownerId, patch.members, patch.reminders)));
      if (patch.subject) errors.push(...(await checkSubject(trx, ctx, patch.subject)));
      const reminders = patch.reminders ? remindersFor(patch.reminders, due, owner.ownerId, now, false, errors) : undefined;
      if (errors.length > 0) fail(errors);
      // A member who becomes the assignee leaves the members.
      const current = (await membersOf(trx, actor.workspaceId, [id])).map((member) => ({ userId: member.user_id, role: member.role }));
      const members = patch.members ?? current.filter((member) => member.userId !== owner.ownerId);
      const membersChanged = patch.members !== undefined || members.length !== current.length;
      const { ownerId, teamId } = owner;

      const status = patch.status ?? before.status;
      if (status === 'done' && before.status !== 'done' && before.form_only) {
        fail([{ path: '/body/status', message: 'This task is a process step with a form: complete it with its form (the task card or the process card)' }]);
      }
      const checklist = patch.checklist ? normalizeChecklist(patch.checklist, before.checklist) : before.checklist;
      const dueMoved = (due?.getTime() ?? null) !== (before.due_at?.getTime() ?? null);
      const title = patch.title?.trim() ?? before.title;
      const subject = patch.subject !== undefined ? patch.subject : before.subject_type && before.subject_id ? { type: before.subject_type as 'contact', id: before.subject_id } : null;
      let seriesId = before.series_id;
      if (patch.recurrence !== undefined) {
        const plans = reminders ?? (await remindersByTask(trx, actor.workspaceId, [id])).get(id)?.filter((r) => !r.firedAt).map((r) => ({ userId: r.userId, fireAt: new Date(r.fireAt), beforeMinutes: r.beforeMinutes })) ?? [];
        const state = { title, description: patch.description !== undefined ? patch.description : before.description, priority: patch.priority ?? before.priority, ownerId, teamId, allDay: patch.allDay ?? before.all_day, subject, checklist, members, start, due, reminders: plans };
        seriesId = await setRecurrence(trx, ctx, before.series_id, patch.recurrence, state, now);
      }
      const after = await updateTask(trx, actor.workspaceId, id, expected, {
        title,
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        owner_id: ownerId,
        team_id: teamId,
        ...(patch.priority ? { priority: patch.priority } : {}),
        status,
        completed_at: status === before.status ? before.completed_at : status === 'done' ? now : null,
        start_at: start,
        due_at: due,
        ...(patch.allDay !== undefined ? { all_day: patch.allDay } : {}),
        subject_type: subject?.type ?? null,
        subject_id: subject?.id ?? null,
        checklist: JSON.stringify(checklist),
        series_id: seriesId,
        // A new due time is a new deadline: its overdue notice and escalation come afresh.
        ...(dueMoved ? { overdue_notified_at: null, escalate_at: null, escalated_at: null } : {}),
        updated_by: actor.userId,
      });
      if (!after) throw new AppError('version_conflict', { message: 'The task was changed by someone else; reload it', currentVersion: before.version });
      if (membersChanged) await replaceMembers(trx, actor.workspaceId, id, members);
      if (dueMoved) await moveTaskReminders(trx, actor.workspaceId, id, due);
      if (ownerId !== before.owner_id && !reminders) await handOverReminders(trx, actor.workspaceId, id, before.owner_id, ownerId);
      const earliest = reminders ? await replaceTaskReminders(trx, actor.workspaceId, id, reminders, actor.userId) : null;
      const changes = diffFields(before, after, AUDITED_FIELDS);
      if (patch.members) changes.members = { from: null, to: patch.members };
      if (patch.reminders) changes.reminders = { from: null, to: patch.reminders };
      if (patch.recurrence !== undefined) changes.recurrence = { from: null, to: patch.recurrence };
      await recordAudit(trx, ctx, { action: status !== before.status ? 'task.status_change' : 'task.update', objectType: 'task', objectId: id, changes });
      await announceTask(trx, actor.workspaceId, after, 'update');
      if (ownerId !== before.owner_id && ownerId !== actor.userId) await notifyAssigned(trx, ctx, env, { id, title, ownerId });
      if (patch.members) await notifyNewMembers(trx, ctx, env, { id, title }, members, new Set([before.owner_id, ...current.map((member) => member.userId)]));
      wakeFor(env, [earliest, dueMoved ? due : null]);
      return reload(trx, ctx, id);
    });
  }

  /** Into the recycle bin. Pending reminders stay: while it is deleted they pass silently; restored, the later ones still come. */
  /** To the recycle bin; with `stopRepeating`, its series ends too (restoring the task does not restart it). */
  async function remove(ctx: Ctx, id: string, options: { stopRepeating?: boolean | undefined } = {}): Promise<void> {
    await deps.db.transaction().execute(async (trx) => {
      const { task } = await loadTask(trx, ctx, id, 'delete', { forUpdate: true });
      const now = deps.clock.now();
      await updateTask(trx, ctx.actor.workspaceId, id, null, { deleted_at: now, deleted_by: ctx.actor.userId, updated_by: ctx.actor.userId });
      const stopped = options.stopRepeating === true && task.series_id !== null;
      if (stopped) await endSeries(trx, ctx, task.series_id!, now);
      await recordAudit(trx, ctx, { action: 'task.delete', objectType: 'task', objectId: id, meta: { title: task.title, ...(stopped ? { stoppedRepeating: true } : {}) } });
      await announceTask(trx, ctx.actor.workspaceId, task, 'delete');
    });
  }

  /** Deleted tasks the reader may bring back: their delete scope over the assignee, and readable to them. */
  async function deleted(ctx: Ctx, q: { limit?: number | undefined; cursor?: string | undefined }): Promise<PageOf<DeletedTask>> {
    const { actor } = ctx;
    const limit = q.limit ?? 50;
    const rows = await listDeletedTasks(deps.db, {
      workspaceId: actor.workspaceId,
      userId: actor.userId,
      readScope: accessScope(actor, 'task', 'read'),
      deleteScope: accessScope(actor, 'task', 'delete'),
      after: decodeCursor(q.cursor, ['timestamp', 'uuid']) as [string, string] | undefined,
      limit,
    });
    const page = toPage(rows, limit, (row) => [row.at_key, row.id]);
    return {
      items: page.items.map((row) => ({
        id: row.id,
        title: row.title,
        status: row.status,
        ownerId: row.owner_id,
        ownerName: row.owner_name,
        dueAt: row.due_at?.toISOString() ?? null,
        allDay: row.all_day,
        deletedAt: row.deleted_at!.toISOString(),
        deletedBy: row.deleted_by,
        deletedByName: row.deleted_by_name,
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** Back from the recycle bin, with its members, comments and the reminders still ahead; who may delete it may restore it. */
  async function restore(ctx: Ctx, id: string): Promise<Task> {
    return deps.db.transaction().execute(async (trx) => {
      const { actor } = ctx;
      const { task } = await loadTask(trx, ctx, id, 'delete', { forUpdate: true, deleted: true });
      const after = (await undeleteTask(trx, actor.workspaceId, id, actor.userId))!;
      await recordAudit(trx, ctx, { action: 'task.restore', objectType: 'task', objectId: id, meta: { title: task.title } });
      await announceTask(trx, actor.workspaceId, after, 'restore');
      const pending = ((await remindersByTask(trx, actor.workspaceId, [id])).get(id) ?? []).filter((reminder) => !reminder.firedAt);
      // Its overdue notice (if it is overdue now and never had one) and its reminders come from the due-timer loop.
      wakeFor(env, [after.due_at, ...pending.map((reminder) => new Date(reminder.fireAt))]);
      return reload(trx, ctx, id);
    });
  }

  /** Ticks or renames one checklist item without a version: people working down one list do not conflict. */
  async function updateChecklistItem(ctx: Ctx, id: string, itemId: string, patch: ChecklistItemUpdateBody): Promise<Task> {
    return deps.db.transaction().execute(async (trx) => {
      const { task } = await loadTask(trx, ctx, id, 'tick', { forUpdate: true });
      const item = task.checklist.find((entry) => entry.id === itemId);
      if (!item) throw new AppError('not_found', { message: 'No such checklist item' });
      const next = task.checklist.map((entry) => (entry.id === itemId ? { ...entry, ...(patch.done !== undefined ? { done: patch.done } : {}), ...(patch.text ? { text: patch.text.trim() } : {}) } : entry));
      const after = await updateTask(trx, ctx.actor.workspaceId, id, null, { checklist: JSON.stringify(next), updated_by: ctx.actor.userId });
      await recordAudit(trx, ctx, { action: 'task.checklist', objectType: 'task', objectId: id, meta: { item: item.text, ...(patch.done !== undefined ? { done: patch.done } : {}), ...(patch.text ? { text: patch.text.trim() } : {}) } });
      await announceTask(trx, ctx.actor.workspaceId, after!, 'update');
      return reload(trx, ctx, id);
    });
  }

  async function comments(ctx: Ctx, id: string, q: { limit?: number | undefined; cursor?: string | undefined }): Promise<PageOf<TaskComment>> {
    const { rights } = await loadTask(deps.db, ctx, id);
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['uuid'])?.[0];
    const rows = await listComments(deps.db, ctx.actor.workspaceId, id, after === undefined ? undefined : String(after), limit);
    const items = rows.slice(0, limit);
    return { items: items.map((row) => toComment(row, mayDeleteComment(ctx.actor, rights, row))), nextCursor: rows.length > limit && items.length > 0 ? encodeCursor([items.at(-1)!.id]) : null };
  }

  /** Everyone on the task but the writer hears about a comment: assignee, author, co-executors, watchers. */
  async function addComment(ctx: Ctx, id: string, body: string): Promise<TaskComment> {
    return deps.db.transaction().execute(async (trx) => {
      const { actor } = ctx;
      const { task } = await loadTask(trx, ctx, id, 'comment');
      const commentId = newId();
      const text = body.trim();
      await insertComment(trx, { workspace_id: actor.workspaceId, id: commentId, task_id: id, body: text, created_by: actor.userId, updated_by: actor.userId });
      await recordAudit(trx, ctx, { action: 'task.comment', objectType: 'task', objectId: id, meta: { commentId, body: text.slice(0, 200) } });
      const members = await membersOf(trx, actor.workspaceId, [id]);
      const audience = new Set([task.owner_id, task.created_by, ...members.map((member) => member.user_id)].filter((userId): userId is string => userId !== null && userId !== actor.userId));
      for (const userId of audience) {
        await notify(trx, { workspaceId: actor.workspaceId, userId, kind: 'task_comment', messageKey: 'notifications.taskComment', params: { title: task.title, by: actor.name, comment: text.slice(0, 500) }, link: `/tasks/${id}` }, env.mail);
      }
      await announceTask(trx, actor.workspaceId, task, 'comment');
      return toComment((await findComment(trx, actor.workspaceId, commentId))!, true);
    });
  }

  /** The comment's author, or whoever may edit the task, can delete it; the task's readers see it go live. */
  async function removeComment(ctx: Ctx, commentId: string): Promise<void> {
    await deps.db.transaction().execute(async (trx) => {
      const comment = await findComment(trx, ctx.actor.workspaceId, commentId);
      if (!comment) throw new AppError('not_found', { message: 'No such comment' });
      const { task, rights } = await loadTask(trx, ctx, comment.task_id);
      if (!mayDeleteComment(ctx.actor, rights, comment)) throw new AppError('forbidden', { message: 'Only its author or an editor of the task can delete this comment' });
      await deleteComment(trx, ctx.actor.workspaceId, commentId, ctx.actor.userId);
      await recordAudit(trx, ctx, { action: 'task.comment_delete', objectType: 'task', objectId: comment.task_id, meta: { commentId, body: comment.body.slice(0, 200) } });
      await announceTask(trx, ctx.actor.workspaceId, task, 'comment');
    });
  }

  async function templates(ctx: Ctx): Promise<TaskTemplate[]> {
    const rows = await listTemplates(deps.db, ctx.actor.workspaceId);
    const names = await userNames(deps.db, ctx.actor.workspaceId, rows.map((row) => row.assignee_id));
    return rows.map((row) => toTemplate(row, names));
  }

  async function checkTemplateAssignee(ex: Executor, workspaceId: string, assigneeId: string | null | undefined): Promise<void> {
    if (assigneeId && (await activeUsers(ex, workspaceId, [assigneeId])).length === 0) fail([{ path: '/body/assigneeId', message: 'no such active user in the workspace' }]);
  }

  async function createTemplate(ctx: Ctx, body: TaskTemplateBody): Promise<TaskTemplate> {
    return deps.db.transaction().execute(async (trx) => {
      const { workspaceId, userId } = ctx.actor;
      await checkTemplateAssignee(trx, workspaceId, body.assigneeId);
      const id = newId();
      await insertTemplate(trx, {
        workspace_id: workspaceId,
        id,
        name: body.name.trim(),
        title: body.title.trim(),
        description: body.description ?? null,
        priority: body.priority ?? 'normal',
        checklist: JSON.stringify((body.checklist ?? []).map((item) => ({ text: item.text.trim() }))),
        due_offset_minutes: body.dueOffsetMinutes ?? null,
        assignee_id: body.assigneeId ?? null,
        created_by: userId,
        updated_by: userId,
      });
      await recordAudit(trx, ctx, { action: 'task_template.create', objectType: 'task_template', objectId: id, meta: { name: body.name.trim() } });
      const row = (await findTemplate(trx, workspaceId, id))!;
      return toTemplate(row, await userNames(trx, workspaceId, [row.assignee_id]));
    });
  }

  /** Templates are shared in the workspace: their author edits them, and so does whoever manages settings. */
  async function editableTemplate(ex: Executor, ctx: Ctx, id: string): Promise<TemplateRow> {
    const row = await findTemplate(ex, ctx.actor.workspaceId, id);
    if (!row) throw new AppError('not_found', { message: 'No such task template' });
    if (row.created_by !== ctx.actor.userId && !can(ctx.actor, 'settings', 'update')) throw new AppError('forbidden', { message: 'Only its author or an administrator can change this template' });
    return row;
  }

  async function updateTemplateById(ctx: Ctx, id: string, patch: Omit<TaskTemplateUpdateBody, 'version'>, version: number | undefined): Promise<TaskTemplate> {
    const expected = requireVersion(version);
    return deps.db.transaction().execute(async (trx) => {
      const { workspaceId, userId } = ctx.actor;
      const before = await editableTemplate(trx, ctx, id);
      await checkTemplateAssignee(trx, workspaceId, patch.assigneeId);
      const after = await updateTemplate(trx, workspaceId, id, expected, {
        ...(patch.name ? { name: patch.name.trim() } : {}),
        ...(patch.title ? { title: patch.title.trim() } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.priority ? { priority: patch.priority } : {}),
        ...(patch.checklist ? { checklist: JSON.stringify(patch.checklist.map((item) => ({ text: item.text.trim() }))) } : {}),
        ...(patch.dueOffsetMinutes !== undefined ? { due_offset_minutes: patch.dueOffsetMinutes } : {}),
        ...(patch.assigneeId !== undefined ? { assignee_id: patch.assigneeId } : {}),
        updated_by: userId,
      });
      if (!after) throw new AppError('version_conflict', { message: 'The template was changed by someone else; reload it', currentVersion: before.version });
      await recordAudit(trx, ctx, { action: 'task_template.update', objectType: 'task_template', objectId: id, changes: diffFields(before, after, ['name', 'title', 'description', 'priority', 'checklist', 'due_offset_minutes', 'assignee_id']) });
      return toTemplate(after, await userNames(trx, workspaceId, [after.assignee_id]));
    });
  }

  async function removeTemplate(ctx: Ctx, id: string): Promise<void> {
    await deps.db.transaction().execute(async (trx) => {
      const before = await editableTemplate(trx, ctx, id);
      await updateTemplate(trx, ctx.actor.workspaceId, id, before.version, { deleted_at: deps.clock.now(), updated_by: ctx.actor.userId });
      await recordAudit(trx, ctx, { action: 'task_template.delete', objectType: 'task_template', objectId: id, meta: { name: before.name } });
    });
  }

  async function settings(ctx: Ctx): Promise<{ overdueEscalationHours: number | null }> {
    accessScope(ctx.actor, 'settings', 'read');
    return { overdueEscalationHours: await workspaceEscalationHours(deps.db, ctx.actor.workspaceId) };
  }

  /** Changing the escalation delay reschedules the escalations of tasks already overdue. */
  async function updateSettings(ctx: Ctx, body: TaskSettingsBody): Promise<{ overdueEscalationHours: number | null }> {
    accessScope(ctx.actor, 'settings', 'update');
    return deps.db.transaction().execute(async (trx) => {
      const { workspaceId } = ctx.actor;
      const before = await workspaceEscalationHours(trx, workspaceId);
      await setWorkspaceEscalationHours(trx, workspaceId, body.overdueEscalationHours);
      await rescheduleEscalations(trx, workspaceId, body.overdueEscalationHours);
      await recordAudit(trx, ctx, { action: 'workspace.settings_update', objectType: 'workspace', objectId: workspaceId, changes: { overdueEscalationHours: { from: before, to: body.overdueEscalationHours } } });
      env.signal.wake(deps.clock.now());
      return { overdueEscalationHours: body.overdueEscalationHours };
    });
  }

  async function previewRecurrence(ctx: Ctx, body: RecurrencePreviewBody): Promise<RecurrencePreview> {
    const timezone = await workspaceTimezone(deps.db, ctx.actor.workspaceId);
    const due = new Date(body.dueAt);
    const schedule = parseSchedule(body.rule, due, timezone, '/body/rule');
    return { occurrences: occurrencesAfter(schedule, due, 5).map((at) => at.toISOString()), timezone };
  }

  return {
    get,
    list,
    create,
    /** For other modules: creates a task in their transaction, as their actor; returns its id. */
    createTask: (ex: Executor, ctx: Ctx, body: TaskBody) => createTask(ex, ctx, body, env),
    createFromTemplate,
    update,
    remove,
    deleted,
    restore,
    updateChecklistItem,
    comments,
    addComment,
    removeComment,
    templates,
    createTemplate,
    updateTemplate: updateTemplateById,
    removeTemplate,
    settings,
    updateSettings,
    previewRecurrence,
    /** This process's wake-up for the due-timer loop, and the timers it fires for tasks. */
    dueSignal: env.signal,
    dueKinds: (): DueKind[] => [reminderDueKind(env.mail), overdueDueKind(env.mail), escalationDueKind(env.mail), seriesDueKind(env)],
  };
}

export type TaskService = ReturnType<typeof createTaskService>;
