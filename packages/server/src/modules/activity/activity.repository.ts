import type { ActivityKind, ActivityStatus, ClientObject } from '@rapport/shared';
import { sql, type Insertable, type Selectable, type SqlBool, type Updateable } from 'kysely';
import type { AccessScope } from '../../core/access-scope.js';
import type { Executor } from '../../infra/db.js';
import type { ActivityTable } from '../../infra/db-schema.js';

export type ActivityRow = Selectable<ActivityTable>;

/** The activity scope as SQL; internal participants see the activities they take part in, whatever their scope. */
function visibleTo(scope: AccessScope): ReturnType<typeof sql<SqlBool>> {
  const participant = (userId: string) => sql<SqlBool>`EXISTS (SELECT 1 FROM activity_participant p WHERE p.workspace_id = a.workspace_id AND p.activity_id = a.id AND p.user_id = ${userId})`;
  if (scope.kind === 'all') return sql<SqlBool>`true`;
  if (scope.kind === 'own' || scope.teamIds.length === 0) return sql<SqlBool>`(a.owner_id = ${scope.userId} OR ${participant(scope.userId)})`;
  return sql<SqlBool>`(a.owner_id = ${scope.userId} OR a.team_id = ANY(${scope.teamIds}::uuid[]) OR ${participant(scope.userId)})`;
}

export async function insertActivity(ex: Executor, row: Insertable<ActivityTable>): Promise<void> {
  await ex.insertInto('activity').values(row).execute();
}

export async function findActivity(ex: Executor, workspaceId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<ActivityRow | undefined> {
  const query = ex.selectFrom('activity').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export async function updateActivityRow(ex: Executor, workspaceId: string, id: string, version: number, patch: Updateable<ActivityTable>): Promise<ActivityRow | undefined> {
  return ex
    .updateTable('activity')
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function softDeleteActivity(ex: Executor, workspaceId: string, id: string, version: number, by: string): Promise<boolean> {
  const result = await ex
    .updateTable('activity')
    .set({ deleted_at: sql`now()`, updated_by: by, updated_at: sql`now()`, version: sql`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Links take the activity's time, so each record's timeline index orders them without a join. */
export async function addLinks(ex: Executor, workspaceId: string, activityId: string, links: { object: ClientObject; id: string }[]): Promise<void> {
  if (links.length === 0) return;
  await sql`
    INSERT INTO activity_link (workspace_id, activity_id, subject_type, subject_id, occurred_at)
    SELECT a.workspace_id, a.id, l.subject_type, l.subject_id, a.occurred_at
    FROM activity a, unnest(${links.map((link) => link.object)}::text[], ${links.map((link) => link.id)}::uuid[]) AS l (subject_type, subject_id)
    WHERE a.workspace_id = ${workspaceId} AND a.id = ${activityId}
    ON CONFLICT DO NOTHING`.execute(ex);
}

export async function removeLinks(ex: Executor, workspaceId: string, activityId: string, links: { object: ClientObject; id: string }[]): Promise<void> {
  for (const link of links) {
    await ex.deleteFrom('activity_link').where('workspace_id', '=', workspaceId).where('activity_id', '=', activityId).where('subject_type', '=', link.object).where('subject_id', '=', link.id).execute();
  }
}

export async function retimeLinks(ex: Executor, workspaceId: string, activityId: string, occurredAt: Date): Promise<void> {
  await ex.updateTable('activity_link').set({ occurred_at: occurredAt }).where('workspace_id', '=', workspaceId).where('activity_id', '=', activityId).execute();
}

/**
 * The records activities are on, with what deciding their visibility needs (owner, team, deleted) and their names.
 * One join per object (by primary key) rather than a union of the tables, which the planner would hash whole.
 */
export async function linksOf(ex: Executor, workspaceId: string, activityIds: string[]) {
  if (activityIds.length === 0) return [];
  const result = await sql<{ activity_id: string; object: ClientObject; id: string; title: string | null; owner_id: string | null; team_id: string | null; deleted: boolean }>`
    SELECT l.activity_id, l.subject_type AS object, l.subject_id AS id,
      coalesce(co.name, ct.full_name, ld.name, dl.title) AS title,
      coalesce(co.owner_id, ct.owner_id, ld.owner_id, dl.owner_id) AS owner_id,
      coalesce(co.team_id, ct.team_id, ld.team_id, dl.team_id) AS team_id,
      coalesce(co.id, ct.id, ld.id, dl.id) IS NULL OR coalesce(co.deleted_at, ct.deleted_at, ld.deleted_at, dl.deleted_at) IS NOT NULL AS deleted
    FROM activity_link l
    LEFT JOIN company co ON l.subject_type = 'company' AND co.workspace_id = l.workspace_id AND co.id = l.subject_id
    LEFT JOIN contact ct ON l.subject_type = 'contact' AND ct.workspace_id = l.workspace_id AND ct.id = l.subject_id
    LEFT JOIN lead ld ON l.subject_type = 'lead' AND ld.workspace_id = l.workspace_id AND ld.id = l.subject_id
    LEFT JOIN deal dl ON l.subject_type = 'deal' AND dl.workspace_id = l.workspace_id AND dl.id = l.subject_id
    WHERE l.workspace_id = ${workspaceId} AND l.activity_id = ANY(${activityIds}::uuid[])
    ORDER BY l.subject_type, 4`.execute(ex);
  return result.rows;
}

export async function participantsOf(ex: Executor, workspaceId: string, activityIds: string[]) {
  if (activityIds.length === 0) return [];
  return ex
    .selectFrom('activity_participant as p')
    .leftJoin('app_user as u', (join) => join.onRef('u.workspace_id', '=', 'p.workspace_id').onRef('u.id', '=', 'p.user_id'))
    .select(['p.activity_id', 'p.user_id', 'u.name'])
    .where('p.workspace_id', '=', workspaceId)
    .where('p.activity_id', 'in', activityIds)
    .orderBy('u.name')
    .execute();
}

export async function setParticipants(ex: Executor, workspaceId: string, activityId: string, userIds: string[]): Promise<void> {
  await ex.deleteFrom('activity_participant').where('workspace_id', '=', workspaceId).where('activity_id', '=', activityId).execute();
  if (userIds.length > 0) await ex.insertInto('activity_participant').values(userIds.map((userId) => ({ workspace_id: workspaceId, activity_id: activityId, user_id: userId }))).execute();
}

/** Active users of the workspace among `ids`, with their teams. */
export async function activeUsers(ex: Executor, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return ex.selectFrom('app_user').select(['id', 'team_id']).where('workspace_id', '=', workspaceId).where('id', 'in', ids).where('status', '=', 'active').where('deleted_at', 'is', null).execute();
}

export async function activitiesByIds(ex: Executor, workspaceId: string, ids: string[]): Promise<ActivityRow[]> {
  if (ids.length === 0) return [];
  return ex.selectFrom('activity').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
}

export interface ActivityListParams {
  workspaceId: string;
  scope: AccessScope;
  kind: ActivityKind | undefined;
  status: ActivityStatus | undefined;
  ownerId: string | undefined;
  from: string | undefined;
  to: string | undefined;
  after: [string, string] | undefined;
  limit: number;
}

/** Activities in the actor's scope, newest first, `limit + 1` rows; the cursor is (time with microseconds, id). */
export async function listActivities(ex: Executor, p: ActivityListParams) {
  const conditions = [sql<SqlBool>`a.workspace_id = ${p.workspaceId}`, sql<SqlBool>`a.deleted_at IS NULL`, visibleTo(p.scope)];
  if (p.kind) conditions.push(sql<SqlBool>`a.kind = ${p.kind}`);
  if (p.status) conditions.push(sql<SqlBool>`a.status = ${p.status}`);
  if (p.ownerId) conditions.push(sql<SqlBool>`a.owner_id = ${p.ownerId}`);
  if (p.from) conditions.push(sql<SqlBool>`a.occurred_at >= ${p.from}::timestamptz`);
  if (p.to) conditions.push(sql<SqlBool>`a.occurred_at < ${p.to}::timestamptz`);
  if (p.after) conditions.push(sql<SqlBool>`(a.occurred_at, a.id) < (${p.after[0]}::timestamptz, ${p.after[1]}::uuid)`);
  const result = await sql<ActivityRow & { at_key: string }>`
    SELECT a.*, to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key FROM activity a
    WHERE ${sql.join(conditions, sql` AND `)}
    ORDER BY a.occurred_at DESC, a.id DESC LIMIT ${p.limit + 1}`.execute(ex);
  return result.rows;
}

/** Whether the actor's scope (or taking part) covers one activity: the SQL rule of lists, for a loaded row. */
export async function isVisible(ex: Executor, workspaceId: string, id: string, scope: AccessScope): Promise<boolean> {
  const result = await sql<{ ok: boolean }>`SELECT ${visibleTo(scope)} AS ok FROM activity a WHERE a.workspace_id = ${workspaceId} AND a.id = ${id}`.execute(ex);
  return result.rows[0]?.ok === true;
}
