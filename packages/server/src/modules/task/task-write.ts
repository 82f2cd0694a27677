import type { ChecklistItem, ChecklistItemInput, ClientObject, FieldError, ReminderInput, TaskBody, TaskMemberInput, TaskStatus } from '@rapport/shared';
import { accessScope, isInScope } from '../../core/access-scope.js';
import { AppError } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import type { Clock } from '../../infra/clock.js';
import type { Executor } from '../../infra/db.js';
import type { DueSignal } from '../../infra/due-timers.js';
import { newId } from '../../infra/ids.js';
import { recordAudit, recordAuditsOf, type AuditInput } from '../audit/audit.service.js';
import { checkTeam, loadRecord } from '../client-record/client-record.service.js';
import { notify, type NotifyMail } from '../notification/notification.service.js';
import { emit } from '../outbox/outbox.service.js';
import { addTaskReminders, planReminders, type ReminderPlan } from '../reminder/reminder.service.js';
import { occurrenceAfter, parseSchedule } from './task-recurrence.js';
import { activeUsers, closeTask, findSeries, findTask, findTemplate, insertMembers, insertSeries, insertTask, latestDueInSeries, updateSeries, updateTask, workspaceTimezone, type TaskRow, type TemplateRow } from './task.repository.js';

const MINUTE_MS = 60_000;
/** A series whose tasks have no start makes each one this long before it is due (or one occurrence ahead, if sooner). */
const DEFAULT_LEAD_MINUTES = 24 * 60;

/** What writing a task needs besides the database: time, the mail outbox for notices, and the due-timer loop's wake-up. */
export interface TaskEnv {
  clock: Clock;
  mail: NotifyMail;
  signal: DueSignal;
}

export function fail(errors: FieldError[]): never {
  throw new AppError('validation', { message: errors.map((error) => `${error.path}: ${error.message}`).join('; '), errors });
}

/** New checklist items get ids; kept ones keep theirs (and their state unless the input says otherwise). */
export function normalizeChecklist(items: ChecklistItemInput[], before: ChecklistItem[] = []): ChecklistItem[] {
  const known = new Map(before.map((item) => [item.id, item]));
  const seen = new Set<string>();
  return items.map((item) => {
    const id = item.id && !seen.has(item.id) ? item.id : newId();
    seen.add(id);
    return { id, text: item.text.trim(), done: item.done ?? known.get(id)?.done ?? false };
  });
}

/** The assignee: unchanged (on create: the actor) by default; someone else must be an active user within the actor's `task.assign` scope. */
export async function resolveAssignee(ex: Executor, ctx: Ctx, ownerId: string | undefined, teamId: string | null | undefined, current: { ownerId: string; teamId: string | null }) {
  const { actor } = ctx;
  await checkTeam(ex, actor.workspaceId, teamId);
  const target = ownerId ?? current.ownerId;
  if (target === current.ownerId) return { ownerId: target, teamId: teamId !== undefined ? teamId : current.teamId };
  const [user] = await activeUsers(ex, actor.workspaceId, [target]);
  if (!user) fail([{ path: '/body/ownerId', message: 'no such active user in the workspace' }]);
  if (target !== actor.userId && actor.via !== 'system' && !isInScope(accessScope(actor, 'task', 'assign'), { ownerId: user.id, teamId: user.team_id })) {
    throw new AppError('forbidden', { message: 'Your role cannot give tasks to this user', errors: [{ path: '/body/ownerId', message: 'outside your assign scope' }] });
  }
  return { ownerId: target, teamId: teamId !== undefined ? teamId : user.team_id };
}

/** Members and reminder recipients must be active users of the workspace; each wrong one is a field error. */
export async function checkPeople(ex: Executor, workspaceId: string, ownerId: string, members: TaskMemberInput[] | undefined, reminders: ReminderInput[] | undefined): Promise<FieldError[]> {
  const ids = [...(members ?? []).map((member) => member.userId), ...(reminders ?? []).flatMap((reminder) => (reminder.userId ? [reminder.userId] : []))];
  const active = new Set((await activeUsers(ex, workspaceId, ids)).map((user) => user.id));
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  (members ?? []).forEach((member, i) => {
    if (!active.has(member.userId)) errors.push({ path: `/body/members/${i}/userId`, message: 'no such active user in the workspace' });
    else if (member.userId === ownerId) errors.push({ path: `/body/members/${i}/userId`, message: 'already the assignee' });
    else if (seen.has(member.userId)) errors.push({ path: `/body/members/${i}/userId`, message: 'listed twice' });
    seen.add(member.userId);
  });
  (reminders ?? []).forEach((reminder, i) => {
    if (reminder.userId && !active.has(reminder.userId)) errors.push({ path: `/body/reminders/${i}/userId`, message: 'no such active user in the workspace' });
  });
  return errors;
}

/** A linked record must be one the actor can see; otherwise it is a field error (its existence is not revealed). */
export async function checkSubject(ex: Executor, ctx: Ctx, subject: { type: ClientObject; id: string } | null | undefined): Promise<FieldError[]> {
  if (!subject) return [];
  try {
    await loadRecord(ex, ctx, subject.type, subject.id, 'read');
    return [];
  } catch (error) {
    if (error instanceof AppError && (error.code === 'not_found' || error.code === 'forbidden')) return [{ path: '/body/subject/id', message: `no such ${subject.type} visible to you` }];
    throw error;
  }
}

/**
 * The problems of a task's times: due before the start, or all day without a due date (an all-day task is due by the end
 * of its day, which clients send as that day's last minute in the user's zone). `changed` says which field the body set.
 */
export function timeErrors(start: Date | null, due: Date | null, allDay: boolean, changed: { startAt: boolean; dueAt: boolean }): FieldError[] {
  const errors: FieldError[] = [];
  if (start && due && due < start) errors.push({ path: changed.dueAt || !changed.startAt ? '/body/dueAt' : '/body/startAt', message: 'the due time is before the start' });
  if (allDay && !due) errors.push({ path: changed.dueAt ? '/body/dueAt' : '/body/allDay', message: 'an all-day task needs a due date' });
  return errors;
}

function dates(body: Pick<TaskBody, 'startAt' | 'dueAt' | 'allDay'>): { start: Date | null; due: Date | null; errors: FieldError[] } {
  const start = body.startAt ? new Date(body.startAt) : null;
  const due = body.dueAt ? new Date(body.dueAt) : null;
  return { start, due, errors: timeErrors(start, due, body.allDay ?? false, { startAt: body.startAt !== undefined, dueAt: body.dueAt !== undefined }) };
}

/** The template's fields under the body's: what "a task from a template" means. */
export function withTemplate(template: TemplateRow, body: Partial<TaskBody>, now: Date): TaskBody {
  const ownerId = body.ownerId ?? template.assignee_id;
  const offsetDue = template.due_offset_minutes === null ? null : new Date(now.getTime() + template.due_offset_minutes * MINUTE_MS).toISOString();
  return {
    ...body,
    title: body.title ?? template.title,
    description: body.description !== undefined ? body.description : template.description,
    priority: body.priority ?? template.priority,
    checklist: body.checklist ?? template.checklist.map((item) => ({ text: item.text })),
    ...(ownerId ? { ownerId } : {}),
    dueAt: body.dueAt !== undefined ? body.dueAt : offsetDue,
    templateId: template.id,
  };
}

export interface CreateOptions {
  /** The series an occurrence belongs to (the due-timer loop creating it). */
  seriesId?: string;
  /** Occurrences created late (after downtime) drop reminders whose time has passed instead of refusing them. */
  dropPastReminders?: boolean;
  /** A process step with required form fields: the task list may not mark it done (see task.service update). */
  formOnly?: boolean;
}

/**
 * Creates a task in the caller's transaction, as `ctx.actor` — the function other modules call (follow-up tasks of the
 * base rotation, series occurrences). Validates the assignee, members, linked record, dates, reminders and recurrence
 * (all field errors at once), writes the audit entry and the live event, and notifies an assignee who is not the author.
 */
export async function createTask(ex: Executor, ctx: Ctx, input: TaskBody, env: TaskEnv, options: CreateOptions = {}): Promise<string> {
  const { actor } = ctx;
  const now = env.clock.now();
  const body = input.templateId ? withTemplate(await templateOrFail(ex, actor.workspaceId, input.templateId), input, now) : input;
  const owner = await resolveAssignee(ex, ctx, body.ownerId, body.teamId, { ownerId: actor.userId, teamId: actor.teamId });
  const { start, due, errors } = dates(body);
  errors.push(...(await checkPeople(ex, actor.workspaceId, owner.ownerId, body.members, body.reminders)));
  errors.push(...(await checkSubject(ex, ctx, body.subject)));
  const reminders = remindersFor(body.reminders ?? [], due, owner.ownerId, now, options.dropPastReminders ?? false, errors);
  const schedule = body.recurrence ? await scheduleFor(ex, actor.workspaceId, body.recurrence.rule, due, errors) : undefined;
  if (errors.length > 0) fail(errors);

  const id = newId();
  const status = body.status ?? 'open';
  const title = body.title.trim();
  const checklist = normalizeChecklist(body.checklist ?? []);
  const members = body.members ?? [];
  const author = actor.userId;
  const state = { title, description: body.description ?? null, priority: body.priority ?? 'normal', ...owner, allDay: body.allDay ?? false, subject: body.subject ?? null, checklist, members, start, reminders };
  const seriesId = schedule && due ? await startSeries(ex, ctx, schedule, { ...state, due }) : (options.seriesId ?? null);
  await insertTask(ex, {
    workspace_id: actor.workspaceId,
    id,
    title,
    description: state.description,
    owner_id: owner.ownerId,
    team_id: owner.teamId,
    priority: state.priority,
    status,
    start_at: start,
    due_at: due,
    all_day: state.allDay,
    completed_at: status === 'done' ? now : null,
    subject_type: body.subject?.type ?? null,
    subject_id: body.subject?.id ?? null,
    checklist: JSON.stringify(checklist),
    series_id: seriesId,
    template_id: body.templateId ?? null,
    form_only: options.formOnly ?? false,
    created_by: author,
    updated_by: author,
  });
  await insertMembers(ex, actor.workspaceId, id, members);
  const earliest = await addTaskReminders(ex, actor.workspaceId, id, reminders, author);
  await recordAudit(ex, ctx, { action: 'task.create', objectType: 'task', objectId: id, meta: { title, ownerId: owner.ownerId, subject: body.subject ?? null, seriesId, templateId: body.templateId ?? null } });
  await announceTask(ex, actor.workspaceId, { id, owner_id: owner.ownerId, team_id: owner.teamId }, 'create');
  if (owner.ownerId !== actor.userId) await notifyAssigned(ex, ctx, env, { id, title, ownerId: owner.ownerId });
  await notifyNewMembers(ex, ctx, env, { id, title }, members, new Set());
  wakeFor(env, [earliest, due]);
  return id;
}

async function templateOrFail(ex: Executor, workspaceId: string, templateId: string): Promise<TemplateRow> {
  const template = await findTemplate(ex, workspaceId, templateId);
  if (!template) fail([{ path: '/body/templateId', message: 'no such task template' }]);
  return template;
}

export function remindersFor(inputs: ReminderInput[], due: Date | null, assigneeId: string, now: Date, dropPast: boolean, errors: FieldError[]): ReminderPlan[] {
  const kept = dropPast ? inputs.filter((input) => (input.fireAt ? new Date(input.fireAt) >= now : !due || due.getTime() - (input.beforeMinutes ?? 0) * MINUTE_MS >= now.getTime())) : inputs;
  const planned = planReminders(kept, { dueAt: due, assigneeId }, now, '/body/reminders');
  errors.push(...planned.errors);
  return planned.plans;
}

/** Reads a recurrence rule for a task due at `due` in the workspace's time zone; problems join `errors`. */
export async function scheduleFor(ex: Executor, workspaceId: string, rule: string, due: Date | null, errors: FieldError[]) {
  if (!due) {
    errors.push({ path: '/body/dueAt', message: 'a repeating task needs a due time' });
    return undefined;
  }
  const timeZone = await workspaceTimezone(ex, workspaceId);
  try {
    parseSchedule(rule, due, timeZone, '/body/recurrence/rule');
    return { rule: rule.trim().replace(/^RRULE:/i, ''), timeZone };
  } catch (error) {
    if (error instanceof AppError && error.errors) {
      errors.push(...error.errors);
      return undefined;
    }
    throw error;
  }
}

/** A task's state as its series copies it to each next occurrence. */
export interface SeriesState {
  title: string;
  description: string | null;
  priority: TaskRow['priority'];
  ownerId: string;
  teamId: string | null;
  allDay: boolean;
  subject: { type: string; id: string } | null;
  checklist: ChecklistItem[];
  members: TaskMemberInput[];
  start: Date | null;
  due: Date;
  reminders: ReminderPlan[];
}

function seriesFields(state: SeriesState) {
  return {
    title: state.title,
    description: state.description,
    priority: state.priority,
    owner_id: state.ownerId,
    team_id: state.teamId,
    all_day: state.allDay,
    subject_type: state.subject?.type ?? null,
    subject_id: state.subject?.id ?? null,
    checklist: JSON.stringify(state.checklist.map((item) => ({ ...item, done: false }))),
    members: JSON.stringify(state.members),
    // Only the assignee's reminders relative to the due time carry over: fixed times belong to one occurrence.
    reminder_minutes: state.reminders.flatMap((reminder) => (reminder.beforeMinutes !== null && reminder.userId === state.ownerId ? [reminder.beforeMinutes] : [])),
    start_offset_minutes: state.start ? Math.round((state.due.getTime() - state.start.getTime()) / MINUTE_MS) : null,
  };
}

/**
 * The occurrence after `after` and when to create its task: at its start (due − the tasks' start offset), or when the
 * tasks have no start, a day ahead — or one occurrence ahead, if they come more often than daily.
 */
export function nextRun(series: { rule: string; timezone: string; dtstart: Date; start_offset_minutes: number | null }, after: Date): { next_occurrence_at: Date | null; next_run_at: Date | null } {
  const next = occurrenceAfter(parseSchedule(series.rule, series.dtstart, series.timezone, '/rule'), after);
  if (!next) return { next_occurrence_at: null, next_run_at: null };
  const lead = series.start_offset_minutes !== null ? series.start_offset_minutes * MINUTE_MS : Math.min(DEFAULT_LEAD_MINUTES * MINUTE_MS, next.getTime() - after.getTime());
  return { next_occurrence_at: next, next_run_at: new Date(next.getTime() - lead) };
}

/** A new series whose first occurrence is the task being written (due at `state.due`). */
async function startSeries(ex: Executor, ctx: Ctx, schedule: { rule: string; timeZone: string }, state: SeriesState): Promise<string> {
  const id = newId();
  const fields = { ...seriesFields(state), rule: schedule.rule, timezone: schedule.timeZone, dtstart: state.due };
  await insertSeries(ex, { workspace_id: ctx.actor.workspaceId, id, ...fields, ...nextRun(fields, state.due), created_by: ctx.actor.userId, updated_by: ctx.actor.userId });
  return id;
}

/**
 * Starts, changes or stops a task's repetition (an update with `recurrence` in the body). A changed rule keeps the
 * series' anchor and continues after its latest task; the task's current fields become the next occurrences' fields.
 */
export async function setRecurrence(ex: Executor, ctx: Ctx, seriesId: string | null, recurrence: { rule: string } | null, state: Omit<SeriesState, 'due'> & { due: Date | null }, now: Date): Promise<string | null> {
  const { workspaceId, userId } = ctx.actor;
  if (recurrence === null) {
    if (seriesId) await endSeries(ex, ctx, seriesId, now);
    return seriesId;
  }
  const errors: FieldError[] = [];
  const schedule = await scheduleFor(ex, workspaceId, recurrence.rule, state.due, errors);
  if (!schedule || !state.due) fail(errors);
  const dueState = { ...state, due: state.due };
  const [series] = seriesId ? await findSeries(ex, workspaceId, [seriesId]) : [];
  if (!series) return startSeries(ex, ctx, schedule, dueState);
  const latest = (await latestDueInSeries(ex, workspaceId, series.id)) ?? dueState.due;
  const fields = { ...seriesFields(dueState), rule: schedule.rule, timezone: schedule.timeZone, dtstart: series.dtstart };
  await updateSeries(ex, workspaceId, series.id, { ...fields, ...nextRun(fields, latest > dueState.due ? latest : dueState.due), ended_at: null, updated_by: userId });
  return series.id;
}

/** No more occurrences of a series: those already created stay as they are. */
export async function endSeries(ex: Executor, ctx: Ctx, seriesId: string, now: Date): Promise<void> {
  await updateSeries(ex, ctx.actor.workspaceId, seriesId, { ended_at: now, next_run_at: null, next_occurrence_at: null, updated_by: ctx.actor.userId });
}

/**
 * The live event for readers of the task (its assignee's and team's scopes). `driven`: another module changed the task
 * (driveTask), so the change is that module's own and the dispatcher does not hand it back.
 */
export async function announceTask(ex: Executor, workspaceId: string, task: { id: string; owner_id: string; team_id: string | null }, action: string, driven = false): Promise<void> {
  await emit(ex, workspaceId, 'record.changed', { objectType: 'task', id: task.id, action, ownerId: task.owner_id, teamId: task.team_id, ...(driven ? { driven } : {}) });
}

export async function notifyAssigned(ex: Executor, ctx: Ctx, env: TaskEnv, task: { id: string; title: string; ownerId: string }): Promise<void> {
  await notify(ex, { workspaceId: ctx.actor.workspaceId, userId: task.ownerId, kind: 'task_assigned', messageKey: 'notifications.taskAssigned', params: { title: task.title, by: ctx.actor.name }, link: `/tasks/${task.id}` }, env.mail);
}

const MEMBER_NOTICES = {
  co_executor: { kind: 'task_co_executor', messageKey: 'notifications.taskCoExecutor' },
  watcher: { kind: 'task_watcher', messageKey: 'notifications.taskWatcher' },
} as const;

/** People newly put on a task as co-executors or watchers hear about it once: not those already on it, not the actor. */
export async function notifyNewMembers(ex: Executor, ctx: Ctx, env: TaskEnv, task: { id: string; title: string }, members: TaskMemberInput[], alreadyOn: Set<string>): Promise<void> {
  for (const member of members) {
    if (alreadyOn.has(member.userId) || member.userId === ctx.actor.userId) continue;
    const notice = MEMBER_NOTICES[member.role];
    await notify(ex, { workspaceId: ctx.actor.workspaceId, userId: member.userId, ...notice, params: { title: task.title, by: ctx.actor.name }, link: `/tasks/${task.id}` }, env.mail);
  }
}

/** Wakes this process's due-timer loop for the earliest new timer (another process finds it within a second). */
export function wakeFor(env: TaskEnv, times: (Date | null)[]): void {
  const earliest = times.filter((time): time is Date => time !== null).sort((a, b) => a.getTime() - b.getTime())[0];
  if (earliest) env.signal.wake(earliest);
}


/** A task's status, for a module that waits on it (a process's user task); undefined when it is gone. */
export async function taskStatusOf(ex: Executor, workspaceId: string, id: string): Promise<TaskStatus | undefined> {
  return (await findTask(ex, workspaceId, id))?.status;
}

/**
 * Closes (done or cancelled) or hands over a task that another module drives, in the caller's transaction: a process
 * completing or cancelling its user task, or reassigning it. Audited and announced like an edit; false when the task
 * is deleted or already closed. `alsoAudited`: the caller's own entries, written with the task's in one statement (or
 * alone when the task is not changed).
 */
export async function driveTask(ex: Executor, ctx: Ctx, id: string, change: { status: 'done' | 'cancelled' } | { ownerId: string }, env: TaskEnv, alsoAudited: { origin: Ctx; entry: AuditInput }[] = []): Promise<boolean> {
  const { workspaceId } = ctx.actor;
  const unchanged = async () => {
    await recordAuditsOf(ex, alsoAudited);
    return false;
  };
  if ('status' in change) {
    // Closing locks and updates in one statement: a process step closes its task on every completion.
    const closed = await closeTask(ex, workspaceId, id, { status: change.status, completed_at: env.clock.now(), updated_by: ctx.actor.userId });
    if (!closed) return unchanged();
    await recordAuditsOf(ex, [{ origin: ctx, entry: { action: 'task.status_change', objectType: 'task', objectId: id, changes: { status: { from: closed.status_before, to: closed.status } } } }, ...alsoAudited]);
    await announceTask(ex, workspaceId, closed, 'update', true);
    return true;
  }
  const before = await findTask(ex, workspaceId, id, { forUpdate: true });
  if (!before || before.status === 'done' || before.status === 'cancelled') return unchanged();
  const owner = await resolveAssignee(ex, ctx, change.ownerId, undefined, { ownerId: before.owner_id, teamId: before.team_id });
  const after = await updateTask(ex, workspaceId, id, null, { owner_id: owner.ownerId, team_id: owner.teamId, updated_by: ctx.actor.userId });
  if (!after) return unchanged();
  await recordAuditsOf(ex, [{ origin: ctx, entry: { action: 'task.update', objectType: 'task', objectId: id, changes: { owner_id: { from: before.owner_id, to: owner.ownerId } } } }, ...alsoAudited]);
  await announceTask(ex, workspaceId, after, 'update', true);
  if (owner.ownerId !== before.owner_id) await notifyAssigned(ex, ctx, env, { id, title: after.title, ownerId: owner.ownerId });
  return true;
}
