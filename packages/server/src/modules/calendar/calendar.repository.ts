import { CLIENT_OBJECTS, type ClientObject } from '@rapport/shared';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { AccessScope } from '../../core/access-scope.js';
import { PREPARED, type Executor } from '../../infra/db.js';
import { scopePredicate } from '../client-record/client-record.repository.js';

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

/**
 * How one reader sees the items: which records' names they may read (their read scope per object; an object missing
 * is one their role does not read) and which items they may move (their update scope over tasks, or activities).
 */
export interface ItemView {
  recordScopes: Partial<Record<ClientObject, AccessScope>>;
  taskUpdate: AccessScope | null;
  activityUpdate: AccessScope | null;
  /** Tasks open or in progress and due before this are overdue. */
  now: Date;
}

/**
 * An item as the calendar answers it, one JSON text per row: `start` and `id` order them. The database writes the JSON
 * (names joined, access decided by the same scope predicates as lists): a week of a team is ~1,300 items, and
 * turning that many rows into objects and back into JSON was most of the request's time in Node.
 */
export interface ItemRow {
  id: string;
  start: string;
  item: string;
}

const iso = (at: RawBuilder<unknown>) => sql<string>`to_char(${at} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Joins the owner's name (`own`) and the item's record (`rec`: its title, owner and team when it is live) to the rows
 * of `x` (`owner_id`, `subject_type`, `subject_id`). Each branch runs only for its object (its first condition is on
 * the outer row alone).
 */
function withNames(workspaceId: string) {
  return sql`
    LEFT JOIN app_user own ON own.workspace_id = ${workspaceId} AND own.id = x.owner_id
    LEFT JOIN LATERAL (
      SELECT c.name AS title, c.owner_id, c.team_id FROM company c
      WHERE x.subject_type = 'company' AND c.workspace_id = ${workspaceId} AND c.id = x.subject_id AND c.deleted_at IS NULL
      UNION ALL SELECT c.full_name, c.owner_id, c.team_id FROM contact c
      WHERE x.subject_type = 'contact' AND c.workspace_id = ${workspaceId} AND c.id = x.subject_id AND c.deleted_at IS NULL
      UNION ALL SELECT l.name, l.owner_id, l.team_id FROM lead l
      WHERE x.subject_type = 'lead' AND l.workspace_id = ${workspaceId} AND l.id = x.subject_id AND l.deleted_at IS NULL
      UNION ALL SELECT d.title, d.owner_id, d.team_id FROM deal d
      WHERE x.subject_type = 'deal' AND d.workspace_id = ${workspaceId} AND d.id = x.subject_id AND d.deleted_at IS NULL
    ) rec ON true`;
}

/** The item's record as `{ object, id, title }`: the title only when the record is live and the reader may read it. */
function subjectJson(view: ItemView) {
  const readable = CLIENT_OBJECTS.flatMap((object) => {
    const scope = view.recordScopes[object];
    return scope ? [sql`WHEN ${sql.lit(object)} THEN ${scopePredicate(scope, 'rec')}`] : [];
  });
  const title = readable.length > 0 ? sql`CASE WHEN rec.owner_id IS NOT NULL AND CASE x.subject_type ${sql.join(readable, sql` `)} ELSE false END THEN rec.title END` : sql`NULL::text`;
  return sql`CASE WHEN x.subject_type IS NOT NULL AND x.subject_id IS NOT NULL THEN json_build_object('object', x.subject_type, 'id', x.subject_id, 'title', ${title}) END`;
}

/** Whether the reader may move the item (`x.owner_id`, `x.team_id`): their update scope over it (no team is no match, not null). */
function movable(scope: AccessScope | null): RawBuilder<SqlBool> {
  if (!scope) return sql<SqlBool>`false`;
  return scope.kind === 'all' ? scopePredicate(scope, 'x') : sql<SqlBool>`coalesce(${scopePredicate(scope, 'x')}, false)`;
}

/**
 * The statement around the rows of `inner` (aliased `x`, already ordered and limited): names joined, one JSON item a
 * row (the fields in the contract's order; `extra` after `version`), and `columns` of `x` beside it.
 */
function itemRows<Row extends ItemRow>(
  workspaceId: string,
  view: ItemView,
  inner: RawBuilder<unknown>,
  parts: { kind: RawBuilder<unknown>; title: RawBuilder<unknown>; start: RawBuilder<unknown>; end: RawBuilder<unknown>; allDay: RawBuilder<unknown>; status: RawBuilder<unknown>; priority: RawBuilder<unknown>; overdue: RawBuilder<unknown>; place: RawBuilder<unknown>; editable: RawBuilder<unknown>; extra?: RawBuilder<unknown>; columns?: RawBuilder<unknown> },
) {
  return sql<Row>`${sql.raw(PREPARED)}
    SELECT x.id, i.start, row_to_json(i)::text AS item ${parts.columns ?? sql``}
    FROM (${inner}) x ${withNames(workspaceId)}
    CROSS JOIN LATERAL (
      SELECT ${parts.kind} AS kind, x.id, ${parts.title} AS title, ${iso(parts.start)} AS start, ${parts.end} AS "end", ${parts.allDay} AS "allDay",
        ${parts.status} AS status, ${parts.priority} AS priority, ${parts.overdue} AS overdue, x.owner_id AS "ownerId", own.name AS "ownerName",
        ${parts.place} AS place, ${subjectJson(view)} AS subject, ${parts.editable} AS editable, x.version ${parts.extra ?? sql``}
    ) i`;
}

const TASK_COLUMNS = sql`t.id, t.title, t.start_at, t.due_at, t.all_day, t.status, t.priority, t.owner_id, t.team_id, t.subject_type, t.subject_id, t.version`;

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

export async function tasksInTime(ex: Executor, q: TaskTimeQuery, view: ItemView): Promise<ItemRow[]> {
  if (q.users.length === 0) return [];
  const bounds: Record<TaskTimeQuery['match'], TimeBound> = {
    overlap: (r) => sql<SqlBool>`coalesce(${r}.start_at, ${r}.due_at) < ${q.to} AND ${r}.due_at >= ${q.from}`,
    due: dueIn(q.from, q.to),
    overdue: (r) => sql<SqlBool>`${r}.due_at < ${q.to}`,
  };
  const status = q.match === 'overdue' ? sql<SqlBool>`t.status IN ('open', 'in_progress')` : sql<SqlBool>`t.status <> 'cancelled'`;
  const order = q.match === 'overlap' ? sql`coalesce(x.start_at, x.due_at)` : sql`x.due_at`;
  const inner = sql`
    SELECT * FROM (${tasksOf(q.workspaceId, q.users, () => TASK_COLUMNS, bounds[q.match], sql<SqlBool>`t.due_at IS NOT NULL AND ${status} AND ${taskVisible(q.scope, q.readerId)}`)}) x
    ORDER BY ${order}, x.id
    LIMIT ${q.limit}`;
  const result = await itemRows(q.workspaceId, view, inner, {
    kind: sql.lit('task'),
    title: sql`x.title`,
    start: sql`coalesce(x.start_at, x.due_at)`,
    end: sql`CASE WHEN x.start_at IS NOT NULL THEN ${iso(sql`x.due_at`)} END`,
    allDay: sql`x.all_day`,
    status: sql`x.status`,
    priority: sql`x.priority`,
    overdue: sql`(x.status IN ('open', 'in_progress') AND x.due_at < ${view.now})`,
    place: sql`NULL::text`,
    editable: movable(view.taskUpdate),
  }).execute(ex);
  return result.rows;
}

/** A repeating task: its rule, and its occurrences' item (`item`, with the next occurrence's times: each sets its own). */
export interface SeriesInTime extends ItemRow {
  rule: string;
  dtstart: Date;
  timezone: string;
  start_offset_minutes: number | null;
  /** The next occurrence not yet created as a task: the first one the calendar projects. */
  next_occurrence_at: Date;
}

/**
 * Running repeating tasks (not ended or deleted) whose next uncreated occurrence is before `to`, of `users` (assignee,
 * or co-executor of its tasks), that the reader would see the tasks of: the `task` read scope over the series' assignee
 * and team, its author, and the members it gives each task.
 */
export async function seriesInTime(ex: Executor, q: { workspaceId: string; scope: AccessScope; readerId: string; users: string[]; to: Date; limit: number }, view: ItemView): Promise<SeriesInTime[]> {
  if (q.users.length === 0) return [];
  const byScope = q.scope.kind === 'all' ? sql<SqlBool>`true` : q.scope.kind === 'teams' && q.scope.teamIds.length > 0 ? sql<SqlBool>`(s.owner_id = ${q.readerId} OR s.team_id = ANY(${q.scope.teamIds}::uuid[]))` : sql<SqlBool>`s.owner_id = ${q.readerId}`;
  const member = sql<SqlBool>`EXISTS (SELECT 1 FROM jsonb_array_elements(s.members) m WHERE m->>'userId' = ${q.readerId})`;
  const coExecutor = sql<SqlBool>`EXISTS (SELECT 1 FROM jsonb_array_elements(s.members) m WHERE m->>'role' = 'co_executor' AND m->>'userId' = ANY(${q.users}::text[]))`;
  const inner = sql`
    SELECT s.id, s.rule, s.dtstart, s.timezone, s.start_offset_minutes, s.title, s.priority, s.owner_id, s.team_id, s.all_day, s.subject_type, s.subject_id, s.next_occurrence_at, s.version
    FROM task_series s
    WHERE s.workspace_id = ${q.workspaceId} AND s.ended_at IS NULL AND s.deleted_at IS NULL AND s.next_occurrence_at IS NOT NULL
      AND s.next_occurrence_at - make_interval(mins => coalesce(s.start_offset_minutes, 0)) < ${q.to}
      AND (s.owner_id = ANY(${q.users}::uuid[]) OR ${coExecutor})
      AND (${byScope} OR s.created_by = ${q.readerId} OR ${member})
    ORDER BY s.next_occurrence_at, s.id
    LIMIT ${q.limit}`;
  const result = await itemRows<SeriesInTime>(q.workspaceId, view, inner, {
    kind: sql.lit('task'),
    title: sql`x.title`,
    start: sql`x.next_occurrence_at`,
    end: sql`NULL::text`,
    allDay: sql`x.all_day`,
    status: sql.lit('open'),
    priority: sql`x.priority`,
    overdue: sql`false`,
    place: sql`NULL::text`,
    editable: sql`false`,
    extra: sql`, true AS projected, x.id AS "seriesId"`,
    columns: sql`, x.rule, x.dtstart, x.timezone, x.start_offset_minutes, x.next_occurrence_at`,
  }).execute(ex);
  return result.rows.sort((a, b) => a.next_occurrence_at.getTime() - b.next_occurrence_at.getTime() || (a.id < b.id ? -1 : 1));
}

export interface ActivityTimeQuery extends TimeQuery {
  kinds: ('call' | 'meeting')[];
}

/** Calls and meetings (not cancelled) overlapping [from, to), each on the first record it is linked to (contacts first). */
export async function activitiesInTime(ex: Executor, q: ActivityTimeQuery, view: ItemView): Promise<ItemRow[]> {
  if (q.users.length === 0 || q.kinds.length === 0) return [];
  const columns = sql`a.id, a.kind, a.subject, a.starts_at, a.ends_at, a.status, a.owner_id, a.team_id, a.place, a.phone_raw, a.version`;
  const overlap: TimeBound = (r) => sql<SqlBool>`${r}.starts_at < ${q.to} AND coalesce(${r}.ends_at, ${r}.starts_at) >= ${q.from}`;
  const where = sql<SqlBool>`a.kind = ANY(${q.kinds}::text[]) AND a.starts_at IS NOT NULL AND a.status IS DISTINCT FROM 'cancelled' AND ${activityVisible(q.scope, q.readerId)}`;
  const inner = sql`
    SELECT x.*, l.subject_type, l.subject_id
    FROM (${activitiesOf(q.workspaceId, q.users, () => columns, overlap, where)}) x
    LEFT JOIN LATERAL (
      SELECT subject_type, subject_id FROM activity_link
      WHERE workspace_id = ${q.workspaceId} AND activity_id = x.id
      ORDER BY subject_type = 'contact' DESC, subject_type, subject_id LIMIT 1
    ) l ON true
    ORDER BY x.starts_at, x.id
    LIMIT ${q.limit}`;
  const result = await itemRows(q.workspaceId, view, inner, {
    kind: sql`x.kind`,
    title: sql`coalesce(x.subject, x.phone_raw, '')`,
    start: sql`x.starts_at`,
    end: sql`CASE WHEN x.ends_at IS NOT NULL THEN ${iso(sql`x.ends_at`)} END`,
    allDay: sql`false`,
    status: sql`x.status`,
    priority: sql`NULL::text`,
    overdue: sql`false`,
    place: sql`x.place`,
    editable: movable(view.activityUpdate),
  }).execute(ex);
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
