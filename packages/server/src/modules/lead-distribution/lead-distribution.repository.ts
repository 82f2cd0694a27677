import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { LeadAssignmentTable, LeadDistributionRuleTable } from '../../infra/db-schema.js';

export type RuleRow = Selectable<LeadDistributionRuleTable>;
export type AssignmentRow = Selectable<LeadAssignmentTable>;

/** Live rules in the order they are tried. */
export async function listRules(ex: Executor, workspaceId: string, onlyEnabled = false): Promise<RuleRow[]> {
  let query = ex.selectFrom('lead_distribution_rule').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null);
  if (onlyEnabled) query = query.where('enabled', '=', true);
  return query.orderBy('position').orderBy('id').execute();
}

/** A live rule; locked when its round-robin pointer or its place in the order is about to change. */
export async function findRule(ex: Executor, workspaceId: string, id: string, forUpdate = false): Promise<RuleRow | undefined> {
  let query = ex.selectFrom('lead_distribution_rule').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null);
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Locks every live rule of the workspace, so a new rule's place or a new order is decided by one writer at a time. */
export async function lockRules(ex: Executor, workspaceId: string): Promise<RuleRow[]> {
  return ex.selectFrom('lead_distribution_rule').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).orderBy('position').orderBy('id').forUpdate().execute();
}

export async function insertRule(ex: Executor, row: Insertable<LeadDistributionRuleTable>): Promise<RuleRow> {
  return ex.insertInto('lead_distribution_rule').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Optimistic update: nothing changes (and undefined comes back) unless the version still matches. */
export async function updateRule(ex: Executor, workspaceId: string, id: string, version: number, patch: Updateable<LeadDistributionRuleTable>, by: string): Promise<RuleRow | undefined> {
  return ex
    .updateTable('lead_distribution_rule')
    .set({ ...patch, updated_by: by, updated_at: new Date(), version: (eb) => eb('version', '+', 1) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** A rule's place in the order; the order is not an edit of the rule, so its version stays. */
export async function setPosition(ex: Executor, workspaceId: string, id: string, position: number): Promise<void> {
  await ex.updateTable('lead_distribution_rule').set({ position }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function setRuleLastAssignee(ex: Executor, workspaceId: string, id: string, userId: string): Promise<void> {
  await ex.updateTable('lead_distribution_rule').set({ last_assignee_id: userId }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function insertAssignment(ex: Executor, row: Insertable<LeadAssignmentTable>): Promise<void> {
  await ex.insertInto('lead_assignment').values(row).execute();
}

/**
 * Distributed leads whose reassignment time has come, each with what tells whether someone took it: the lead's status
 * and owner, the callback task's status, and whether its owner has logged an activity (a note, call, meeting…) on it.
 */
export async function claimDueAssignments(ex: Executor, now: Date, limit: number) {
  const result = await sql<AssignmentRow & { lead_status: string | null; lead_owner_id: string | null; lead_name: string | null; task_status: string | null; task_due_at: Date | null; owner_logged: boolean }>`
    SELECT a.*, l.status AS lead_status, l.owner_id AS lead_owner_id, l.name AS lead_name, t.status AS task_status, t.due_at AS task_due_at,
      EXISTS (
        SELECT 1 FROM activity_link k JOIN activity v ON v.workspace_id = k.workspace_id AND v.id = k.activity_id
        WHERE k.workspace_id = a.workspace_id AND k.subject_type = 'lead' AND k.subject_id = a.lead_id
          AND v.deleted_at IS NULL AND v.author_id = a.owner_id
      ) AS owner_logged
    FROM lead_assignment a
    LEFT JOIN lead l ON l.workspace_id = a.workspace_id AND l.id = a.lead_id AND l.deleted_at IS NULL
    LEFT JOIN task t ON t.workspace_id = a.workspace_id AND t.id = a.task_id AND t.deleted_at IS NULL
    WHERE a.reassign_at IS NOT NULL AND a.reassign_at <= ${now}
    ORDER BY a.reassign_at LIMIT ${limit} FOR UPDATE OF a SKIP LOCKED`.execute(ex);
  return result.rows;
}

export async function nextReassignAt(ex: Executor): Promise<Date | null> {
  const row = await ex.selectFrom('lead_assignment').select((eb) => eb.fn.min('reassign_at').as('at')).where('reassign_at', 'is not', null).executeTakeFirst();
  return row?.at ? new Date(row.at as Date) : null;
}

export async function updateAssignment(ex: Executor, workspaceId: string, leadId: string, patch: Updateable<LeadAssignmentTable>): Promise<void> {
  await ex.updateTable('lead_assignment').set(patch).where('workspace_id', '=', workspaceId).where('lead_id', '=', leadId).execute();
}

/** Moves a lead to a new owner (the reassignment loop: not an edit by a person, so `updated_by` stays). */
export async function setLeadOwner(ex: Executor, workspaceId: string, leadId: string, ownerId: string, teamId: string | null): Promise<void> {
  await ex.updateTable('lead').set({ owner_id: ownerId, team_id: teamId, version: sql`version + 1`, updated_at: sql`now()` }).where('workspace_id', '=', workspaceId).where('id', '=', leadId).execute();
}

/** Moves the callback task to the new owner and due time, with its overdue notice to come again. */
export async function moveTask(ex: Executor, workspaceId: string, taskId: string, ownerId: string, teamId: string | null, dueAt: Date): Promise<void> {
  await ex
    .updateTable('task')
    .set({ owner_id: ownerId, team_id: teamId, due_at: dueAt, overdue_notified_at: null, escalate_at: null, escalated_at: null, version: sql`version + 1`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', taskId)
    .execute();
}
