import type { ClientObject, TaskPriority, TaskStatus } from '@rapport/shared';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { AccessScope } from '../../core/access-scope.js';
import type { Executor } from '../../infra/db.js';

/**
 * The calendar's read model: tasks and activities in time, read with the readers' scopes. Tasks and activities belong
 * to their own modules, which write them; this file only reads them (a read model for the calendar, load and My day views).
 */

const none = sql<SqlBool>`false`;

/** Who reads a task: the `task` read scope over its assignee and team, its author, and its co-executors and watchers. */
function taskVisible(scope: AccessScope, userId: string) {
  const member = sql<SqlBool>`EXISTS (SELECT 1 FROM task_member m WHERE m.workspace_id = t.workspace_id AND m.task_id = t.id AND m.user_id = ${userId})`;
  const byScope = scope.kind === 'all' ? sql<SqlBool>`true` : scope.kind === 'teams' && scope.teamIds.length > 0 ? sql<SqlBool>`(t.owner_id = ${userId} OR t.team_id = ANY(${scope.teamIds}::uuid[]))` : sql<SqlBool>`t.owner_id = ${userId}`;
  return sql<SqlBool>`(${byScope} OR t.created_by = ${userId} OR ${member})`;
}

/** Who reads an activity: the `activity` read scope over its owner and team, and its internal participants. */
function activityVisible(scope: AccessScope, userId: string) {
  const participant = sql<SqlBool>`EXISTS (SELECT 1 FROM activity_participant p WHERE p.workspace_id = a.workspace_id AND p.activity_id = a.id AND p.user_id = ${userId})`;
  if (scope.kind === 'all') return sql<SqlBool>`true`;
  if (scope.kind === 'teams' && scope.teamIds.length > 0) return sql<SqlBool>`(a.owner_id = ${userId} OR a.team_id = ANY(${scope.teamIds}::uuid[]) OR ${participant})`;
  return sql<SqlBool>`(a.owner_id = ${userId} OR ${participant})`;
}

/**
 * A time bound on the row that carries the times in each branch: the item itself for its owner, the membership row
 * (`task_member`, `activity_participant`) for the others, whose copies of the item's times triggers keep
 * (0015_calendar_member_times.sql), so its (person, time) index finds the range's rows without reading the person's history.
 */
type TimeBound = (row: RawBuilder<unknown>) => RawBuilder<SqlBool>;

/** Tasks due in [from, to) (My day's and the load view's). */
const dueIn = (from: Date, to: Date): TimeBound => (r) => sql<SqlBool>`${r}.due_at >= ${from} AND ${r}.due_at < ${to}`;

/**
 * Tasks people work on — as assignee or as co-executor — as a UNION of two branches, each served by its own index
 * (assignee and due time; membership by user and due time): an OR across both would read every task of the workspace.
 * `cols` names the columns, given the person each row is counted for; `bound` limits the times of `t` or `m`; `where` filters `t`.
 */
function tasksOf(workspaceId: string, users: string[], cols: (person: RawBuilder<unknown>) => RawBuilder<unknown>, bound: TimeBound, where: RawBuilder<SqlBool>) {
  return sql`
    SELECT ${cols(sql`t.owner_id`)} FROM task t
    WHERE t.workspace_id = ${workspaceId} AND t.owner_id = ANY(${users}::uuid[]) AND t.deleted_at IS NULL AND ${bound(sql.raw('t'))} AND ${where}
    UNION
    SELECT ${cols(sql`m.user_id`)} FROM task_member m JOIN task t ON t.workspace_id = m.workspace_id AND t.id = m.task_id
    WHERE m.workspace_id = ${workspaceId} AND m.role = 'co_executor' AND m.user_id = ANY(${users}::uuid[]) AND ${bound(sql.raw('m'))} AND t.deleted_at IS NULL AND ${where}`;
}

/** Calls and meetings people attend — as owner or internal participant — in the same two-branch form. */
function activitiesOf(workspaceId: string, users: string[], cols: (person: RawBuilder<unknown>) => RawBuilder<unknown>, bound: TimeBound, where: RawBuilder<SqlBool>) {
  return sql`
    SELECT ${cols(sql`a.owner_id`)} FROM activity a
    WHERE a.workspace_id = ${workspaceId} AND a.owner_id = ANY(${users}::uuid[]) AND a.deleted_at IS NULL AND ${bound(sql.raw('a'))} AND ${where}
    UNION
    SELECT ${cols(sql`p.user_id`)} FROM activity_participant p JOIN activity a ON a.workspace_id = p.workspace_id AND a.id = p.activity_id
    WHERE p.workspace_id = ${workspaceId} AND p.user_id = ANY(${users}::uuid[]) AND ${bound(sql.raw('p'))} AND a.deleted_at IS NULL AND ${where}`;
}

const TASK_COLUMNS = sql`t.id, t.title, t.start_at, t.due_at, t.all_day, t.status, t.priority, t.owner_id, t.team_id, t.subject_type, t.subject_id, t.version`;

export interface TaskInTime {
  id: string;
  title: string;
  start_at: Date | null;
  due_at: Date;
  all_day: boolean;
  status: TaskStatus;
  priority: TaskPriority;
  owner_id: string;
  team_id: string | null;
  subject_type: ClientObject | null;
  subject_id: string | null;
  version: number;
}

/** Items of `users` in a time range, as far as the reader (their scope and id) may see them. */
interface TimeQuery {
  workspaceId: string;
  scope: AccessScope;
  readerId: string;
  /** Whose items: assignee or co-executor of a task, owner or participant of a call or meeting. */
  users: string[];
  /** Items overlapping [from, to). */
  from: Date;
  to: Date;
  limit: number;
}

export interface TaskTimeQuery extends TimeQuery {
  /**
   * `overlap`: tasks overlapping [from, to) (from start, or due, to due); `due`: due in [from, to), cancelled ones left out;
   * `overdue`: open or in progress and due before `to`, oldest first.
   */
  match: 'overlap' | 'due' | 'overdue';
}

export async function tasksInTime(ex: Executor, q: TaskTimeQuery): Promise<TaskInTime[]> {
  if (q.users.length === 0) return [];
  const bounds: Record<TaskTimeQuery['match'], TimeBound> = {
    overlap: (r) => sql<SqlBool>`coalesce(${r}.start_at, ${r}.due_at) < ${q.to} AND ${r}.due_at >= ${q.from}`,
    due: dueIn(q.from, q.to),
    overdue: (r) => sql<SqlBool>`${r}.due_at < ${q.to}`,
  };
  const status = q.match === 'overdue' ? sql<SqlBool>`t.status IN ('open', 'in_progress')` : sql<SqlBool>`t.status <> 'cancelled'`;
  const order = q.match === 'overlap' ? sql`coalesce(x.start_at, x.due_at)` : sql`x.due_at`;
  const result = await sql<TaskInTime>`
    SELECT * FROM (${tasksOf(q.workspaceId, q.users, () => TASK_COLUMNS, bounds[q.match], sql<SqlBool>`t.due_at IS NOT NULL AND ${status} AND ${taskVisible(q.scope, q.readerId)}`)}) x
    ORDER BY ${order}, x.id
    LIMIT ${q.limit}`.execute(ex);
  return result.rows;
}

export interface SeriesInTime {
  id: string;
  rule: string;
  dtstart: Date;
  timezone: string;
  start_offset_minutes: number | null;
  title: string;
  priority: TaskPriority;
  owner_id: string;
  team_id: string | null;
  all_day: boolean;
  subject_type: ClientObject | null;
  subject_id: string | null;
  /** The next occurrence not yet created as a task: the first one the calendar projects. */
  next_occurrence_at: Date;
  version: number;
}

/**
 * Running repeating tasks (not ended or deleted) whose next uncreated occurrence is before `to`, of `users` (assignee,
 * or co-executor of its tasks), that the reader would see the tasks of: the `task` read scope over the series' assignee
 * and team, its author, and the members it gives each task.
 */
export async function seriesInTime(ex: Executor, q: { workspaceId: string; scope: AccessScope; readerId: string; users: string[]; to: Date; limit: number }): Promise<SeriesInTime[]> {
  if (q.users.length === 0) return [];
  const byScope = q.scope.kind === 'all' ? sql<SqlBool>`true` : q.scope.kind === 'teams' && q.scope.teamIds.length > 0 ? sql<SqlBool>`(s.owner_id = ${q.readerId} OR s.team_id = ANY(${q.scope.teamIds}::uuid[]))` : sql<SqlBool>`s.owner_id = ${q.readerId}`;
  const member = sql<SqlBool>`EXISTS (SELECT 1 FROM jsonb_array_elements(s.members) m WHERE m->>'userId' = ${q.readerId})`;
  const coExecutor = sql<SqlBool>`EXISTS (SELECT 1 FROM jsonb_array_elements(s.members) m WHERE m->>'role' = 'co_executor' AND m->>'userId' = ANY(${q.users}::text[]))`;
  const result = await sql<SeriesInTime>`
    SELECT s.id, s.rule, s.dtstart, s.timezone, s.start_offset_minutes, s.title, s.priority, s.owner_id, s.team_id, s.all_day, s.subject_type, s.subject_id, s.next_occurrence_at, s.version
    FROM task_series s
    WHERE s.workspace_id = ${q.workspaceId} AND s.ended_at IS NULL AND s.deleted_at IS NULL AND s.next_occurrence_at IS NOT NULL
      AND s.next_occurrence_at - make_interval(mins => coalesce(s.start_offset_minutes, 0)) < ${q.to}
      AND (s.owner_id = ANY(${q.users}::uuid[]) OR ${coExecutor})
      AND (${byScope} OR s.created_by = ${q.readerId} OR ${member})
    ORDER BY s.next_occurrence_at, s.id
    LIMIT ${q.limit}`.execute(ex);
  return result.rows;
}

export interface ActivityInTime {
  id: string;
  kind: 'call' | 'meeting';
  subject: string | null;
  starts_at: Date;
  ends_at: Date | null;
  status: 'planned' | 'done';
  owner_id: string;
  team_id: string | null;
  place: string | null;
  phone_raw: string | null;
  subject_type: ClientObject | null;
  subject_id: string | null;
  version: number;
}

export interface ActivityTimeQuery extends TimeQuery {
  kinds: ('call' | 'meeting')[];
}

/** Calls and meetings (not cancelled) overlapping [from, to), with the first record each is on (contacts first). */
export async function activitiesInTime(ex: Executor, q: ActivityTimeQuery): Promise<ActivityInTime[]> {
  if (q.users.length === 0 || q.kinds.length === 0) return [];
  const columns = sql`a.id, a.kind, a.subject, a.starts_at, a.ends_at, a.status, a.owner_id, a.team_id, a.place, a.phone_raw, a.version`;
  const overlap: TimeBound = (r) => sql<SqlBool>`${r}.starts_at < ${q.to} AND coalesce(${r}.ends_at, ${r}.starts_at) >= ${q.from}`;
  const where = sql<SqlBool>`a.kind = ANY(${q.kinds}::text[]) AND a.starts_at IS NOT NULL AND a.status IS DISTINCT FROM 'cancelled' AND ${activityVisible(q.scope, q.readerId)}`;
  const result = await sql<ActivityInTime>`
    SELECT x.*, l.subject_type, l.subject_id
    FROM (${activitiesOf(q.workspaceId, q.users, () => columns, overlap, where)}) x
    LEFT JOIN LATERAL (
      SELECT subject_type, subject_id FROM activity_link
      WHERE workspace_id = ${q.workspaceId} AND activity_id = x.id
      ORDER BY subject_type = 'contact' DESC, subject_type, subject_id LIMIT 1
    ) l ON true
    ORDER BY x.starts_at, x.id
    LIMIT ${q.limit}`.execute(ex);
  return result.rows;
}

export interface RecordRef {
  object: ClientObject;
  id: string;
  title: string;
  owner_id: string;
  team_id: string | null;
}

/** Names, owners and teams of client records (not deleted), to show the ones the reader may see. */
export async function recordRefs(ex: Executor, workspaceId: string, refs: { object: ClientObject; id: string }[]): Promise<RecordRef[]> {
  const ids = (object: ClientObject) => [...new Set(refs.filter((ref) => ref.object === object).map((ref) => ref.id))];
  const [companies, contacts, leads, deals] = [ids('company'), ids('contact'), ids('lead'), ids('deal')];
  if (companies.length + contacts.length + leads.length + deals.length === 0) return [];
  const result = await sql<RecordRef>`
    SELECT 'company' AS object, id, name AS title, owner_id, team_id FROM company WHERE workspace_id = ${workspaceId} AND id = ANY(${companies}::uuid[]) AND deleted_at IS NULL
    UNION ALL SELECT 'contact', id, full_name, owner_id, team_id FROM contact WHERE workspace_id = ${workspaceId} AND id = ANY(${contacts}::uuid[]) AND deleted_at IS NULL
    UNION ALL SELECT 'lead', id, name, owner_id, team_id FROM lead WHERE workspace_id = ${workspaceId} AND id = ANY(${leads}::uuid[]) AND deleted_at IS NULL
    UNION ALL SELECT 'deal', id, title, owner_id, team_id FROM deal WHERE workspace_id = ${workspaceId} AND id = ANY(${deals}::uuid[]) AND deleted_at IS NULL`.execute(ex);
  return result.rows;
}

export interface PersonRow {
  id: string;
  name: string;
  team_id: string | null;
  team_name: string | null;
}

/** Active users the reader may see (the `user` read scope), optionally only those in `teamIds`; by name. */
export async function visibleUsers(ex: Executor, workspaceId: string, scope: AccessScope, teamIds: string[] | undefined, limit: number): Promise<PersonRow[]> {
  const byScope = scope.kind === 'all' ? sql<SqlBool>`true` : scope.kind === 'teams' && scope.teamIds.length > 0 ? sql<SqlBool>`(u.id = ${scope.userId} OR u.team_id = ANY(${scope.teamIds}::uuid[]))` : sql<SqlBool>`u.id = ${scope.userId}`;
  const byTeam = teamIds === undefined ? sql<SqlBool>`true` : teamIds.length === 0 ? none : sql<SqlBool>`u.team_id = ANY(${teamIds}::uuid[])`;
  const result = await sql<PersonRow>`
    SELECT u.id, u.name, u.team_id, tm.name AS team_name
    FROM app_user u LEFT JOIN team tm ON tm.workspace_id = u.workspace_id AND tm.id = u.team_id
    WHERE u.workspace_id = ${workspaceId} AND u.status = 'active' AND u.deleted_at IS NULL AND ${byScope} AND ${byTeam}
    ORDER BY lower(u.name), u.id
    LIMIT ${limit}`.execute(ex);
  return result.rows;
}

export interface DayCount {
  user_id: string;
  day: string;
  tasks: number;
  meetings: number;
  calls: number;
  busy_minutes: number;
}

/** Per person and local day in [from, to): tasks due, calls and meetings, and minutes taken — only what the reader may see. */
export async function loadByDay(ex: Executor, q: { workspaceId: string; timezone: string; taskScope: AccessScope | null; activityScope: AccessScope | null; readerId: string; users: string[]; from: Date; to: Date }): Promise<DayCount[]> {
  if (q.users.length === 0) return [];
  const empty = sql`SELECT NULL::uuid AS user_id, NULL AS day, 0 AS tasks, 0 AS meetings, 0 AS calls, 0 AS busy_minutes WHERE false`;
  const tasks = q.taskScope
    ? sql`
      SELECT person AS user_id, to_char(due_at AT TIME ZONE ${q.timezone}, 'YYYY-MM-DD') AS day, count(*)::int AS tasks, 0 AS meetings, 0 AS calls, 0 AS busy_minutes
      FROM (${tasksOf(q.workspaceId, q.users, (person) => sql`${person} AS person, t.id, t.due_at`, dueIn(q.from, q.to), sql<SqlBool>`t.status <> 'cancelled' AND ${taskVisible(q.taskScope, q.readerId)}`)}) x
      GROUP BY 1, 2`
    : empty;
  const activities = q.activityScope
    ? sql`
      SELECT person AS user_id, to_char(starts_at AT TIME ZONE ${q.timezone}, 'YYYY-MM-DD') AS day, 0 AS tasks,
        count(*) FILTER (WHERE kind = 'meeting')::int AS meetings, count(*) FILTER (WHERE kind = 'call')::int AS calls,
        coalesce(sum(extract(epoch FROM ends_at - starts_at) / 60), 0)::int AS busy_minutes
      FROM (${activitiesOf(
        q.workspaceId,
        q.users,
        (person) => sql`${person} AS person, a.id, a.kind, a.starts_at, a.ends_at`,
        (r) => sql<SqlBool>`${r}.starts_at >= ${q.from} AND ${r}.starts_at < ${q.to}`,
        sql<SqlBool>`a.kind IN ('call', 'meeting') AND a.status IS DISTINCT FROM 'cancelled' AND ${activityVisible(q.activityScope, q.readerId)}`,
      )}) x
      GROUP BY 1, 2`
    : empty;
  const result = await sql<DayCount>`
    SELECT user_id, day, sum(tasks)::int AS tasks, sum(meetings)::int AS meetings, sum(calls)::int AS calls, sum(busy_minutes)::int AS busy_minutes
    FROM (${tasks} UNION ALL ${activities}) c GROUP BY user_id, day`.execute(ex);
  return result.rows;
}

export interface ProgressRow {
  user_id: string;
  due: number;
  done: number;
  overdue: number;
}

/** Per assignee: tasks due in [from, to) (not cancelled), how many are done, and how many open ones are past due at `now`. */
export async function taskProgress(ex: Executor, q: { workspaceId: string; scope: AccessScope; readerId: string; users: string[]; from: Date; to: Date; now: Date }): Promise<ProgressRow[]> {
  if (q.users.length === 0) return [];
  const result = await sql<ProgressRow>`
    SELECT t.owner_id AS user_id,
      count(*) FILTER (WHERE t.due_at >= ${q.from} AND t.due_at < ${q.to} AND t.status <> 'cancelled')::int AS due,
      count(*) FILTER (WHERE t.due_at >= ${q.from} AND t.due_at < ${q.to} AND t.status = 'done')::int AS done,
      count(*) FILTER (WHERE t.due_at < ${q.now} AND t.status IN ('open', 'in_progress'))::int AS overdue
    FROM task t
    WHERE t.workspace_id = ${q.workspaceId} AND t.deleted_at IS NULL AND t.owner_id = ANY(${q.users}::uuid[])
      AND (t.due_at < ${q.to} AND (t.due_at >= ${q.from} OR t.status IN ('open', 'in_progress'))) AND ${taskVisible(q.scope, q.readerId)}
    GROUP BY t.owner_id`.execute(ex);
  return result.rows;
}

export interface BirthdayRow {
  id: string;
  name: string;
  birthday: string;
  owner_id: string;
}

const monthDay = sql`(EXTRACT(MONTH FROM c.birthday) * 100 + EXTRACT(DAY FROM c.birthday))::int`;

/** Contacts (not deleted) whose birthday falls on one of the month-days (MMDD), in the reader's contact scope. */
export async function contactsBornOn(ex: Executor, q: { workspaceId: string; scope: AccessScope; ownerId?: string | undefined; monthDays: number[]; limit: number }): Promise<BirthdayRow[]> {
  const byScope = q.scope.kind === 'all' ? sql<SqlBool>`true` : q.scope.kind === 'teams' && q.scope.teamIds.length > 0 ? sql<SqlBool>`(c.owner_id = ${q.scope.userId} OR c.team_id = ANY(${q.scope.teamIds}::uuid[]))` : sql<SqlBool>`c.owner_id = ${q.scope.userId}`;
  const result = await sql<BirthdayRow>`
    SELECT c.id, c.full_name AS name, to_char(c.birthday, 'YYYY-MM-DD') AS birthday, c.owner_id
    FROM contact c
    WHERE c.workspace_id = ${q.workspaceId} AND c.birthday IS NOT NULL AND c.deleted_at IS NULL AND ${monthDay} = ANY(${q.monthDays}::int[])
      AND ${byScope} ${q.ownerId ? sql`AND c.owner_id = ${q.ownerId}` : sql``}
    ORDER BY c.full_name, c.id
    LIMIT ${q.limit}`.execute(ex);
  return result.rows;
}

/** Every contact born on one of the month-days, with an active owner: what the daily reminder tells each owner. */
export async function birthdaysForOwners(ex: Executor, workspaceId: string, monthDays: number[]): Promise<BirthdayRow[]> {
  const result = await sql<BirthdayRow>`
    SELECT c.id, c.full_name AS name, to_char(c.birthday, 'YYYY-MM-DD') AS birthday, c.owner_id
    FROM contact c JOIN app_user u ON u.workspace_id = c.workspace_id AND u.id = c.owner_id AND u.status = 'active' AND u.deleted_at IS NULL
    WHERE c.workspace_id = ${workspaceId} AND c.birthday IS NOT NULL AND c.deleted_at IS NULL AND ${monthDay} = ANY(${monthDays}::int[])
    ORDER BY c.owner_id, c.full_name, c.id`.execute(ex);
  return result.rows;
}

export interface DueBirthdayReminder {
  workspace_id: string;
  fire_at: Date;
  timezone: string;
  locale: string;
  /** First and last local day to announce. */
  first_day: string;
  last_day: string;
}

/**
 * Claims the workspaces whose birthday reminder is due, locking them so another process skips them. The days to announce
 * run from the day after the last one announced (at most a week back) to the latest local day whose 09:00 has passed.
 */
export async function claimDueBirthdayReminders(ex: Executor, now: Date, limit: number): Promise<DueBirthdayReminder[]> {
  const result = await sql<DueBirthdayReminder>`
    SELECT r.workspace_id, r.fire_at, w.timezone, w.locale,
      to_char(greatest(coalesce(r.covered_through + 1, x.last_day), x.last_day - 6), 'YYYY-MM-DD') AS first_day,
      to_char(x.last_day, 'YYYY-MM-DD') AS last_day
    FROM birthday_reminder r
    JOIN workspace w ON w.id = r.workspace_id
    CROSS JOIN LATERAL (SELECT ((${now}::timestamptz AT TIME ZONE w.timezone) - interval '9 hours')::date AS last_day) x
    WHERE r.fire_at <= ${now}
    ORDER BY r.fire_at
    LIMIT ${limit}
    FOR UPDATE OF r SKIP LOCKED`.execute(ex);
  return result.rows;
}

/** Marks a claimed reminder fired and sets it for the next 09:00 in the workspace's (current) time zone. */
export async function advanceBirthdayReminder(ex: Executor, workspaceId: string, now: Date, coveredThrough: string, late: boolean): Promise<void> {
  await sql`
    UPDATE birthday_reminder r SET fired_at = ${now}, late = ${late}, covered_through = ${coveredThrough}::date,
      fire_at = birthday_reminder_after(w.timezone, ${now}::timestamptz)
    FROM workspace w WHERE w.id = r.workspace_id AND r.workspace_id = ${workspaceId}`.execute(ex);
}

/** When the next birthday reminder of any workspace is due, for the timer loop's sleep. */
export async function nextBirthdayReminderAt(ex: Executor): Promise<Date | null> {
  const row = await ex.selectFrom('birthday_reminder').select((eb) => eb.fn.min('fire_at').as('next')).executeTakeFirst();
  return (row?.next as Date | null | undefined) ?? null;
}

export async function insertFeed(ex: Executor, row: { workspace_id: string; id: string; user_id: string; token_hash: string; created_by: string }): Promise<Date> {
  const inserted = await ex.insertInto('calendar_feed').values(row).returning('created_at').executeTakeFirstOrThrow();
  return inserted.created_at;
}

/** Revokes the user's live feed; whether there was one. */
export async function revokeFeed(ex: Executor, workspaceId: string, userId: string, now: Date): Promise<string | undefined> {
  const row = await ex.updateTable('calendar_feed').set({ revoked_at: now }).where('workspace_id', '=', workspaceId).where('user_id', '=', userId).where('revoked_at', 'is', null).returning('id').executeTakeFirst();
  return row?.id;
}

export async function liveFeed(ex: Executor, workspaceId: string, userId: string) {
  return ex.selectFrom('calendar_feed').select(['id', 'created_at']).where('workspace_id', '=', workspaceId).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
}

export async function feedByTokenHash(ex: Executor, tokenHash: string) {
  return ex.selectFrom('calendar_feed').select(['workspace_id', 'user_id']).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
}
