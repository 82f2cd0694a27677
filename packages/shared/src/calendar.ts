import { Type, type Static } from 'typebox';
import { VisibleActivity } from './activity.js';
import { ClientObjectSchema } from './client-base.js';
import { DateTime, literals, Nullable, Uuid } from './contracts.js';
import { TASK_PRIORITIES, TASK_STATUSES } from './task.js';

/** Contracts of the calendar (tasks, calls and meetings in time), the team scheduler, the ICS feed, My day and birthdays. */

const DateOnly = Type.String({ format: 'date' });
const UUID_LIST = '^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36})*$';

export const CALENDAR_ITEM_KINDS = ['task', 'call', 'meeting'] as const;
export type CalendarItemKind = (typeof CALENDAR_ITEM_KINDS)[number];
/** The longest range one calendar request may cover: two months and a bit (a month view shows up to six weeks). */
export const MAX_CALENDAR_DAYS = 62;
/** Items in one answer at most; `truncated` tells the reader there were more. */
export const MAX_CALENDAR_ITEMS = 2000;
/** The team scheduler shows this many days unless asked otherwise. */
export const LOAD_DEFAULT_DAYS = 21;
export const BIRTHDAY_MAX_DAYS = 366;

export const CalendarQuery = Type.Object(
  {
    /** Items overlapping [from, to). */
    from: DateTime,
    to: DateTime,
    /** Whose calendars, comma-separated user ids (assignee or co-executor of a task, owner or participant of a call or meeting); default: the reader's. */
    users: Type.Optional(Type.String({ pattern: UUID_LIST, maxLength: 37 * 50 })),
    /** Comma-separated kinds; default: all. */
    types: Type.Optional(Type.String({ pattern: `^(${CALENDAR_ITEM_KINDS.join('|')})(,(${CALENDAR_ITEM_KINDS.join('|')}))*$`, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type CalendarQuery = Static<typeof CalendarQuery>;

export const CalendarSubject = Type.Object({
  object: ClientObjectSchema,
  id: Uuid,
  /** Null when the reader may not see the record. */
  title: Nullable(Type.String()),
});
export type CalendarSubject = Static<typeof CalendarSubject>;

/**
 * A task (from its start, or its due time, to its due time), or a call or meeting (its slot). `version` goes back with a
 * reschedule: PATCH /tasks/:id (startAt, dueAt) or PATCH /activities/:id (startsAt, endsAt).
 *
 * A repeating task's later occurrences become tasks only as they come due; until then GET /calendar shows each one in
 * range as a `projected` task: `id` and `seriesId` are the series' id, `version` is the series', and it is never editable.
 */
export const CalendarItem = Type.Object({
  kind: literals(CALENDAR_ITEM_KINDS),
  id: Uuid,
  title: Type.String(),
  start: DateTime,
  /** Null for a point in time (a task due without a start, a call of unknown length). */
  end: Nullable(DateTime),
  allDay: Type.Boolean(),
  /** A task's status, or a call's or meeting's (planned or done; cancelled ones are not shown). */
  status: literals([...TASK_STATUSES, 'planned'] as const),
  /** Tasks only. */
  priority: Nullable(literals(TASK_PRIORITIES)),
  /** A task not done by its due time. */
  overdue: Type.Boolean(),
  ownerId: Uuid,
  ownerName: Nullable(Type.String()),
  place: Nullable(Type.String()),
  subject: Nullable(CalendarSubject),
  /** Whether the reader may move it (their role's update scope covers it). */
  editable: Type.Boolean(),
  /** On a projected occurrence, the series' version (informative only: it cannot be moved). */
  version: Type.Integer(),
  /** A future occurrence of a repeating task, not yet created as a task. */
  projected: Type.Optional(Type.Literal(true)),
  /** The repeating task's series (projected occurrences only). */
  seriesId: Type.Optional(Uuid),
});
export type CalendarItem = Static<typeof CalendarItem>;
export const CalendarItems = Type.Object({ items: Type.Array(CalendarItem), truncated: Type.Boolean() });
export type CalendarItems = Static<typeof CalendarItems>;

export const CalendarLoadQuery = Type.Object(
  {
    /** First and last day shown (workspace time zone); default: this week's Monday and three weeks. */
    from: Type.Optional(DateOnly),
    to: Type.Optional(DateOnly),
    /** Only this team and the teams below it. */
    teamId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type CalendarLoadQuery = Static<typeof CalendarLoadQuery>;
export const CalendarLoadDay = Type.Object({
  date: DateOnly,
  /** Tasks due that day (not cancelled) the person is assignee or co-executor of. */
  tasks: Type.Integer(),
  meetings: Type.Integer(),
  calls: Type.Integer(),
  /** Minutes taken by meetings and calls of known length. */
  busyMinutes: Type.Integer(),
});
export type CalendarLoadDay = Static<typeof CalendarLoadDay>;
export const CalendarLoadRow = Type.Object({ userId: Uuid, name: Type.String(), teamId: Nullable(Uuid), teamName: Nullable(Type.String()), days: Type.Array(CalendarLoadDay) });
export type CalendarLoadRow = Static<typeof CalendarLoadRow>;
/** Counts include only what the reader may see. */
export const CalendarLoad = Type.Object({ from: DateOnly, to: DateOnly, timezone: Type.String(), rows: Type.Array(CalendarLoadRow) });
export type CalendarLoad = Static<typeof CalendarLoad>;

export const CalendarFeedStatus = Type.Object({ active: Type.Boolean(), createdAt: Nullable(DateTime) });
export type CalendarFeedStatus = Static<typeof CalendarFeedStatus>;
/** The secret address is shown once; a new one replaces the old. */
export const CalendarFeedCreated = Type.Object({ url: Type.String(), createdAt: DateTime });
export type CalendarFeedCreated = Static<typeof CalendarFeedCreated>;

export const MY_DAY_PERIODS = ['day', 'week', 'month'] as const;
export type MyDayPeriod = (typeof MY_DAY_PERIODS)[number];
export const MyDayQuery = Type.Object({ period: Type.Optional(literals(MY_DAY_PERIODS)) }, { additionalProperties: false });
export type MyDayQuery = Static<typeof MyDayQuery>;
/** Tasks due in the period (not cancelled) and how many of them are done. */
export const MyDayProgress = Type.Object({ period: literals(MY_DAY_PERIODS), from: DateTime, to: DateTime, due: Type.Integer(), done: Type.Integer() });
export type MyDayProgress = Static<typeof MyDayProgress>;
export const MyDayMember = Type.Object({ userId: Uuid, name: Type.String(), due: Type.Integer(), done: Type.Integer(), overdue: Type.Integer() });
export type MyDayMember = Static<typeof MyDayMember>;
export const MyDay = Type.Object({
  timezone: Type.String(),
  today: DateOnly,
  /** Open tasks past their due time, oldest first. */
  overdue: Type.Array(CalendarItem),
  /** Tasks due today that are not overdue (done ones included, so the day's list does not shrink as it is worked). */
  todayTasks: Type.Array(CalendarItem),
  /** Calls and meetings from now to the end of tomorrow. */
  meetings: Type.Array(CalendarItem),
  progress: MyDayProgress,
  /** For readers of their team's tasks (team scope or wider): each colleague's progress and today's interactions. */
  team: Nullable(Type.Object({ members: Type.Array(MyDayMember), interactions: Type.Array(VisibleActivity) })),
});
export type MyDay = Static<typeof MyDay>;

export const BirthdaysQuery = Type.Object(
  {
    days: Type.Optional(Type.Integer({ minimum: 0, maximum: BIRTHDAY_MAX_DAYS, default: 14 })),
    /** Only the reader's own contacts. */
    mine: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type BirthdaysQuery = Static<typeof BirthdaysQuery>;
export const Birthday = Type.Object({
  contactId: Uuid,
  name: Type.String(),
  birthday: DateOnly,
  /** The next celebration (today included); 29 February is kept on 28 February in other years. */
  date: DateOnly,
  daysAway: Type.Integer(),
  /** Age on that day. */
  turns: Type.Integer(),
  ownerId: Uuid,
  ownerName: Nullable(Type.String()),
});
export type Birthday = Static<typeof Birthday>;
export const Birthdays = Type.Object({ today: DateOnly, items: Type.Array(Birthday) });
export type Birthdays = Static<typeof Birthdays>;

/**
 * The date a birthday is celebrated in a given year: 29 February falls on 28 February outside leap years.
 * Pure, so the server's query and the web agree.
 */
export function celebrationDate(birthday: string, year: number): string {
  const [, month, day] = birthday.split('-');
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const mmdd = month === '02' && day === '29' && !leap ? '02-28' : `${month}-${day}`;
  return `${String(year).padStart(4, '0')}-${mmdd}`;
}

/** The first celebration on or after `today` (YYYY-MM-DD) and how many days away it is. */
export function nextCelebration(birthday: string, today: string): { date: string; daysAway: number; turns: number } {
  const year = Number(today.slice(0, 4));
  let date = celebrationDate(birthday, year);
  if (date < today) date = celebrationDate(birthday, year + 1);
  const daysAway = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  return { date, daysAway, turns: Number(date.slice(0, 4)) - Number(birthday.slice(0, 4)) };
}
