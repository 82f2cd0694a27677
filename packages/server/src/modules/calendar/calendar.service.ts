import {
  CALENDAR_ITEM_KINDS,
  CLIENT_OBJECTS,
  LOAD_DEFAULT_DAYS,
  MAX_CALENDAR_DAYS,
  MAX_CALENDAR_ITEMS,
  nextCelebration,
  scopeOf,
  type Activity,
  type ActivityListQuery,
  type Birthdays,
  type CalendarFeedCreated,
  type CalendarFeedStatus,
  type CalendarItem,
  type CalendarItemKind,
  type CalendarLoad,
  type CalendarLoadQuery,
  type CalendarQuery,
  type ClientObject,
  type MyDay,
  type MyDayMember,
  type MyDayPeriod,
  type PageOf,
} from '@rapport/shared';
import ical from 'ical-generator';
import { accessScope, can, type AccessScope } from '../../core/access-scope.js';
import { AppError } from '../../core/app-error.js';
import type { Actor, Ctx } from '../../core/context.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import { randomToken, sha256 } from '../../infra/crypto.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { occurrencesBetween, parseSchedule } from '../task/task-recurrence.js';
import { actorOfUser } from '../auth/auth.service.js';
import { userNames } from '../client-record/client-record.service.js';
import { teamTree } from '../team/team.service.js';
import { getWorkspace } from '../workspace/workspace.service.js';
import {
  activitiesInTime,
  contactsBornOn,
  feedByTokenHash,
  insertFeed,
  liveFeed,
  loadByDay,
  revokeFeed,
  seriesInTime,
  taskProgress,
  tasksInTime,
  visibleUsers,
  type PersonRow,
  type ItemRow,
  type ItemView,
  type SeriesInTime,
} from './calendar.repository.js';
import { addDays, daysBetween, firstOfMonth, firstOfNextMonth, localDate, mondayOf, startOfDay } from './zoned-time.js';

const DAY_MS = 86_400_000;
/** People in one scheduler or team section at most. */
const MAX_PEOPLE = 200;
/** The ICS feed reaches this far back and ahead. */
const FEED_PAST_DAYS = 31;
const FEED_AHEAD_DAYS = 183;

/** A repeating task's occurrence not yet created as a task, at its due time. */
interface Occurrence {
  series: SeriesInTime;
  due: Date;
}

/**
 * The occurrences of each series overlapping [from, to) (from start, or due, to due) that are not tasks yet: from the
 * series' next uncreated occurrence on, computed by the task module's own recurrence rules; at most `limit` in all.
 */
function projectOccurrences(series: SeriesInTime[], from: Date, to: Date, limit: number): Occurrence[] {
  const result: Occurrence[] = [];
  for (const row of series) {
    if (result.length >= limit) break;
    const schedule = parseSchedule(row.rule, row.dtstart, row.timezone, '/rule');
    // An occurrence overlaps the range when it is due from `from` on and starts (due − the tasks' start offset) before `to`.
    const first = row.next_occurrence_at.getTime() > from.getTime() ? row.next_occurrence_at : from;
    const end = new Date(to.getTime() + (row.start_offset_minutes ?? 0) * 60_000);
    for (const due of occurrencesBetween(schedule, first, end, limit - result.length)) result.push({ series: row, due });
  }
  return result;
}

/** Projected occurrences as item rows: their series' item with each occurrence's own times. */
function occurrenceRows(occurrences: Occurrence[]): ItemRow[] {
  return occurrences.map(({ series, due }) => {
    const start = series.start_offset_minutes === null ? null : new Date(due.getTime() - series.start_offset_minutes * 60_000);
    const item: CalendarItem = { ...(JSON.parse(series.item) as CalendarItem), start: (start ?? due).toISOString(), end: start ? due.toISOString() : null };
    return { id: series.id, start: item.start, item: JSON.stringify(item) };
  });
}

/** Rows in the calendar's order: by start, then id. */
const inOrder = (rows: ItemRow[]) => rows.sort((a, b) => (a.start === b.start ? a.id.localeCompare(b.id) : a.start < b.start ? -1 : 1));
const parsed = (rows: ItemRow[]) => rows.map((row) => JSON.parse(row.item) as CalendarItem);

const invalid = (path: string, message: string) => new AppError('validation', { message, errors: [{ path, message }] });

/** The reader's scope for an object and action, or null when their role grants none. */
function scopeIfAny(actor: Actor, object: 'task' | 'activity' | 'user' | ClientObject, action: 'read' | 'update'): AccessScope | null {
  return can(actor, object, action) ? accessScope(actor, object, action) : null;
}

/** Month-days (MMDD) celebrated on the local days from `from` for `days` more days; 29 February counts on 28 February in common years. */
export function monthDaysFrom(from: string, days: number): number[] {
  const result = new Set<number>();
  for (let i = 0; i <= Math.min(days, 366); i += 1) {
    const date = addDays(from, i);
    const monthDay = Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));
    result.add(monthDay);
    const year = Number(date.slice(0, 4));
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    if (monthDay === 228 && !leap) result.add(229);
  }
  return [...result];
}

/** What My day needs from the activities module: its scoped list (injected, so the modules stay independent). */
export interface ActivityLister {
  list(ctx: Ctx, q: ActivityListQuery): Promise<PageOf<Activity>>;
}

export function createCalendarService(deps: ServiceDeps & { activity: ActivityLister }) {
  const { db } = deps;

  /** How the actor sees items: the records whose names they may read, and which items they may move. */
  function viewOf(actor: Actor, now: Date): ItemView {
    const recordScopes: ItemView['recordScopes'] = {};
    for (const object of CLIENT_OBJECTS) {
      const scope = scopeIfAny(actor, object, 'read');
      if (scope) recordScopes[object] = scope;
    }
    return { recordScopes, taskUpdate: scopeIfAny(actor, 'task', 'update'), activityUpdate: scopeIfAny(actor, 'activity', 'update'), now };
  }

  /**
   * Tasks and calls/meetings of `users` overlapping [from, to), as far as the actor may read them, in the calendar's
   * order (start, then id); with `projected`, also the repeating tasks' occurrences not created yet.
   */
  async function itemRowsFor(ex: Executor, actor: Actor, q: { users: string[]; kinds: CalendarItemKind[]; from: Date; to: Date; limit: number; projected?: boolean }): Promise<ItemRow[]> {
    const taskScope = q.kinds.includes('task') ? scopeIfAny(actor, 'task', 'read') : null;
    const activityScope = scopeIfAny(actor, 'activity', 'read');
    const base = { workspaceId: actor.workspaceId, readerId: actor.userId, users: q.users, from: q.from, to: q.to, limit: q.limit };
    const kinds = q.kinds.filter((kind): kind is 'call' | 'meeting' => kind !== 'task');
    const view = viewOf(actor, deps.clock.now());
    // Three independent reads: side by side, each on its own connection when `ex` is the pool.
    const [tasks, activities, series] = await Promise.all([
      taskScope ? tasksInTime(ex, { ...base, scope: taskScope, match: 'overlap' }, view) : [],
      activityScope ? activitiesInTime(ex, { ...base, scope: activityScope, kinds }, view) : [],
      taskScope && q.projected ? seriesInTime(ex, { workspaceId: actor.workspaceId, scope: taskScope, readerId: actor.userId, users: q.users, to: q.to, limit: q.limit }, view) : [],
    ]);
    return inOrder([...tasks, ...activities, ...occurrenceRows(projectOccurrences(series, q.from, q.to, q.limit))]);
  }

  const itemsFor = async (ex: Executor, actor: Actor, q: Parameters<typeof itemRowsFor>[2]): Promise<CalendarItem[]> => parsed(await itemRowsFor(ex, actor, q));

  /** The calendar's items as CalendarItems JSON text. */
  async function range(ctx: Ctx, q: CalendarQuery): Promise<string> {
    const { actor } = ctx;
    if (!can(actor, 'task', 'read') && !can(actor, 'activity', 'read')) throw new AppError('forbidden', { message: 'Your role reads neither tasks nor activities' });
    const from = new Date(q.from);
    const to = new Date(q.to);
    if (to.getTime() <= from.getTime()) throw invalid('/querystring/to', 'must be after from');
    if (to.getTime() - from.getTime() > MAX_CALENDAR_DAYS * DAY_MS) throw invalid('/querystring/to', `at most ${MAX_CALENDAR_DAYS} days after from`);
    const users = q.users ? [...new Set(q.users.toLowerCase().split(','))] : [actor.userId];
    const kinds = q.types ? [...new Set(q.types.split(',') as CalendarItemKind[])] : [...CALENDAR_ITEM_KINDS];
    const rows = await itemRowsFor(db, actor, { users, kinds, from, to, limit: MAX_CALENDAR_ITEMS + 1, projected: true });
    // The items as the database wrote them, put together into the answer (CalendarItems) without parsing them.
    return `{"items":[${rows
      .slice(0, MAX_CALENDAR_ITEMS)
      .map((row) => row.item)
      .join(',')}],"truncated":${rows.length > MAX_CALENDAR_ITEMS}}`;
  }

  /** Per person (those the actor may see, optionally of one team and its sub-teams) and day: tasks due, calls, meetings, busy minutes. */
  async function load(ctx: Ctx, q: CalendarLoadQuery): Promise<CalendarLoad> {
    const { actor } = ctx;
    const { timezone } = await getWorkspace(db, actor.workspaceId);
    const from = q.from ?? mondayOf(localDate(deps.clock.now(), timezone));
    const to = q.to ?? addDays(from, LOAD_DEFAULT_DAYS - 1);
    if (daysBetween(from, to) < 0) throw invalid('/querystring/to', 'must not be before from');
    if (daysBetween(from, to) >= MAX_CALENDAR_DAYS) throw invalid('/querystring/to', `at most ${MAX_CALENDAR_DAYS} days from from`);
    const userScope = scopeIfAny(actor, 'user', 'read') ?? ({ kind: 'own', userId: actor.userId } as const);
    const teamIds = q.teamId ? await teamTree(db, actor.workspaceId, q.teamId) : undefined;
    const people = await visibleUsers(db, actor.workspaceId, userScope, teamIds, MAX_PEOPLE);
    const counts = await loadByDay(db, {
      workspaceId: actor.workspaceId,
      timezone,
      taskScope: scopeIfAny(actor, 'task', 'read'),
      activityScope: scopeIfAny(actor, 'activity', 'read'),
      readerId: actor.userId,
      users: people.map((person) => person.id),
      from: startOfDay(from, timezone),
      to: startOfDay(addDays(to, 1), timezone),
    });
    const byKey = new Map(counts.map((count) => [`${count.user_id}:${count.day}`, count]));
    const dates = Array.from({ length: daysBetween(from, to) + 1 }, (_, i) => addDays(from, i));
    return {
      from,
      to,
      timezone,
      rows: people.map((person) => ({
        userId: person.id,
        name: person.name,
        teamId: person.team_id,
        teamName: person.team_name,
        days: dates.map((date) => {
          const count = byKey.get(`${person.id}:${date}`);
          return { date, tasks: count?.tasks ?? 0, meetings: count?.meetings ?? 0, calls: count?.calls ?? 0, busyMinutes: count?.busy_minutes ?? 0 };
        }),
      })),
    };
  }

  /** The colleagues whose work a reader of tasks with team scope or wider follows: their teams', or everyone's. */
  async function teamOf(actor: Actor): Promise<PersonRow[] | null> {
    const scope = scopeOf(actor.permissions, 'task', 'read');
    if (scope === 'none' || scope === 'own') return null;
    const taskScope = accessScope(actor, 'task', 'read');
    const among = taskScope.kind === 'all' && actor.teamId ? { kind: 'teams' as const, teamIds: actor.teamTreeIds, userId: actor.userId } : taskScope;
    return visibleUsers(db, actor.workspaceId, among, undefined, MAX_PEOPLE);
  }

  async function myDay(ctx: Ctx, period: MyDayPeriod): Promise<MyDay> {
    const { actor } = ctx;
    const now = deps.clock.now();
    const { timezone } = await getWorkspace(db, actor.workspaceId);
    const today = localDate(now, timezone);
    const todayStart = startOfDay(today, timezone);
    const tomorrowStart = startOfDay(addDays(today, 1), timezone);
    const periodFrom = period === 'day' ? today : period === 'week' ? mondayOf(today) : firstOfMonth(today);
    const periodTo = period === 'day' ? addDays(today, 1) : period === 'week' ? addDays(mondayOf(today), 7) : firstOfNextMonth(today);
    const from = startOfDay(periodFrom, timezone);
    const to = startOfDay(periodTo, timezone);
    const taskScope = scopeIfAny(actor, 'task', 'read');
    const base = { workspaceId: actor.workspaceId, readerId: actor.userId, users: [actor.userId], limit: 200 };
    const view = viewOf(actor, now);
    const overdueRows = taskScope ? await tasksInTime(db, { ...base, scope: taskScope, match: 'overdue', from: now, to: now }, view) : [];
    const overdueIds = new Set(overdueRows.map((row) => row.id));
    const todayRows = taskScope ? (await tasksInTime(db, { ...base, scope: taskScope, from: todayStart, to: tomorrowStart, match: 'due' }, view)).filter((row) => !overdueIds.has(row.id)) : [];
    const overdue = parsed(inOrder(overdueRows));
    const todayTasks = parsed(inOrder(todayRows));
    const meetings = await itemsFor(db, actor, { users: [actor.userId], kinds: ['call', 'meeting'], from: now, to: startOfDay(addDays(today, 2), timezone), limit: 200 });
    const progressOf = async (users: string[]) => (taskScope ? taskProgress(db, { workspaceId: actor.workspaceId, scope: taskScope, readerId: actor.userId, users, from, to, now }) : []);
    const mine = (await progressOf([actor.userId]))[0];
    const people = await teamOf(actor);
    let team: MyDay['team'] = null;
    if (people) {
      const ids = people.map((person) => person.id);
      const progress = new Map((await progressOf(ids)).map((row) => [row.user_id, row]));
      const members: MyDayMember[] = people.map((person) => ({ userId: person.id, name: person.name, due: progress.get(person.id)?.due ?? 0, done: progress.get(person.id)?.done ?? 0, overdue: progress.get(person.id)?.overdue ?? 0 }));
      team = { members, interactions: await interactionsToday(ctx, new Set(ids), todayStart, now) };
    }
    return { timezone, today, overdue, todayTasks, meetings: meetings.filter((item) => item.status === 'planned'), progress: { period, from: from.toISOString(), to: to.toISOString(), due: mine?.due ?? 0, done: mine?.done ?? 0 }, team };
  }

  /** What the team did today (calls, meetings, e-mails, SMS, notes that happened), newest first, through the activities module's own list. */
  async function interactionsToday(ctx: Ctx, people: Set<string>, since: Date, now: Date): Promise<Activity[]> {
    if (!can(ctx.actor, 'activity', 'read')) return [];
    const page = await deps.activity.list(ctx, { from: since.toISOString(), to: new Date(now.getTime() + 1).toISOString(), limit: 200 });
    return page.items.filter((activity) => people.has(activity.ownerId) && activity.status !== 'planned' && activity.status !== 'cancelled').slice(0, 50);
  }

  async function birthdays(ctx: Ctx, days: number, mine: boolean): Promise<Birthdays> {
    const { actor } = ctx;
    const { timezone } = await getWorkspace(db, actor.workspaceId);
    const today = localDate(deps.clock.now(), timezone);
    const rows = await contactsBornOn(db, { workspaceId: actor.workspaceId, scope: accessScope(actor, 'contact', 'read'), ownerId: mine ? actor.userId : undefined, monthDays: monthDaysFrom(today, days), limit: 1000 });
    const names = await userNames(db, actor.workspaceId, rows.map((row) => row.owner_id));
    const items = rows
      .map((row) => ({ row, next: nextCelebration(row.birthday, today) }))
      .filter(({ next }) => next.daysAway <= days)
      .sort((a, b) => a.next.daysAway - b.next.daysAway || a.row.name.localeCompare(b.row.name))
      .slice(0, 200)
      .map(({ row, next }) => ({ contactId: row.id, name: row.name, birthday: row.birthday, date: next.date, daysAway: next.daysAway, turns: next.turns, ownerId: row.owner_id, ownerName: names.get(row.owner_id) ?? null }));
    return { today, items };
  }

  async function feedStatus(ctx: Ctx): Promise<CalendarFeedStatus> {
    const feed = await liveFeed(db, ctx.actor.workspaceId, ctx.actor.userId);
    return { active: feed !== undefined, createdAt: feed?.created_at.toISOString() ?? null };
  }

  /** A new secret address for the actor's calendar; the previous one stops working. The token is shown once and only its hash is kept. */
  async function createFeed(ctx: Ctx): Promise<CalendarFeedCreated> {
    const { workspaceId, userId } = ctx.actor;
    if (ctx.actor.via === 'system') throw new AppError('forbidden', { message: 'A calendar feed belongs to a person' });
    const token = randomToken(32);
    const createdAt = await db.transaction().execute(async (trx) => {
      const revoked = await revokeFeed(trx, workspaceId, userId, deps.clock.now());
      const id = newId();
      const at = await insertFeed(trx, { workspace_id: workspaceId, id, user_id: userId, token_hash: sha256(token), created_by: userId });
      await recordAudit(trx, ctx, { action: 'calendar_feed.create', objectType: 'calendar_feed', objectId: id, meta: { replaced: revoked ?? null } });
      return at;
    });
    return { url: `${deps.config.publicUrl}/ical/${token}.ics`, createdAt: createdAt.toISOString() };
  }

  async function deleteFeed(ctx: Ctx): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const revoked = await revokeFeed(trx, ctx.actor.workspaceId, ctx.actor.userId, deps.clock.now());
      if (!revoked) throw new AppError('not_found', { message: 'You have no calendar feed' });
      await recordAudit(trx, ctx, { action: 'calendar_feed.revoke', objectType: 'calendar_feed', objectId: revoked });
    });
  }

  /**
   * The iCalendar text behind a secret address: the owner's own tasks and calls/meetings (as assignee, co-executor, owner
   * or participant) from a month back to half a year ahead, read with the owner's rights as they are now. Unknown,
   * revoked or disabled → undefined (a 404, the same for all).
   */
  async function icsFeed(token: string): Promise<string | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const feed = await feedByTokenHash(db, sha256(token));
    if (!feed) return undefined;
    const actor = await actorOfUser(db, feed.workspace_id, feed.user_id);
    if (!actor) return undefined;
    const now = deps.clock.now();
    const { timezone, name: workspaceName } = await getWorkspace(db, actor.workspaceId);
    const items = await itemsFor(db, actor, { users: [actor.userId], kinds: [...CALENDAR_ITEM_KINDS], from: new Date(now.getTime() - FEED_PAST_DAYS * DAY_MS), to: new Date(now.getTime() + FEED_AHEAD_DAYS * DAY_MS), limit: MAX_CALENDAR_ITEMS });
    const calendar = ical({ name: `Rapport — ${actor.name}`, description: workspaceName, prodId: { company: 'Rapport', product: 'Rapport CRM', language: 'EN' }, ttl: 900 });
    const host = new URL(deps.config.publicUrl).host;
    for (const item of items) {
      const link = item.kind === 'task' ? `${deps.config.publicUrl}/tasks/${item.id}` : item.subject ? `${deps.config.publicUrl}/${item.subject.object === 'company' ? 'companies' : `${item.subject.object}s`}/${item.subject.id}` : undefined;
      // All-day tasks are dates in the workspace's calendar; ical-generator writes a date-only value from the UTC date.
      const day = (iso: string, plus: number) => new Date(`${addDays(localDate(new Date(iso), timezone), plus)}T00:00:00Z`);
      const start = item.allDay ? day(item.start, 0) : new Date(item.start);
      const end = item.allDay ? day(item.end ?? item.start, 1) : item.end ? new Date(item.end) : new Date(start.getTime() + (item.kind === 'task' ? 30 : 15) * 60_000);
      calendar.createEvent({
        id: `${item.kind}-${item.id}@${host}`,
        start,
        end,
        allDay: item.allDay,
        summary: item.title || item.kind,
        ...(item.subject?.title ? { description: item.subject.title } : {}),
        ...(item.place ? { location: item.place } : {}),
        ...(link ? { url: link } : {}),
        stamp: now,
      });
    }
    return calendar.toString();
  }

  return { range, load, myDay, birthdays, feedStatus, createFeed, deleteFeed, icsFeed };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
