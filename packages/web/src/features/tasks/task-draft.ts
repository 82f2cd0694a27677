import type { ReminderInput, Task, TaskBody, TaskMemberInput, TaskPriority, TaskStatus, TaskSubjectInput, TaskTemplate, TaskUpdateBody } from '@rapport/shared';
import { toLocalInput } from '../activities/activity-draft';

/** A reminder as the form offers it: some minutes before the due time, or at a chosen moment; for the assignee unless `userId` says. */
export type ReminderDraft = ({ kind: 'before'; minutes: number } | { kind: 'at'; at: string }) & { userId?: string };

/** What the task form edits: times as `datetime-local` values in the browser's zone, the rule as RRULE text. */
export interface TaskDraft {
  title: string;
  description: string;
  ownerId: string;
  priority: TaskPriority;
  status: TaskStatus;
  startAt: string;
  dueAt: string;
  /** All day: the times are dates; the task starts at its first day's beginning and is due by its last day's end. */
  allDay: boolean;
  subject: TaskSubjectInput | null;
  checklist: { id?: string; text: string; done: boolean }[];
  members: TaskMemberInput[];
  reminders: ReminderDraft[];
  /** null = does not repeat. */
  recurrence: string | null;
  templateId: string | null;
}

export type DraftErrors = Partial<Record<keyof TaskDraft, string>>;

/** Offered reminder times, in minutes before the due time. */
export const REMINDER_PRESETS = [0, 15, 60, 24 * 60] as const;

const MINUTE = 60_000;

const iso = (local: string): string | null => {
  if (!local) return null;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};
const local = (value: string | null): string => (value ? toLocalInput(new Date(value)) : '');

/** A new task: the user's own, due at the end of the next working hour, optionally about a record. */
export function newTaskDraft(options: { ownerId: string; subject?: TaskSubjectInput | null; now: Date }): TaskDraft {
  const due = new Date(options.now);
  due.setMinutes(0, 0, 0);
  due.setHours(due.getHours() + 2);
  return {
    title: '',
    description: '',
    ownerId: options.ownerId,
    priority: 'normal',
    status: 'open',
    startAt: '',
    dueAt: toLocalInput(due),
    allDay: false,
    subject: options.subject ?? null,
    checklist: [],
    members: [],
    reminders: [],
    recurrence: null,
    templateId: null,
  };
}

/** A template's fields over a draft (the title, description, priority, checklist, assignee and due time it sets). */
export function applyTemplate(draft: TaskDraft, template: TaskTemplate, now: Date): TaskDraft {
  return {
    ...draft,
    title: template.title,
    description: template.description ?? '',
    priority: template.priority,
    checklist: template.checklist.map((item) => ({ text: item.text, done: false })),
    ownerId: template.assigneeId ?? draft.ownerId,
    dueAt: template.dueOffsetMinutes === null ? draft.dueAt : toLocalInput(new Date(now.getTime() + template.dueOffsetMinutes * MINUTE)),
    templateId: template.id,
  };
}

export function draftOfTask(task: Task): TaskDraft {
  const due = task.dueAt ? Date.parse(task.dueAt) : null;
  return {
    title: task.title,
    description: task.description ?? '',
    ownerId: task.ownerId,
    priority: task.priority,
    status: task.status,
    startAt: local(task.startAt),
    dueAt: local(task.dueAt),
    allDay: task.allDay,
    subject: task.subject ? { type: task.subject.type, id: task.subject.id } : null,
    checklist: task.checklist.map((item) => ({ id: item.id, text: item.text, done: item.done })),
    members: task.members.map((member) => ({ userId: member.userId, role: member.role })),
    // Pending reminders keep their recipients when saved again; fired ones are history.
    reminders: task.reminders
      .filter((reminder) => !reminder.firedAt)
      .map((reminder): ReminderDraft => ({
        ...(reminder.beforeMinutes !== null && due !== null ? { kind: 'before' as const, minutes: reminder.beforeMinutes } : { kind: 'at' as const, at: local(reminder.fireAt) }),
        ...(reminder.userId !== task.ownerId ? { userId: reminder.userId } : {}),
      })),
    recurrence: task.recurrence && !task.recurrence.endedAt ? task.recurrence.rule : null,
    templateId: task.templateId,
  };
}

function reminderInputs(draft: TaskDraft): ReminderInput[] {
  return draft.reminders.flatMap((reminder): ReminderInput[] => {
    const to = reminder.userId ? { userId: reminder.userId } : {};
    if (reminder.kind === 'before') return [{ beforeMinutes: reminder.minutes, ...to }];
    const at = iso(reminder.at);
    return at ? [{ fireAt: at, ...to }] : [];
  });
}

/** A `datetime-local` value's date (`YYYY-MM-DD`), or '' for none. */
export const dayOf = (local: string): string => local.slice(0, 10);
/** An all-day task's times: it starts as its first day begins and is due by the last minute of its last day. */
export const dayStart = (day: string): string => (day ? `${day}T00:00` : '');
export const dayEnd = (day: string): string => (day ? `${day}T23:59` : '');

/** Turns all day on (times become whole days; a task without a due date gets today) or off (the times stay as they are). */
export function withAllDay(draft: TaskDraft, allDay: boolean, now: Date): TaskDraft {
  if (!allDay) return { ...draft, allDay };
  return { ...draft, allDay, startAt: dayStart(dayOf(draft.startAt)), dueAt: dayEnd(dayOf(draft.dueAt) || dayOf(toLocalInput(now))) };
}

/** Checks the API would make anyway, caught before a round trip; keys are i18n keys of the messages. */
export function draftErrors(draft: TaskDraft, now: Date): DraftErrors {
  const errors: DraftErrors = {};
  if (draft.title.trim() === '') errors.title = 'fieldErrors.required';
  const start = iso(draft.startAt);
  const due = iso(draft.dueAt);
  if (start && due && due < start) errors.dueAt = 'tasks.errors.dueBeforeStart';
  if (draft.recurrence && !due) errors.dueAt = 'tasks.errors.repeatNeedsDue';
  if (draft.allDay && !due) errors.dueAt = 'tasks.errors.allDayNeedsDue';
  if (draft.reminders.some((reminder) => reminder.kind === 'before') && !due) errors.reminders = 'tasks.errors.reminderNeedsDue';
  const past = draft.reminders.some((reminder) => {
    const at = reminder.kind === 'at' ? iso(reminder.at) : due ? new Date(Date.parse(due) - reminder.minutes * MINUTE).toISOString() : null;
    return at !== null && Date.parse(at) < now.getTime();
  });
  if (past) errors.reminders = 'tasks.errors.reminderInPast';
  return errors;
}

export function buildTaskBody(draft: TaskDraft): TaskBody {
  return {
    title: draft.title.trim(),
    description: draft.description.trim() || null,
    ownerId: draft.ownerId,
    priority: draft.priority,
    status: draft.status,
    // All day: whole days, whatever time a template or an earlier edit left in the fields.
    startAt: iso(draft.allDay ? dayStart(dayOf(draft.startAt)) : draft.startAt),
    dueAt: iso(draft.allDay ? dayEnd(dayOf(draft.dueAt)) : draft.dueAt),
    allDay: draft.allDay,
    subject: draft.subject,
    checklist: draft.checklist.filter((item) => item.text.trim() !== '').map((item) => ({ ...(item.id ? { id: item.id } : {}), text: item.text.trim(), done: item.done })),
    members: draft.members,
    reminders: reminderInputs(draft),
    ...(draft.recurrence ? { recurrence: { rule: draft.recurrence } } : {}),
    ...(draft.templateId ? { templateId: draft.templateId } : {}),
  };
}

/** The changed fields of an edit, with the version it was based on (the reminders and rule always: they are small). */
export function buildUpdateBody(draft: TaskDraft, task: Task): TaskUpdateBody {
  const before = buildTaskBody(draftOfTask(task));
  const after = buildTaskBody(draft);
  const changed: Record<string, unknown> = {};
  for (const key of ['title', 'description', 'ownerId', 'priority', 'status', 'startAt', 'dueAt', 'allDay', 'subject', 'checklist', 'members', 'reminders'] as const) {
    if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) changed[key] = after[key];
  }
  const wasRepeating = task.recurrence !== null && task.recurrence.endedAt === null;
  if (draft.recurrence !== (wasRepeating ? task.recurrence!.rule : null) || (draft.recurrence && Object.keys(changed).length > 0)) {
    changed.recurrence = draft.recurrence ? { rule: draft.recurrence } : null;
  }
  return { ...changed, version: task.version };
}

/** Form fields by the API's field paths (`/body/reminders/0/fireAt` → reminders), so server errors land beside them. */
export function fieldOfPath(path: string): keyof TaskDraft | null {
  const field = /^\/body\/([a-zA-Z]+)/.exec(path)?.[1];
  const known: (keyof TaskDraft)[] = ['title', 'description', 'ownerId', 'priority', 'status', 'startAt', 'dueAt', 'allDay', 'subject', 'checklist', 'members', 'reminders', 'recurrence', 'templateId'];
  return field && (known as string[]).includes(field) ? (field as keyof TaskDraft) : null;
}

/** Server field messages of tasks, as i18n keys; others go to the common mapping. */
export function taskMessageKey(message: string): string | null {
  const known: [RegExp, string][] = [
    [/never occurs/i, 'tasks.errors.neverOccurs'],
    [/too frequent/i, 'tasks.errors.tooFrequent'],
    [/not a recurrence rule|FREQ|INTERVAL|COUNT|BYSECOND|rule alone/i, 'tasks.errors.badRule'],
    [/due time is before the start/i, 'tasks.errors.dueBeforeStart'],
    [/in the past/i, 'tasks.errors.reminderInPast'],
    [/no due time to count from/i, 'tasks.errors.reminderNeedsDue'],
    [/repeating task needs a due time/i, 'tasks.errors.repeatNeedsDue'],
    [/all-day task needs a due date/i, 'tasks.errors.allDayNeedsDue'],
    [/already the assignee/i, 'tasks.errors.memberIsAssignee'],
    [/active user/i, 'tasks.errors.inactiveUser'],
    [/visible to you/i, 'tasks.errors.subjectHidden'],
  ];
  return known.find(([pattern]) => pattern.test(message))?.[1] ?? null;
}

/** Overdue: past its due time and still to do (the list's highlight). */
export function isOverdue(task: Pick<Task, 'dueAt' | 'status'>, now: Date): boolean {
  return task.dueAt !== null && Date.parse(task.dueAt) < now.getTime() && (task.status === 'open' || task.status === 'in_progress');
}
