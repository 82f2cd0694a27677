import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { RobotRunTable, StageRuleTable } from '../../infra/db-schema.js';

export type StageRuleRow = Selectable<StageRuleTable>;
export type RobotRunRow = Selectable<RobotRunTable>;

/** A stage's live rules in the order they run. */
export async function rulesOfStage(ex: Executor, workspaceId: string, stageId: string): Promise<StageRuleRow[]> {
  return ex.selectFrom('stage_rule').selectAll().where('workspace_id', '=', workspaceId).where('stage_id', '=', stageId).where('deleted_at', 'is', null).orderBy('position').orderBy('id').execute();
}

/** A rule, also a deleted one (its runs keep running what was queued before the deletion). */
export async function findRule(ex: Executor, workspaceId: string, id: string, options: { forUpdate?: boolean; withDeleted?: boolean } = {}): Promise<StageRuleRow | undefined> {
  let query = ex.selectFrom('stage_rule').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id);
  if (!options.withDeleted) query = query.where('deleted_at', 'is', null);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function nextRulePosition(ex: Executor, workspaceId: string, stageId: string): Promise<number> {
  const row = await ex.selectFrom('stage_rule').select((eb) => eb.fn.max('position').as('max')).where('workspace_id', '=', workspaceId).where('stage_id', '=', stageId).where('deleted_at', 'is', null).executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

export async function insertRule(ex: Executor, row: Insertable<StageRuleTable>): Promise<StageRuleRow> {
  return ex.insertInto('stage_rule').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateRule(
  ex: Executor,
  workspaceId: string,
  id: string,
  version: number,
  patch: { name?: string; trigger?: StageRuleRow['trigger']; idle_hours?: number | null; condition?: string | null; actions?: string; deleted_at?: Date },
  by: string,
): Promise<StageRuleRow | undefined> {
  return ex
    .updateTable('stage_rule')
    .set({ ...patch, updated_by: by, updated_at: sql`now()`, version: sql`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Deals that have stayed in a stage with an idle rule for its hours without activity (neither moved nor touched), and
 * whose current stay the rule has not started on yet.
 */
export async function idleDeals(ex: Executor, now: Date, limit: number) {
  const result = await sql<{ workspace_id: string; rule_id: string; deal_id: string; entry_id: string }>`
    SELECT r.workspace_id, r.id AS rule_id, d.id AS deal_id, h.id AS entry_id
    FROM stage_rule r
    JOIN deal d ON d.workspace_id = r.workspace_id AND d.stage_id = r.stage_id AND d.deleted_at IS NULL
    JOIN deal_stage_history h ON h.workspace_id = d.workspace_id AND h.deal_id = d.id AND h.left_at IS NULL
    WHERE r.trigger = 'idle_hours' AND r.deleted_at IS NULL
      AND greatest(d.stage_entered_at, coalesce(d.last_activity_at, d.stage_entered_at)) <= ${now}::timestamptz - make_interval(hours => r.idle_hours)
      AND NOT EXISTS (SELECT 1 FROM robot_run x WHERE x.workspace_id = r.workspace_id AND x.rule_id = r.id AND x.stage_entry_id = h.id AND x.action_index = 0)
    ORDER BY r.workspace_id, r.id, d.id
    LIMIT ${limit}`.execute(ex);
  return result.rows;
}

/** A new run, unless this (rule, stage entry, action) already has one: the key that makes a run happen once. */
export async function insertRun(ex: Executor, row: Insertable<RobotRunTable>): Promise<boolean> {
  const inserted = await ex
    .insertInto('robot_run')
    .values(row)
    .onConflict((oc) => oc.columns(['workspace_id', 'rule_id', 'stage_entry_id', 'action_index']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Takes a queued run (or one whose worker died mid-way) for an attempt; undefined when it is finished or gone. */
export async function claimRun(ex: Executor, workspaceId: string, id: string, now: Date): Promise<RobotRunRow | undefined> {
  return ex
    .updateTable('robot_run')
    .set({ status: 'running', attempts: sql`attempts + 1`, started_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .returningAll()
    .executeTakeFirst();
}

export async function finishRun(ex: Executor, workspaceId: string, id: string, patch: { status: 'done' | 'failed' | 'queued'; error: string | null; result?: Record<string, unknown> | null; finished_at: Date | null }): Promise<void> {
  await ex
    .updateTable('robot_run')
    .set({ status: patch.status, error: patch.error, finished_at: patch.finished_at, ...(patch.result !== undefined ? { result: patch.result === null ? null : JSON.stringify(patch.result) } : {}) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** A deal's runs, newest first, with their rule's name. */
export async function runsOfDeal(ex: Executor, workspaceId: string, dealId: string, limit: number) {
  return ex
    .selectFrom('robot_run as r')
    .innerJoin('stage_rule as s', (join) => join.onRef('s.workspace_id', '=', 'r.workspace_id').onRef('s.id', '=', 'r.rule_id'))
    .selectAll('r')
    .select('s.name as rule_name')
    .where('r.workspace_id', '=', workspaceId)
    .where('r.deal_id', '=', dealId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.rule_id')
    .orderBy('r.action_index', 'desc')
    .limit(limit)
    .execute();
}

/** The user a rule's action gave the previous task to, for handing the next one to the role's next user. */
export async function lastAssignee(ex: Executor, workspaceId: string, ruleId: string, actionIndex: number): Promise<string | null> {
  const row = await ex
    .selectFrom('robot_run')
    .select(sql<string | null>`result->>'assigneeId'`.as('assignee'))
    .where('workspace_id', '=', workspaceId)
    .where('rule_id', '=', ruleId)
    .where('action_index', '=', actionIndex)
    .where('status', '=', 'done')
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.assignee ?? null;
}

/** Active users holding a role, in a stable order for round-robin. */
export async function usersOfRole(ex: Executor, workspaceId: string, roleId: string): Promise<string[]> {
  const rows = await ex.selectFrom('app_user').select('id').where('workspace_id', '=', workspaceId).where('role_id', '=', roleId).where('status', '=', 'active').where('deleted_at', 'is', null).orderBy('id').execute();
  return rows.map((row) => row.id);
}
