import { Type, type Static } from 'typebox';
import { CLIENT_OBJECTS } from './client-base.js';
import { BodyVersion, DateTime, literals, Nullable, Uuid } from './contracts.js';

/** Contracts of tasks: checklist, members, comments, reminders, recurrence (RFC 5545 RRULE), templates. */

const OptText = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));
const Title = Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' });

export const TASK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
/** Statuses in which a task still has to be done (and can be overdue). */
export const ACTIVE_TASK_STATUSES = ['open', 'in_progress'] as const;
export const TASK_MEMBER_ROLES = ['co_executor', 'watcher'] as const;
/** Records a task can be about. */
export const TASK_SUBJECT_TYPES = CLIENT_OBJECTS;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskMemberRole = (typeof TASK_MEMBER_ROLES)[number];
export type TaskSubjectType = (typeof TASK_SUBJECT_TYPES)[number];

/** Reminders reach this far ahead at most (a year, in minutes). */
export const MAX_REMINDER_MINUTES = 525_600;

export const ChecklistItem = Type.Object({ id: Uuid, text: Type.String(), done: Type.Boolean() });
export type ChecklistItem = Static<typeof ChecklistItem>;
/** An item without an id is new; the server gives it one. */
export const ChecklistItemInput = Type.Object(
  { id: Type.Optional(Uuid), text: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }), done: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type ChecklistItemInput = Static<typeof ChecklistItemInput>;
const Checklist = Type.Array(ChecklistItemInput, { maxItems: 200 });
/** Ticking one item needs no version: two people may work down the same list. */
export const ChecklistItemUpdateBody = Type.Object(
  { done: Type.Optional(Type.Boolean()), text: Type.Optional(Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' })) },
  { additionalProperties: false },
);
export type ChecklistItemUpdateBody = Static<typeof ChecklistItemUpdateBody>;

export const TaskMember = Type.Object({ userId: Uuid, name: Nullable(Type.String()), role: literals(TASK_MEMBER_ROLES) });
export type TaskMember = Static<typeof TaskMember>;
export const TaskMemberInput = Type.Object({ userId: Uuid, role: literals(TASK_MEMBER_ROLES) }, { additionalProperties: false });
export type TaskMemberInput = Static<typeof TaskMemberInput>;

export const TaskSubject = Type.Object({ type: literals(TASK_SUBJECT_TYPES), id: Uuid, title: Nullable(Type.String()) });
export type TaskSubject = Static<typeof TaskSubject>;
export const TaskSubjectInput = Type.Object({ type: literals(TASK_SUBJECT_TYPES), id: Uuid }, { additionalProperties: false });
export type TaskSubjectInput = Static<typeof TaskSubjectInput>;

/** A reminder to one user: at a fixed time, or `beforeMinutes` ahead of the task's due time (moving with it). */
export const Reminder = Type.Object({
  id: Uuid,
  userId: Uuid,
  fireAt: DateTime,
  beforeMinutes: Nullable(Type.Integer()),
  firedAt: Nullable(DateTime),
  /** Fired more than a minute after its time (the server was down then). */
  late: Type.Boolean(),
});
export type Reminder = Static<typeof Reminder>;
/** Exactly one of `fireAt` and `beforeMinutes`; `userId` defaults to the assignee. */
export const ReminderInput = Type.Object(
  {
    fireAt: Type.Optional(DateTime),
    beforeMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_REMINDER_MINUTES })),
    userId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type ReminderInput = Static<typeof ReminderInput>;

/**
 * Repeating: an RRULE (without DTSTART, e.g. `FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1` — every quarter on the 1st) read in
 * the workspace's time zone from the task's due time. Each occurrence becomes a task due then, created at its start
 * (the first task's due − start ahead), or a day ahead when the task has no start.
 */
export const RecurrenceInput = Type.Object({ rule: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
export type RecurrenceInput = Static<typeof RecurrenceInput>;
export const Recurrence = Type.Object({
  seriesId: Uuid,
  rule: Type.String(),
  timezone: Type.String(),
  /** Due time of the next task the series will create; null once it has ended. */
  nextOccurrenceAt: Nullable(DateTime),
  endedAt: Nullable(DateTime),
});
export type Recurrence = Static<typeof Recurrence>;

export const Task = Type.Object({
  id: Uuid,
  title: Type.String(),
  description: Nullable(Type.String()),
  status: literals(TASK_STATUSES),
  priority: literals(TASK_PRIORITIES),
  /** The assignee. */
  ownerId: Uuid,
  ownerName: Nullable(Type.String()),
  teamId: Nullable(Uuid),
  startAt: Nullable(DateTime),
  dueAt: Nullable(DateTime),
  allDay: Type.Boolean(),
  completedAt: Nullable(DateTime),
  /** Due and not done yet. */
  overdue: Type.Boolean(),
  subject: Nullable(TaskSubject),
  checklist: Type.Array(ChecklistItem),
  members: Type.Array(TaskMember),
  /** Pending and fired reminders (the reader's and everyone's, if the reader may edit the task). */
  reminders: Type.Array(Reminder),
  recurrence: Nullable(Recurrence),
  templateId: Nullable(Uuid),
  commentCount: Type.Integer(),
  /** What the reader may do: co-executors and watchers read and comment, editing follows the role's `task` scope. */
  can: Type.Object({ update: Type.Boolean(), delete: Type.Boolean(), comment: Type.Boolean() }),
  createdAt: DateTime,
  updatedAt: DateTime,
  createdBy: Nullable(Uuid),
  createdByName: Nullable(Type.String()),
  updatedBy: Nullable(Uuid),
  deletedAt: Nullable(DateTime),
  version: Type.Integer(),
});
export type Task = Static<typeof Task>;

const taskFields = {
  description: OptText(20_000),
  /** The assignee; defaults to the author. Must be an active user of the workspace. */
  ownerId: Type.Optional(Uuid),
  teamId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  priority: Type.Optional(literals(TASK_PRIORITIES)),
  status: Type.Optional(literals(TASK_STATUSES)),
  startAt: Type.Optional(Type.Union([DateTime, Type.Null()])),
  dueAt: Type.Optional(Type.Union([DateTime, Type.Null()])),
  allDay: Type.Optional(Type.Boolean()),
  subject: Type.Optional(Type.Union([TaskSubjectInput, Type.Null()])),
  checklist: Type.Optional(Checklist),
  members: Type.Optional(Type.Array(TaskMemberInput, { maxItems: 50 })),
  /** Replaces the pending reminders (fired ones stay in the history). */
  reminders: Type.Optional(Type.Array(ReminderInput, { maxItems: 20 })),
  /** null stops the repetition (tasks already created stay). */
  recurrence: Type.Optional(Type.Union([RecurrenceInput, Type.Null()])),
};
export const TaskBody = Type.Object({ title: Title, ...taskFields, templateId: Type.Optional(Uuid) }, { additionalProperties: false });
export const TaskUpdateBody = Type.Object({ title: Type.Optional(Title), ...taskFields, version: BodyVersion }, { additionalProperties: false });
export type TaskBody = Static<typeof TaskBody>;
export type TaskUpdateBody = Static<typeof TaskUpdateBody>;

/** A task in the recycle bin: what finding it again needs, and who deleted it when. */
export const DeletedTask = Type.Object({
  id: Uuid,
  title: Type.String(),
  status: literals(TASK_STATUSES),
  ownerId: Uuid,
  ownerName: Nullable(Type.String()),
  dueAt: Nullable(DateTime),
  allDay: Type.Boolean(),
  deletedAt: DateTime,
  deletedBy: Nullable(Uuid),
  deletedByName: Nullable(Type.String()),
});
export type DeletedTask = Static<typeof DeletedTask>;

/** Which tasks: assigned to me (or co-executed), created by me, watched by me, or all the reader's role lets them see. */
export const TASK_VIEWS = ['mine', 'created', 'watching', 'all'] as const;
export const TASK_DUE_FILTERS = ['overdue', 'today', 'week', 'none'] as const;
export const TASK_SORTS = ['due', '-due', 'created', '-created', 'priority'] as const;
/** Deleting a repeating task: `stopRepeating` also ends its series, so no further occurrences come. */
export const TaskDeleteQuery = Type.Object({ stopRepeating: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type TaskDeleteQuery = Static<typeof TaskDeleteQuery>;

export const TaskListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    view: Type.Optional(literals(TASK_VIEWS)),
    /** `active` = open or in progress. */
    status: Type.Optional(literals([...TASK_STATUSES, 'active'] as const)),
    priority: Type.Optional(literals(TASK_PRIORITIES)),
    /** `today` and `week` are read in the workspace's time zone. */
    due: Type.Optional(literals(TASK_DUE_FILTERS)),
    dueFrom: Type.Optional(DateTime),
    dueTo: Type.Optional(DateTime),
    ownerId: Type.Optional(Uuid),
    subjectType: Type.Optional(literals(TASK_SUBJECT_TYPES)),
    subjectId: Type.Optional(Uuid),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    sort: Type.Optional(literals(TASK_SORTS)),
  },
  { additionalProperties: false },
);
export type TaskListQuery = Static<typeof TaskListQuery>;

export const TaskComment = Type.Object({
  id: Uuid,
  taskId: Uuid,
  body: Type.String(),
  authorId: Nullable(Uuid),
  authorName: Nullable(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
  /** Whether the reader may delete it: its author, or whoever may edit the task. */
  canDelete: Type.Boolean(),
});
export type TaskComment = Static<typeof TaskComment>;
export const TaskCommentBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 10_000, pattern: '\\S' }) }, { additionalProperties: false });
export type TaskCommentBody = Static<typeof TaskCommentBody>;

export const TaskTemplate = Type.Object({
  id: Uuid,
  name: Type.String(),
  title: Type.String(),
  description: Nullable(Type.String()),
  priority: literals(TASK_PRIORITIES),
  checklist: Type.Array(Type.Object({ text: Type.String() })),
  /** A task made from the template is due this long after it is created. */
  dueOffsetMinutes: Nullable(Type.Integer()),
  assigneeId: Nullable(Uuid),
  assigneeName: Nullable(Type.String()),
  createdAt: DateTime,
  version: Type.Integer(),
});
export type TaskTemplate = Static<typeof TaskTemplate>;
const templateFields = {
  description: OptText(20_000),
  priority: Type.Optional(literals(TASK_PRIORITIES)),
  checklist: Type.Optional(Type.Array(Type.Object({ text: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }) }, { additionalProperties: false }), { maxItems: 200 })),
  dueOffsetMinutes: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: MAX_REMINDER_MINUTES }), Type.Null()])),
  assigneeId: Type.Optional(Type.Union([Uuid, Type.Null()])),
};
const TemplateName = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
export const TaskTemplateBody = Type.Object({ name: TemplateName, title: Title, ...templateFields }, { additionalProperties: false });
export const TaskTemplateUpdateBody = Type.Object(
  { name: Type.Optional(TemplateName), title: Type.Optional(Title), ...templateFields, version: BodyVersion },
  { additionalProperties: false },
);
export type TaskTemplateBody = Static<typeof TaskTemplateBody>;
export type TaskTemplateUpdateBody = Static<typeof TaskTemplateUpdateBody>;
/** A task from a template: the template's fields, with these taking precedence. */
export const TaskFromTemplateBody = Type.Object(
  {
    title: Type.Optional(Title),
    ownerId: Type.Optional(Uuid),
    subject: Type.Optional(Type.Union([TaskSubjectInput, Type.Null()])),
    startAt: Type.Optional(Type.Union([DateTime, Type.Null()])),
    dueAt: Type.Optional(Type.Union([DateTime, Type.Null()])),
  },
  { additionalProperties: false },
);
export type TaskFromTemplateBody = Static<typeof TaskFromTemplateBody>;

/** Workspace settings of tasks (admins): escalate an overdue task to the assignee's manager after N hours; null = never. */
export const TaskSettings = Type.Object({ overdueEscalationHours: Nullable(Type.Integer()) });
export const TaskSettingsBody = Type.Object(
  { overdueEscalationHours: Type.Union([Type.Integer({ minimum: 0, maximum: 8760 }), Type.Null()]) },
  { additionalProperties: false },
);
export type TaskSettingsBody = Static<typeof TaskSettingsBody>;

/** The editor's preview: the next due times a rule gives for a task due at `dueAt`, or the rule's field error. */
export const RecurrencePreviewBody = Type.Object({ rule: Type.String({ minLength: 1, maxLength: 500 }), dueAt: DateTime }, { additionalProperties: false });
export type RecurrencePreviewBody = Static<typeof RecurrencePreviewBody>;
export const RecurrencePreview = Type.Object({ occurrences: Type.Array(DateTime), timezone: Type.String() });
export type RecurrencePreview = Static<typeof RecurrencePreview>;
