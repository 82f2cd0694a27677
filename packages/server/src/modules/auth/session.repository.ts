import type { FieldRules, PermissionMatrix } from '@rapport/shared';
import { sql, type Insertable } from 'kysely';
import { PREPARED, type Executor } from '../../infra/db.js';
import type { SessionTable } from '../../infra/db-schema.js';

export async function insertSession(ex: Executor, row: Insertable<SessionTable>): Promise<void> {
  await ex.insertInto('session').values(row).execute();
}

export async function touchSession(ex: Executor, id: string, now: Date, expiresAt: Date): Promise<void> {
  await ex.updateTable('session').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(ex: Executor, id: string): Promise<void> {
  await ex.deleteFrom('session').where('id', '=', id).execute();
}

export async function deleteUserSessions(ex: Executor, workspaceId: string, userId: string): Promise<void> {
  await ex.deleteFrom('session').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
}

export async function deleteExpiredSessions(ex: Executor, now: Date): Promise<number> {
  const result = await ex.deleteFrom('session').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface SessionPrincipalRow {
  id: string;
  csrf_token: string;
  expires_at: Date;
  last_seen_at: Date;
  workspace_id: string;
  user_id: string;
  name: string;
  email: string;
  locale: 'en' | 'ru';
  role_id: string;
  team_id: string | null;
  permissions: PermissionMatrix;
  field_rules: FieldRules;
  team_tree: string[] | null;
}

/**
 * Every request resolves its session, so the session, its active user, the role's rights and the user's team subtree
 * come back in one round trip instead of five (this read joins the user, role and team tables on purpose).
 */
export async function findSessionPrincipal(ex: Executor, id: string): Promise<SessionPrincipalRow | undefined> {
  const result = await sql<SessionPrincipalRow>`${sql.raw(PREPARED)}
    SELECT s.id, s.csrf_token, s.expires_at, s.last_seen_at,
           u.workspace_id, u.id AS user_id, u.name, u.email, u.locale, u.role_id, u.team_id,
           r.permissions, r.field_rules, tree.ids AS team_tree
    FROM session s
    JOIN app_user u ON u.workspace_id = s.workspace_id AND u.id = s.user_id AND u.deleted_at IS NULL AND u.status = 'active'
    JOIN role r ON r.workspace_id = u.workspace_id AND r.id = u.role_id AND r.deleted_at IS NULL
    LEFT JOIN LATERAL (
      WITH RECURSIVE sub (id) AS (
        SELECT t.id FROM team t WHERE t.workspace_id = u.workspace_id AND t.id = u.team_id AND t.deleted_at IS NULL
        UNION
        SELECT c.id FROM team c JOIN sub ON c.parent_id = sub.id WHERE c.workspace_id = u.workspace_id AND c.deleted_at IS NULL
      )
      SELECT array_agg(sub.id) AS ids FROM sub
    ) tree ON true
    WHERE s.id = ${id}`.execute(ex);
  return result.rows[0];
}

/** The signed-in user's own profile with the names of their role, team and workspace (GET /auth/me). */
export async function findMeView(ex: Executor, workspaceId: string, userId: string) {
  return ex
    .selectFrom('app_user as u')
    .innerJoin('workspace as w', 'w.id', 'u.workspace_id')
    .innerJoin('role as r', (join) => join.onRef('r.workspace_id', '=', 'u.workspace_id').onRef('r.id', '=', 'u.role_id'))
    .leftJoin('team as t', (join) => join.onRef('t.workspace_id', '=', 'u.workspace_id').onRef('t.id', '=', 'u.team_id'))
    .select(['u.email', 'u.locale', 'u.notify_email', 'r.name as role_name', 't.name as team_name', 'w.id as workspace_id', 'w.name as workspace_name', 'w.currency', 'w.timezone'])
    .where('u.workspace_id', '=', workspaceId)
    .where('u.id', '=', userId)
    .executeTakeFirst();
}
