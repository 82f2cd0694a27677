import type { TaskMemberRole } from '@rapport/shared';
import type { Insertable, RawBuilder, Selectable, SqlBool, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { AccessScope } from '../../core/access-scope.js';
import type { Executor } from '../../infra/db.js';
import type { TaskSeriesTable, TaskTable, TaskTemplateTable } from '../../infra/db-schema.js';

export type TaskRow = Selectable<TaskTable>;
export type SeriesRow = Selectable<TaskSeriesTable>;
export type TemplateRow = Selectable<TaskTemplateTable>;

const ACTIVE = sql<SqlBool>`t.status IN ('open', 'in_progress')`;

/** The AccessScope over the assignee (owner_id) and team: the role's half of who sees a task. */
function scopePredicate(scope: AccessScope): RawBuilder<SqlBool> {
  if (scope.kind === 'all') return sql<SqlBool>`true`;
  if (scope.kind === 'own' || scope.teamIds.length === 0) return sql<SqlBool>`t.owner_id = ${scope.userId}`;
  return sql<SqlBool>`(t.owner_id = ${scope.userId} OR t.team_id = ANY(${scope.teamIds}::uuid[]))`;
}

const isMember = (userId: string, role?: TaskMemberRole) =>
  sql<SqlBool>`EXISTS (SELECT 1 FROM task_member m WHERE m.workspace_id = t.workspace_id AND m.task_id = t.id AND m.user_id = ${userId}${role ? sql` AND m.role = ${role}` : sql``})`;

/** Who may read a task: the role's scope over the assignee, plus its author, co-executors and watchers. */
export function readablePredicate(scope: AccessScope, userId: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${scopePredicate(scope)} OR t.created_by = ${userId} OR ${isMember(userId)})`;
}

/** A live task, or with `deleted` one in the recycle bin. */
export async function findTask(ex: Executor, workspaceId: string, id: string, options: { forUpdate?: boolean; deleted?: boolean } = {}): Promise<TaskRow | undefined> {
  const query = ex.selectFrom('task').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', options.deleted ? 'is not' : 'is', null);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

/** Back from the recycle bin: a new version, so an edit based on the deleted state conflicts. */
export async function undeleteTask(ex: Executor, workspaceId: string, id: string, by: string): Promise<TaskRow | undefined> {
  return ex
    .updateTable('task')
    .set({ deleted_at: null, deleted_by: null, updated_by: by, version: sql`version + 1`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is not', null)
    .returningAll()
    .executeTakeFirst();
}

/**
 * One keyset page (`limit + 1` rows) of deleted tasks the reader may restore: within their delete scope over the
 * assignee and readable to them, most recently deleted first, with the assignee's and the deleter's names.
 */
export async function listDeletedTasks(ex: Executor, p: { workspaceId: string; userId: string; readScope: AccessScope; deleteScope: AccessScope; after: [string, string] | undefined; limit: number }) {
  const keyset = p.after ? sql`AND (t.deleted_at, t.id) < (${p.after[0]}::timestamptz, ${p.after[1]}::uuid)` : sql``;
  const result = await sql<TaskRow & { owner_name: string | null; deleted_by_name: string | null; at_key: string }>`
    SELECT t.*, o.name AS owner_name, d.name AS deleted_by_name, to_char(t.deleted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key
    FROM task t
    LEFT JOIN app_user o ON o.workspace_id = t.workspace_id AND o.id = t.owner_id
    LEFT JOIN app_user d ON d.workspace_id = t.workspace_id AND d.id = t.deleted_by
    WHERE t.workspace_id = ${p.workspaceId} AND t.deleted_at IS NOT NULL AND ${scopePredicate(p.deleteScope)} AND ${readablePredicate(p.readScope, p.userId)} ${keyset}
    ORDER BY t.deleted_at DESC, t.id DESC LIMIT ${p.limit + 1}`.execute(ex);
  return result.rows;
}

export async function findTasks(ex: Executor, workspaceId: string, ids: string[]): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  return ex.selectFrom('task').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
}

export async function insertTask(ex: Executor, row: Insertable<TaskTable>): Promise<void> {
  await ex.insertInto('task').values(row).execute();
}

/** Optimistic update: undefined when the version moved on (or the task is gone). */
export async function updateTask(ex: Executor, workspaceId: string, id: string, version: number | null, patch: Updateable<TaskTable>): Promise<TaskRow | undefined> {
  let query = ex
    .updateTable('task')
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null);
  if (version !== null) query = query.where('version', '=', version);
  return query.returningAll().executeTakeFirst();
}

/**
 * Closes an open (or in-progress) task in one statement that locks it first, as another module driving the task does:
 * the task after, with its status before; undefined when it is deleted or already closed.
 */
export async function closeTask(ex: Executor, workspaceId: string, id: string, patch: { status: 'done' | 'cancelled'; completed_at: Date; updated_by: string | null }): Promise<(TaskRow & { status_before: TaskRow['status'] }) | undefined> {
  const result = await sql<TaskRow & { status_before: TaskRow['status'] }>`
    WITH before AS (SELECT id, status FROM task WHERE workspace_id = ${workspaceId} AND id = ${id} AND deleted_at IS NULL FOR UPDATE)
    UPDATE task t SET status = ${patch.status}, completed_at = ${patch.completed_at}, updated_by = ${patch.updated_by}, version = t.version + 1, updated_at = now()
    FROM before
    WHERE t.workspace_id = ${workspaceId} AND t.id = before.id AND before.status NOT IN ('done', 'cancelled')
    RETURNING t.*, before.status AS status_before`.execute(ex);
  return result.rows[0];
}

export interface TaskListParams {
  workspaceId: string;
  userId: string;
  scope: AccessScope;
  view: 'mine' | 'created' | 'watching' | 'all';
  statuses: readonly string[] | undefined;
  priority: string | undefined;
  overdueAt: Date | undefined;
  dueFrom: Date | undefined;
  dueTo: Date | undefined;
  noDue: boolean;
  ownerId: string | undefined;
  subject: { type: string; id: string } | undefined;
  q: string | undefined;
  sort: 'due' | '-due' | 'created' | '-created' | 'priority';
  after: (string | number)[] | undefined;
  limit: number;
}

const PRIORITY_RANK = sql<number>`(CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END)`;
/** Tasks without a due time sort last; a finite stand-in keeps the cursor an ordinary timestamp. */
const DUE_KEY = sql`coalesce(t.due_at, '9999-12-31T23:59:59.999Z'::timestamptz)`;

/** Sort keys: expressions in one direction, then the id; `cast` types the cursor's parts for the keyset comparison. */
const SORTS: Record<TaskListParams['sort'], { keys: { expr: RawBuilder<unknown>; cast: RawBuilder<unknown> }[]; desc: boolean }> = {
  due: { keys: [{ expr: DUE_KEY, cast: sql`timestamptz` }], desc: false },
  '-due': { keys: [{ expr: DUE_KEY, cast: sql`timestamptz` }], desc: true },
  created: { keys: [], desc: false },
  '-created': { keys: [], desc: true },
  priority: { keys: [{ expr: PRIORITY_RANK, cast: sql`integer` }, { expr: DUE_KEY, cast: sql`timestamptz` }], desc: false },
};

/** One keyset page (`limit + 1` rows) of the tasks the reader may see, with their sort key parts as `k0`, `k1`. */
export async function listTasks(ex: Executor, p: TaskListParams): Promise<(TaskRow & { k0: unknown; k1: unknown })[]> {
  const where: RawBuilder<SqlBool>[] = [sql<SqlBool>`t.workspace_id = ${p.workspaceId}`, sql<SqlBool>`t.deleted_at IS NULL`, readablePredicate(p.scope, p.userId)];
  if (p.view === 'mine') where.push(sql<SqlBool>`(t.owner_id = ${p.userId} OR ${isMember(p.userId, 'co_executor')})`);
  if (p.view === 'created') where.push(sql<SqlBool>`t.created_by = ${p.userId}`);
  if (p.view === 'watching') where.push(isMember(p.userId, 'watcher'));
  if (p.statuses) where.push(sql<SqlBool>`t.status = ANY(${p.statuses}::text[])`);
  if (p.priority) where.push(sql<SqlBool>`t.priority = ${p.priority}`);
  if (p.overdueAt) where.push(sql<SqlBool>`${ACTIVE} AND t.due_at < ${p.overdueAt}`);
  if (p.dueFrom) where.push(sql<SqlBool>`t.due_at >= ${p.dueFrom}`);
  if (p.dueTo) where.push(sql<SqlBool>`t.due_at < ${p.dueTo}`);
  if (p.noDue) where.push(sql<SqlBool>`t.due_at IS NULL`);
  if (p.ownerId) where.push(sql<SqlBool>`t.owner_id = ${p.ownerId}`);
  if (p.subject) where.push(sql<SqlBool>`t.subject_type = ${p.subject.type} AND t.subject_id = ${p.subject.id}`);
  if (p.q && p.q.trim() !== '') where.push(sql<SqlBool>`lower(t.title) LIKE ${`%${p.q.trim().toLowerCase().replace(/[%_\\]/g, '\\$&')}%`}`);
  const sort = SORTS[p.sort];
  const direction = sort.desc ? sql`DESC` : sql`ASC`;
  if (p.after) {
    const left = sql.join([...sort.keys.map((key) => key.expr), sql`t.id`]);
    const right = sql.join([...sort.keys.map((key, i) => sql`${p.after![i]}::${key.cast}`), sql`${p.after[sort.keys.length]}::uuid`]);
    where.push(sort.desc ? sql<SqlBool>`(${left}) < (${right})` : sql<SqlBool>`(${left}) > (${right})`);
  }
  const order = sql.join([...sort.keys.map((key) => sql`${key.expr} ${direction}`), sql`t.id ${direction}`]);
  const keys = sort.keys.map((key, i) => sql`${key.expr} AS ${sql.ref(`k${i}`)}`);
  const result = await sql<TaskRow & { k0: unknown; k1: unknown }>`
    SELECT t.*${keys.length > 0 ? sql`, ${sql.join(keys)}` : sql``} FROM task t
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY ${order}
    LIMIT ${p.limit + 1}`.execute(ex);
  return result.rows;
}

export async function membersOf(ex: Executor, workspaceId: string, taskIds: string[]) {
  if (taskIds.length === 0) return [];
  return ex
    .selectFrom('task_member as m')
    .innerJoin('app_user as u', (join) => join.onRef('u.workspace_id', '=', 'm.workspace_id').onRef('u.id', '=', 'm.user_id'))
    .select(['m.task_id', 'm.user_id', 'm.role', 'u.name'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.task_id', 'in', taskIds)
    .orderBy('m.created_at')
    .execute();
}

export async function memberRole(ex: Executor, workspaceId: string, taskId: string, userId: string): Promise<TaskMemberRole | undefined> {
  const row = await ex.selectFrom('task_member').select('role').where('workspace_id', '=', workspaceId).where('task_id', '=', taskId).where('user_id', '=', userId).executeTakeFirst();
  return row?.role;
}

export async function replaceMembers(ex: Executor, workspaceId: string, taskId: string, members: { userId: string; role: TaskMemberRole }[]): Promise<void> {
  await ex.deleteFrom('task_member').where('workspace_id', '=', workspaceId).where('task_id', '=', taskId).execute();
  await insertMembers(ex, workspaceId, taskId, members);
}

/** A new task's co-executors and watchers (it has none yet). */
export async function insertMembers(ex: Executor, workspaceId: string, taskId: string, members: { userId: string; role: TaskMemberRole }[]): Promise<void> {
  if (members.length === 0) return;
  await ex
    .insertInto('task_member')
    .values(members.map((member) => ({ workspace_id: workspaceId, task_id: taskId, user_id: member.userId, role: member.role })))
    .execute();
}

/** Active users among `ids`, with their team and manager (assignees and members must be active). */
export async function activeUsers(ex: Executor, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return ex
    .selectFrom('app_user')
    .select(['id', 'name', 'email', 'locale', 'team_id'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...new Set(ids)])
    .where('status', '=', 'active')
    .where('deleted_at', 'is', null)
    .execute();
}

export async function userNames(ex: Executor, workspaceId: string, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await ex.selectFrom('app_user').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('id', 'in', wanted).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** The records tasks are about, by `type:id`: display name, and owner and team (whether the reader may see the name). */
export async function subjectRecords(ex: Executor, workspaceId: string, refs: { type: string; id: string }[]): Promise<Map<string, { title: string; owner_id: string; team_id: string | null }>> {
  const found = new Map<string, { title: string; owner_id: string; team_id: string | null }>();
  const ids = (type: string) => [...new Set(refs.filter((ref) => ref.type === type).map((ref) => ref.id))];
  const sources = [
    { type: 'company', table: 'company', column: 'name' },
    { type: 'contact', table: 'contact', column: 'full_name' },
    { type: 'lead', table: 'lead', column: 'name' },
    { type: 'deal', table: 'deal', column: 'title' },
  ] as const;
  for (const source of sources) {
    const wanted = ids(source.type);
    if (wanted.length === 0) continue;
    const rows = await sql<{ id: string; title: string; owner_id: string; team_id: string | null }>`
      SELECT id, ${sql.ref(source.column)} AS title, owner_id, team_id FROM ${sql.table(source.table)} WHERE workspace_id = ${workspaceId} AND id = ANY(${wanted}::uuid[])`.execute(ex);
    for (const row of rows.rows) found.set(`${source.type}:${row.id}`, row);
  }
  return found;
}

export async function commentCounts(ex: Executor, workspaceId: string, taskIds: string[]): Promise<Map<string, number>> {
  if (taskIds.length === 0) return new Map();
  const rows = await ex
    .selectFrom('task_comment')
    .select(['task_id', (eb) => eb.fn.countAll<number>().as('count')])
    .where('workspace_id', '=', workspaceId)
    .where('task_id', 'in', taskIds)
    .where('deleted_at', 'is', null)
    .groupBy('task_id')
    .execute();
  return new Map(rows.map((row) => [row.task_id, Number(row.count)]));
}

export async function insertComment(ex: Executor, row: { workspace_id: string; id: string; task_id: string; body: string; created_by: string | null; updated_by: string | null }): Promise<void> {
  await ex.insertInto('task_comment').values(row).execute();
}

/** Live comments with their author's name. */
function comments(ex: Executor, workspaceId: string) {
  return ex
    .selectFrom('task_comment as c')
    .leftJoin('app_user as u', (join) => join.onRef('u.workspace_id', '=', 'c.workspace_id').onRef('u.id', '=', 'c.created_by'))
    .selectAll('c')
    .select('u.name as author_name')
    .where('c.workspace_id', '=', workspaceId)
    .where('c.deleted_at', 'is', null);
}

export async function findComment(ex: Executor, workspaceId: string, id: string) {
  return comments(ex, workspaceId).where('c.id', '=', id).executeTakeFirst();
}

/** Oldest first, as a conversation reads. */
export async function listComments(ex: Executor, workspaceId: string, taskId: string, afterId: string | undefined, limit: number) {
  const query = comments(ex, workspaceId).where('c.task_id', '=', taskId);
  return (afterId ? query.where('c.id', '>', afterId) : query).orderBy('c.id').limit(limit + 1).execute();
}

export async function deleteComment(ex: Executor, workspaceId: string, id: string, by: string): Promise<void> {
  await ex.updateTable('task_comment').set({ deleted_at: sql`now()`, updated_by: by }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function listTemplates(ex: Executor, workspaceId: string): Promise<TemplateRow[]> {
  return ex.selectFrom('task_template').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).orderBy(sql`lower(name)`).orderBy('id').execute();
}

export async function findTemplate(ex: Executor, workspaceId: string, id: string): Promise<TemplateRow | undefined> {
  return ex.selectFrom('task_template').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function insertTemplate(ex: Executor, row: Insertable<TaskTemplateTable>): Promise<void> {
  await ex.insertInto('task_template').values(row).execute();
}

export async function updateTemplate(ex: Executor, workspaceId: string, id: string, version: number, patch: Updateable<TaskTemplateTable>): Promise<TemplateRow | undefined> {
  return ex
    .updateTable('task_template')
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function insertSeries(ex: Executor, row: Insertable<TaskSeriesTable>): Promise<void> {
  await ex.insertInto('task_series').values(row).execute();
}

export async function findSeries(ex: Executor, workspaceId: string, ids: string[]): Promise<SeriesRow[]> {
  if (ids.length === 0) return [];
  return ex.selectFrom('task_series').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', [...new Set(ids)]).execute();
}

export async function updateSeries(ex: Executor, workspaceId: string, id: string, patch: Updateable<TaskSeriesTable>): Promise<void> {
  await ex
    .updateTable('task_series')
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** The latest due time among a series' tasks: where the schedule continues from. */
export async function latestDueInSeries(ex: Executor, workspaceId: string, seriesId: string): Promise<Date | null> {
  const row = await ex.selectFrom('task').select((eb) => eb.fn.max('due_at').as('due')).where('workspace_id', '=', workspaceId).where('series_id', '=', seriesId).executeTakeFirst();
  return (row?.due as Date | null | undefined) ?? null;
}

/** Series whose next task is due to be created; SKIP LOCKED shares them between processes. */
export async function claimDueSeries(ex: Executor, now: Date, limit: number): Promise<SeriesRow[]> {
  return ex
    .selectFrom('task_series')
    .selectAll()
    .where('next_run_at', '<=', now)
    .where('next_run_at', 'is not', null)
    .where('ended_at', 'is', null)
    .where('deleted_at', 'is', null)
    .orderBy('next_run_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Open tasks past their due time not yet reported, with the workspace's escalation setting. */
export async function claimOverdue(ex: Executor, now: Date, limit: number) {
  const result = await sql<TaskRow & { escalation_hours: number | null }>`
    SELECT t.*, w.overdue_escalation_hours AS escalation_hours FROM task t JOIN workspace w ON w.id = t.workspace_id
    WHERE ${ACTIVE} AND t.overdue_notified_at IS NULL AND t.deleted_at IS NULL AND t.due_at <= ${now}
    ORDER BY t.due_at LIMIT ${limit} FOR UPDATE OF t SKIP LOCKED`.execute(ex);
  return result.rows;
}

/** Overdue tasks whose escalation time has come, with whom to tell: the assignee's manager, else their team's head. */
export async function claimEscalations(ex: Executor, now: Date, limit: number) {
  const result = await sql<TaskRow & { assignee_name: string; manager_id: string | null }>`
    SELECT t.*, u.name AS assignee_name,
      coalesce(u.manager_id, CASE WHEN tm.head_id <> u.id THEN tm.head_id END) AS manager_id
    FROM task t
    JOIN app_user u ON u.workspace_id = t.workspace_id AND u.id = t.owner_id
    LEFT JOIN team tm ON tm.workspace_id = u.workspace_id AND tm.id = u.team_id
    WHERE ${ACTIVE} AND t.escalate_at IS NOT NULL AND t.escalated_at IS NULL AND t.deleted_at IS NULL AND t.escalate_at <= ${now}
    ORDER BY t.escalate_at LIMIT ${limit} FOR UPDATE OF t SKIP LOCKED`.execute(ex);
  return result.rows;
}

export async function markOverdueNotified(ex: Executor, workspaceId: string, id: string, at: Date, escalateAt: Date | null): Promise<void> {
  await ex.updateTable('task').set({ overdue_notified_at: at, escalate_at: escalateAt }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function markEscalated(ex: Executor, workspaceId: string, id: string, at: Date): Promise<void> {
  await ex.updateTable('task').set({ escalated_at: at }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** After the workspace's escalation hours change: reported, unescalated tasks escalate on the new schedule (or not at all). */
export async function rescheduleEscalations(ex: Executor, workspaceId: string, hours: number | null): Promise<void> {
  await sql`
    UPDATE task t SET escalate_at = ${hours === null ? null : sql`t.due_at + make_interval(hours => ${hours}::int)`}
    WHERE t.workspace_id = ${workspaceId} AND ${ACTIVE} AND t.overdue_notified_at IS NOT NULL AND t.escalated_at IS NULL AND t.deleted_at IS NULL`.execute(ex);
}

export async function workspaceEscalationHours(ex: Executor, workspaceId: string): Promise<number | null> {
  const row = await ex.selectFrom('workspace').select('overdue_escalation_hours').where('id', '=', workspaceId).executeTakeFirst();
  return row?.overdue_escalation_hours ?? null;
}

export async function setWorkspaceEscalationHours(ex: Executor, workspaceId: string, hours: number | null): Promise<void> {
  await ex.updateTable('workspace').set({ overdue_escalation_hours: hours, updated_at: sql`now()`, version: sql`version + 1` }).where('id', '=', workspaceId).execute();
}

export async function workspaceTimezone(ex: Executor, workspaceId: string): Promise<string> {
  const row = await ex.selectFrom('workspace').select('timezone').where('id', '=', workspaceId).executeTakeFirst();
  return row?.timezone ?? 'UTC';
}

/** Earliest due time of an open task not yet reported overdue (the overdue scan's index). */
export async function nextOverdueAt(ex: Executor): Promise<Date | null> {
  const result = await sql<{ at: Date | null }>`SELECT min(t.due_at) AS at FROM task t WHERE ${ACTIVE} AND t.overdue_notified_at IS NULL AND t.deleted_at IS NULL`.execute(ex);
  return result.rows[0]?.at ?? null;
}

export async function nextEscalationAt(ex: Executor): Promise<Date | null> {
  const result = await sql<{ at: Date | null }>`
    SELECT min(t.escalate_at) AS at FROM task t WHERE ${ACTIVE} AND t.escalate_at IS NOT NULL AND t.escalated_at IS NULL AND t.deleted_at IS NULL`.execute(ex);
  return result.rows[0]?.at ?? null;
}

export async function nextSeriesRunAt(ex: Executor): Promise<Date | null> {
  const row = await ex
    .selectFrom('task_series')
    .select((eb) => eb.fn.min('next_run_at').as('at'))
    .where('next_run_at', 'is not', null)
    .where('ended_at', 'is', null)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return (row?.at as Date | null | undefined) ?? null;
}
