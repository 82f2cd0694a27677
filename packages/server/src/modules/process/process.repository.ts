import { sql, type Insertable, type Selectable } from 'kysely';
import type { AccessScope } from '../../core/access-scope.js';
import { executeRaw, type Executor } from '../../infra/db.js';
import type { ProcessDefinitionTable, ProcessEventTable, ProcessInstanceTable, ProcessStartTimerTable, ProcessTimerTable, ProcessTokenTable, ProcessUserTaskTable, ProcessVersionTable } from '../../infra/db-schema.js';

export type DefinitionRow = Selectable<ProcessDefinitionTable>;
export type VersionRow = Selectable<ProcessVersionTable>;
export type InstanceRow = Selectable<ProcessInstanceTable>;
export type TokenRow = Selectable<ProcessTokenTable>;
export type EventRow = Selectable<ProcessEventTable>;
export type TimerRow = Selectable<ProcessTimerTable>;
export type UserTaskRow = Selectable<ProcessUserTaskTable>;

// ——— definitions and versions ———

export async function listDefinitions(ex: Executor, workspaceId: string): Promise<(DefinitionRow & { running: number })[]> {
  return ex
    .selectFrom('process_definition as d')
    .selectAll('d')
    .select((eb) =>
      eb
        .selectFrom('process_instance as i')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('i.workspace_id', '=', 'd.workspace_id')
        .whereRef('i.definition_id', '=', 'd.id')
        .where('i.state', '=', 'running')
        .as('running'),
    )
    .where('d.workspace_id', '=', workspaceId)
    .where('d.deleted_at', 'is', null)
    .orderBy('d.name')
    .orderBy('d.id')
    .execute() as Promise<(DefinitionRow & { running: number })[]>;
}

export async function findDefinition(ex: Executor, workspaceId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<DefinitionRow | undefined> {
  let query = ex.selectFrom('process_definition').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function runningCount(ex: Executor, workspaceId: string, definitionId: string): Promise<number> {
  const row = await ex.selectFrom('process_instance').select(sql<number>`count(*)::int`.as('n')).where('workspace_id', '=', workspaceId).where('definition_id', '=', definitionId).where('state', '=', 'running').executeTakeFirstOrThrow();
  return row.n;
}

export async function insertDefinition(ex: Executor, row: Insertable<ProcessDefinitionTable>): Promise<DefinitionRow> {
  return ex.insertInto('process_definition').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateDefinition(
  ex: Executor,
  workspaceId: string,
  id: string,
  version: number | null,
  patch: { name?: string; description?: string | null; draft_xml?: string; latest_version?: number; start_triggers?: string; deleted_at?: Date },
  by: string,
): Promise<DefinitionRow | undefined> {
  let query = ex
    .updateTable('process_definition')
    .set({ ...patch, updated_by: by, updated_at: sql`now()`, version: sql`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null);
  if (version !== null) query = query.where('version', '=', version);
  return query.returningAll().executeTakeFirst();
}

export async function insertVersion(ex: Executor, row: Insertable<ProcessVersionTable>): Promise<void> {
  await ex.insertInto('process_version').values(row).execute();
}

export async function listVersions(ex: Executor, workspaceId: string, definitionId: string): Promise<(VersionRow & { deployed_by_name: string | null })[]> {
  return ex
    .selectFrom('process_version as v')
    .leftJoin('app_user as u', (join) => join.onRef('u.workspace_id', '=', 'v.workspace_id').onRef('u.id', '=', 'v.deployed_by'))
    .selectAll('v')
    .select('u.name as deployed_by_name')
    .where('v.workspace_id', '=', workspaceId)
    .where('v.definition_id', '=', definitionId)
    .orderBy('v.number', 'desc')
    .execute();
}

export async function findVersion(ex: Executor, workspaceId: string, definitionId: string, number: number): Promise<VersionRow | undefined> {
  return ex.selectFrom('process_version').selectAll().where('workspace_id', '=', workspaceId).where('definition_id', '=', definitionId).where('number', '=', number).executeTakeFirst();
}

export async function findVersionById(ex: Executor, workspaceId: string, id: string): Promise<VersionRow | undefined> {
  return ex.selectFrom('process_version').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Live definitions whose latest version starts on a CRM event. */
export async function triggeredDefinitions(ex: Executor, workspaceId: string): Promise<DefinitionRow[]> {
  return ex.selectFrom('process_definition').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).where(sql<boolean>`start_triggers <> '[]'::jsonb`).execute();
}

/** The latest versions of live definitions whose BPMN process has this id, the most recently deployed first. */
export async function versionsOfProcessId(ex: Executor, workspaceId: string, processId: string): Promise<(VersionRow & { definition_name: string })[]> {
  return ex
    .selectFrom('process_definition as d')
    .innerJoin('process_version as v', (join) => join.onRef('v.workspace_id', '=', 'd.workspace_id').onRef('v.definition_id', '=', 'd.id').onRef('v.number', '=', 'd.latest_version'))
    .selectAll('v')
    .select('d.name as definition_name')
    .where('d.workspace_id', '=', workspaceId)
    .where('d.deleted_at', 'is', null)
    .where('v.process_id', '=', processId)
    .orderBy('v.deployed_at', 'desc')
    .execute();
}

/** Instances started by call activities of these tokens that still have live work (one that threw its error out has none). */
export async function calledInstances(ex: Executor, workspaceId: string, tokenIds: string[]): Promise<InstanceRow[]> {
  if (tokenIds.length === 0) return [];
  return ex
    .selectFrom('process_instance as i')
    .selectAll('i')
    .where('i.workspace_id', '=', workspaceId)
    .where('i.parent_token_id', 'in', tokenIds)
    .where('i.state', 'in', ['running', 'suspended', 'failed'])
    .where(({ exists, selectFrom }) => exists(selectFrom('process_token as t').select('t.id').whereRef('t.workspace_id', '=', 'i.workspace_id').whereRef('t.instance_id', '=', 'i.id').where('t.state', 'in', ['waiting', 'failed'])))
    .forUpdate()
    .execute();
}

/** The instances a call activity of the instance started, oldest first. */
export async function childInstances(ex: Executor, workspaceId: string, parentId: string): Promise<(InstanceRow & { definition_name: string })[]> {
  return ex
    .selectFrom('process_instance as i')
    .innerJoin('process_definition as d', (join) => join.onRef('d.workspace_id', '=', 'i.workspace_id').onRef('d.id', '=', 'i.definition_id'))
    .selectAll('i')
    .select('d.name as definition_name')
    .where('i.workspace_id', '=', workspaceId)
    .where('i.parent_instance_id', '=', parentId)
    .orderBy('i.started_at')
    .orderBy('i.id')
    .execute();
}

/** Running instances whose version can wait for the signal, oldest first. */
export async function instancesCatching(ex: Executor, workspaceId: string, signal: string): Promise<string[]> {
  const rows = await ex
    .selectFrom('process_version as v')
    .innerJoin('process_instance as i', (join) => join.onRef('i.workspace_id', '=', 'v.workspace_id').onRef('i.definition_id', '=', 'v.definition_id').onRef('i.version_number', '=', 'v.number'))
    .select('i.id')
    .where('v.workspace_id', '=', workspaceId)
    .where(sql<boolean>`v.signals <> '{}' AND ${signal} = ANY(v.signals)`)
    .where('i.state', '=', 'running')
    .orderBy('i.started_at')
    .orderBy('i.id')
    .execute();
  return rows.map((row) => row.id);
}

// ——— instances ———

export async function insertInstance(ex: Executor, row: Insertable<ProcessInstanceTable>): Promise<InstanceRow> {
  return ex.insertInto('process_instance').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The instance, locked for a step when `forUpdate`: steps of one instance run one at a time across processes. */
export async function findInstance(ex: Executor, workspaceId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<InstanceRow | undefined> {
  let query = ex.selectFrom('process_instance').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function saveInstance(ex: Executor, workspaceId: string, id: string, patch: { state?: InstanceRow['state']; variables?: string; error?: string | null; ended_at?: Date | null }, by: string | null): Promise<InstanceRow> {
  return ex
    .updateTable('process_instance')
    .set({ ...patch, updated_by: by, updated_at: sql`now()`, version: sql`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface InstanceFilter {
  definitionId?: string | undefined;
  versionNumber?: number | undefined;
  state?: InstanceRow['state'] | undefined;
  recordType?: string | undefined;
  recordId?: string | undefined;
  startedFrom?: Date | undefined;
  startedTo?: Date | undefined;
}

function scoped<Q extends { where: (...args: never[]) => Q }>(query: Q, scope: AccessScope): Q {
  const q = query as unknown as { where(ref: string, op: string, value: unknown): Q; where(expression: unknown): Q };
  if (scope.kind === 'own') return q.where('i.owner_id', '=', scope.userId);
  if (scope.kind === 'teams') return q.where(sql<boolean>`(i.owner_id = ${scope.userId} OR i.team_id = ANY(${scope.teamIds}::uuid[]))`);
  return query;
}

export async function listInstances(ex: Executor, workspaceId: string, scope: AccessScope, filter: InstanceFilter, after: [string, string] | undefined, limit: number): Promise<(InstanceRow & { definition_name: string })[]> {
  let query = ex
    .selectFrom('process_instance as i')
    .innerJoin('process_definition as d', (join) => join.onRef('d.workspace_id', '=', 'i.workspace_id').onRef('d.id', '=', 'i.definition_id'))
    .selectAll('i')
    .select('d.name as definition_name')
    .where('i.workspace_id', '=', workspaceId);
  if (filter.definitionId) query = query.where('i.definition_id', '=', filter.definitionId);
  if (filter.versionNumber) query = query.where('i.version_number', '=', filter.versionNumber);
  if (filter.state) query = query.where('i.state', '=', filter.state);
  if (filter.recordType) query = query.where('i.record_type', '=', filter.recordType as InstanceRow['record_type'] & string);
  if (filter.recordId) query = query.where('i.record_id', '=', filter.recordId);
  if (filter.startedFrom) query = query.where('i.started_at', '>=', filter.startedFrom);
  if (filter.startedTo) query = query.where('i.started_at', '<', filter.startedTo);
  if (after) query = query.where(sql<boolean>`(i.started_at, i.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  return scoped(query, scope).orderBy('i.started_at', 'desc').orderBy('i.id', 'desc').limit(limit + 1).execute();
}

/** Whether the instance is within the scope (the card and actions on it). */
export function instanceInScope(scope: AccessScope, row: InstanceRow): boolean {
  if (scope.kind === 'all') return true;
  if (row.owner_id === scope.userId) return true;
  return scope.kind === 'teams' && row.team_id !== null && scope.teamIds.includes(row.team_id);
}

// ——— tokens, history ———

/** The tokens a step works with: waiting and failed ones. */
export async function liveTokens(ex: Executor, workspaceId: string, instanceId: string): Promise<TokenRow[]> {
  return ex.selectFrom('process_token').selectAll().where('workspace_id', '=', workspaceId).where('instance_id', '=', instanceId).where('state', 'in', ['active', 'waiting', 'failed']).orderBy('entered_at').orderBy('id').execute();
}

export async function allTokens(ex: Executor, workspaceId: string, instanceId: string): Promise<TokenRow[]> {
  return ex.selectFrom('process_token').selectAll().where('workspace_id', '=', workspaceId).where('instance_id', '=', instanceId).orderBy('entered_at').orderBy('id').execute();
}

export async function upsertTokens(ex: Executor, rows: Insertable<ProcessTokenTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await ex
    .insertInto('process_token')
    .values(rows)
    .onConflict((oc) => oc.columns(['workspace_id', 'id']).doUpdateSet((eb) => ({ state: eb.ref('excluded.state'), error: eb.ref('excluded.error'), left_at: eb.ref('excluded.left_at') })))
    .execute();
}

export async function insertEvents(ex: Executor, rows: Insertable<ProcessEventTable>[]): Promise<void> {
  if (rows.length > 0) await ex.insertInto('process_event').values(rows).execute();
}

export async function eventsOf(ex: Executor, workspaceId: string, instanceId: string): Promise<EventRow[]> {
  return ex.selectFrom('process_event').selectAll().where('workspace_id', '=', workspaceId).where('instance_id', '=', instanceId).orderBy('at').orderBy('id').limit(1000).execute();
}

/** Per element: tokens waiting there (active), failed there, and the mean time of those that left it; over one instance or a version. */
export async function elementMarks(ex: Executor, workspaceId: string, by: { instanceId: string } | { versionId: string }) {
  type Mark = { element_id: string; active: number; failed: number; done: number; mean_seconds: number | null };
  // A version's counters are kept by triggers (migration 0037): its map reads them instead of every token.
  const result =
    'versionId' in by
      ? await sql<Mark>`
    SELECT element_id, sum(active)::int AS active, sum(failed)::int AS failed, sum(done)::int AS done, (sum(done_seconds) / nullif(sum(done), 0))::float8 AS mean_seconds
    FROM process_element_stat
    WHERE workspace_id = ${workspaceId} AND version_id = ${by.versionId}
    GROUP BY element_id
    ORDER BY element_id`.execute(ex)
      : await sql<Mark>`
    SELECT t.element_id,
      count(*) FILTER (WHERE t.state = 'waiting' AND i.state IN ('running', 'suspended'))::int AS active,
      count(*) FILTER (WHERE t.state = 'failed')::int AS failed,
      count(*) FILTER (WHERE t.state = 'done')::int AS done,
      avg(extract(epoch FROM t.left_at - t.entered_at)) FILTER (WHERE t.state = 'done')::float8 AS mean_seconds
    FROM process_token t
    JOIN process_instance i ON i.workspace_id = t.workspace_id AND i.id = t.instance_id
    WHERE t.workspace_id = ${workspaceId} AND t.instance_id = ${by.instanceId}
    GROUP BY t.element_id
    ORDER BY t.element_id`.execute(ex);
  return result.rows;
}

// ——— timers and service runs (the due loop) ———

export async function insertTimers(ex: Executor, rows: Insertable<ProcessTimerTable>[]): Promise<void> {
  if (rows.length > 0) await ex.insertInto('process_timer').values(rows).execute();
}

/**
 * The work of tokens that are cancelled or left: their pending timers and service runs are dropped, and their open user
 * tasks answered for the caller to close — one round trip.
 */
export async function cancelTokenWork(ex: Executor, workspaceId: string, tokenIds: string[]): Promise<UserTaskRow[]> {
  if (tokenIds.length === 0) return [];
  return ex
    .with('dropped', (db) => db.deleteFrom('process_timer').where('workspace_id', '=', workspaceId).where('token_id', 'in', tokenIds).where('fired_at', 'is', null))
    .selectFrom('process_user_task')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('token_id', 'in', tokenIds)
    .where('status', '=', 'open')
    .execute();
}

/** Due items of running instances, claimed: a suspended instance's timers wait for its resume. */
export async function claimDueTimers(ex: Executor, now: Date, limit: number): Promise<TimerRow[]> {
  const result = await sql<TimerRow>`
    SELECT t.* FROM process_timer t
    WHERE t.fired_at IS NULL AND t.due_at <= ${now}
      AND EXISTS (SELECT 1 FROM process_instance i WHERE i.workspace_id = t.workspace_id AND i.id = t.instance_id AND i.state = 'running')
    ORDER BY t.due_at LIMIT ${limit}
    FOR UPDATE OF t SKIP LOCKED`.execute(ex);
  return result.rows;
}

export async function markTimer(ex: Executor, workspaceId: string, id: string, patch: { fired_at?: Date | null; due_at?: Date; attempts?: number; data?: string }): Promise<void> {
  await ex.updateTable('process_timer').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function findTimer(ex: Executor, workspaceId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<TimerRow | undefined> {
  const query = ex.selectFrom('process_timer').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export async function nextTimerAt(ex: Executor): Promise<Date | null> {
  const result = await sql<{ at: Date | null }>`
    SELECT min(t.due_at) AS at FROM process_timer t
    WHERE t.fired_at IS NULL AND EXISTS (SELECT 1 FROM process_instance i WHERE i.workspace_id = t.workspace_id AND i.id = t.instance_id AND i.state = 'running')`.execute(ex);
  const at = result.rows[0]?.at;
  return at ? new Date(at) : null;
}

/** The service runs of failed tokens, made due again by a retry. */
export async function requeueServiceRuns(ex: Executor, workspaceId: string, tokenIds: string[], now: Date): Promise<number> {
  if (tokenIds.length === 0) return 0;
  const result = await ex
    .updateTable('process_timer')
    .set({ fired_at: null, due_at: now, attempts: 0 })
    .where('workspace_id', '=', workspaceId)
    .where('token_id', 'in', tokenIds)
    .where('kind', '=', 'service')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ——— user tasks ———

export async function insertUserTask(ex: Executor, row: Insertable<ProcessUserTaskTable>): Promise<void> {
  await ex.insertInto('process_user_task').values(row).execute();
}

export async function userTasksOf(ex: Executor, workspaceId: string, instanceId: string): Promise<(UserTaskRow & { title: string | null; assignee_name: string | null })[]> {
  return ex
    .selectFrom('process_user_task as p')
    .leftJoin('task as t', (join) => join.onRef('t.workspace_id', '=', 'p.workspace_id').onRef('t.id', '=', 'p.task_id'))
    .leftJoin('app_user as u', (join) => join.onRef('u.workspace_id', '=', 'p.workspace_id').onRef('u.id', '=', 'p.assignee_id'))
    .selectAll('p')
    .select(['t.title', 'u.name as assignee_name'])
    .where('p.workspace_id', '=', workspaceId)
    .where('p.instance_id', '=', instanceId)
    .orderBy('p.created_at')
    .execute();
}

/** A row read through to_jsonb: its timestamps come back as text. */
function datesOf<T>(row: Record<string, unknown>, columns: string[]): T {
  const copy: Record<string, unknown> = { ...row };
  for (const column of columns) if (typeof copy[column] === 'string') copy[column] = new Date(copy[column]);
  return copy as T;
}

/**
 * Completing a user task of a locked instance, in one statement: its link is closed (done) when it is open and of this
 * instance, and the statement answers the link as it was, the live tokens (as liveTokens orders them) and the
 * definition's name. Run after the lock, so it sees the last step's commit; the caller's checks that fail roll it back.
 */
export async function closeUserTaskForStep(ex: Executor, workspaceId: string, instance: { id: string; definition_id: string }, taskId: string, now: Date): Promise<{ task: UserTaskRow | undefined; tokens: TokenRow[]; definitionName: string | null }> {
  const result = await sql<{ task: Record<string, unknown> | null; tokens: Record<string, unknown>[]; definition_name: string | null }>`
    WITH before AS (
      SELECT * FROM process_user_task WHERE workspace_id = ${workspaceId} AND task_id = ${taskId} FOR UPDATE
    ), closed AS (
      UPDATE process_user_task p SET status = 'done', completed_at = ${now} FROM before
      WHERE p.workspace_id = before.workspace_id AND p.task_id = before.task_id AND before.status = 'open' AND before.instance_id = ${instance.id}
    )
    SELECT
      (SELECT to_jsonb(before) FROM before) AS task,
      (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.entered_at, t.id), '[]'::jsonb) FROM process_token t
        WHERE t.workspace_id = ${workspaceId} AND t.instance_id = ${instance.id} AND t.state IN ('active', 'waiting', 'failed')) AS tokens,
      (SELECT d.name FROM process_definition d WHERE d.workspace_id = ${workspaceId} AND d.id = ${instance.definition_id} AND d.deleted_at IS NULL) AS definition_name`.execute(ex);
  const row = result.rows[0]!;
  return {
    task: row.task ? datesOf<UserTaskRow>(row.task, ['created_at', 'completed_at']) : undefined,
    tokens: row.tokens.map((token) => datesOf<TokenRow>(token, ['entered_at', 'left_at'])),
    definitionName: row.definition_name,
  };
}

export async function findUserTask(ex: Executor, workspaceId: string, taskId: string): Promise<UserTaskRow | undefined> {
  return ex.selectFrom('process_user_task').selectAll().where('workspace_id', '=', workspaceId).where('task_id', '=', taskId).executeTakeFirst();
}

export async function setUserTask(ex: Executor, workspaceId: string, taskId: string, patch: { status?: UserTaskRow['status']; completed_at?: Date | null; assignee_id?: string }): Promise<void> {
  await ex.updateTable('process_user_task').set(patch).where('workspace_id', '=', workspaceId).where('task_id', '=', taskId).execute();
}

/** Runs `work` under a savepoint: when it throws, its writes are undone and the transaction goes on (the step records the failure). */
export async function underSavepoint<T>(ex: Executor, work: () => Promise<T>): Promise<T> {
  await executeRaw(ex, 'SAVEPOINT process_work', []);
  try {
    const result = await work();
    await executeRaw(ex, 'RELEASE SAVEPOINT process_work', []);
    return result;
  } catch (error) {
    await executeRaw(ex, 'ROLLBACK TO SAVEPOINT process_work', []);
    throw error;
  }
}

/** Who got the element's last user task in this definition: a role's users take turns. */
export async function lastAssignee(ex: Executor, workspaceId: string, definitionId: string, elementId: string): Promise<string | null> {
  const row = await ex
    .selectFrom('process_user_task as p')
    .innerJoin('process_instance as i', (join) => join.onRef('i.workspace_id', '=', 'p.workspace_id').onRef('i.id', '=', 'p.instance_id'))
    .select('p.assignee_id')
    .where('p.workspace_id', '=', workspaceId)
    .where('i.definition_id', '=', definitionId)
    .where('p.element_id', '=', elementId)
    .orderBy('p.created_at', 'desc')
    // Task ids are time-ordered: the tie-break among tasks made at the same moment.
    .orderBy('p.task_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.assignee_id ?? null;
}

// ——— timer start events ———

export type StartTimerRow = Selectable<ProcessStartTimerTable>;

export async function insertStartTimers(ex: Executor, rows: Insertable<ProcessStartTimerTable>[]): Promise<void> {
  if (rows.length > 0) await ex.insertInto('process_start_timer').values(rows).execute();
}

/** A new version (or a deletion) replaces the definition's pending start timers. */
export async function voidStartTimers(ex: Executor, workspaceId: string, definitionId: string, now: Date): Promise<void> {
  await ex.updateTable('process_start_timer').set({ fired_at: now }).where('workspace_id', '=', workspaceId).where('definition_id', '=', definitionId).where('fired_at', 'is', null).execute();
}

export async function claimDueStartTimers(ex: Executor, now: Date, limit: number): Promise<StartTimerRow[]> {
  return ex.selectFrom('process_start_timer').selectAll().where('fired_at', 'is', null).where('due_at', '<=', now).orderBy('due_at').limit(limit).forUpdate().skipLocked().execute();
}

export async function markStartTimer(ex: Executor, workspaceId: string, id: string, firedAt: Date): Promise<void> {
  await ex.updateTable('process_start_timer').set({ fired_at: firedAt }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function nextStartTimerAt(ex: Executor): Promise<Date | null> {
  const row = await ex.selectFrom('process_start_timer').select((eb) => eb.fn.min('due_at').as('at')).where('fired_at', 'is', null).executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

// ——— migration to another version ———

/** Moves the instance's live tokens, their pending timers and open tasks to other elements (`moves`: token id → element). */
export async function moveTokens(ex: Executor, workspaceId: string, moves: { tokenId: string; from: string; to: string }[], timerMoves: Map<string, string | null>): Promise<void> {
  for (const move of moves) {
    await ex.updateTable('process_token').set({ element_id: move.to }).where('workspace_id', '=', workspaceId).where('id', '=', move.tokenId).execute();
    await ex.updateTable('process_user_task').set({ element_id: move.to }).where('workspace_id', '=', workspaceId).where('token_id', '=', move.tokenId).where('status', '=', 'open').execute();
  }
  const tokenIds = moves.map((move) => move.tokenId);
  if (tokenIds.length === 0) return;
  const timers = await ex.selectFrom('process_timer').select(['id', 'element_id']).where('workspace_id', '=', workspaceId).where('token_id', 'in', tokenIds).where('fired_at', 'is', null).execute();
  for (const timer of timers) {
    const to = timerMoves.get(timer.element_id);
    if (to) await ex.updateTable('process_timer').set({ element_id: to }).where('workspace_id', '=', workspaceId).where('id', '=', timer.id).execute();
    else await ex.deleteFrom('process_timer').where('workspace_id', '=', workspaceId).where('id', '=', timer.id).execute();
  }
}

export async function setInstanceVersion(ex: Executor, workspaceId: string, id: string, versionId: string, number: number, by: string): Promise<InstanceRow> {
  return ex
    .updateTable('process_instance')
    .set({ version_id: versionId, version_number: number, updated_by: by, updated_at: sql`now()`, version: sql`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
