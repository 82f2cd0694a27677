import type { Insertable } from 'kysely';
import type { AccessScope } from '../../core/access-scope.js';
import type { Executor } from '../../infra/db.js';
import type { ApiKeyTable } from '../../infra/db-schema.js';

export async function insertApiKey(ex: Executor, row: Insertable<ApiKeyTable>): Promise<void> {
  await ex.insertInto('api_key').values(row).execute();
}

export async function findApiKeyByPrefix(ex: Executor, prefix: string) {
  return ex.selectFrom('api_key').selectAll().where('prefix', '=', prefix).executeTakeFirst();
}

/** Keys are owned by their user: own = the actor's keys; teams = keys of users in those teams. */
export async function listApiKeys(ex: Executor, workspaceId: string, scope: AccessScope) {
  let query = ex
    .selectFrom('api_key as k')
    .innerJoin('app_user as u', (join) => join.onRef('u.workspace_id', '=', 'k.workspace_id').onRef('u.id', '=', 'k.user_id'))
    .selectAll('k')
    .select('u.team_id')
    .where('k.workspace_id', '=', workspaceId);
  if (scope.kind === 'own') query = query.where('k.user_id', '=', scope.userId);
  if (scope.kind === 'teams') {
    const { teamIds, userId } = scope;
    query = query.where((eb) => eb.or([eb('k.user_id', '=', userId), ...(teamIds.length > 0 ? [eb('u.team_id', 'in', teamIds)] : [])]));
  }
  return query.orderBy('k.created_at', 'desc').orderBy('k.id', 'desc').execute();
}

export async function findApiKey(ex: Executor, workspaceId: string, id: string) {
  return ex
    .selectFrom('api_key as k')
    .innerJoin('app_user as u', (join) => join.onRef('u.workspace_id', '=', 'k.workspace_id').onRef('u.id', '=', 'k.user_id'))
    .selectAll('k')
    .select('u.team_id')
    .where('k.workspace_id', '=', workspaceId)
    .where('k.id', '=', id)
    .executeTakeFirst();
}

export async function revokeApiKey(ex: Executor, workspaceId: string, id: string, now: Date): Promise<void> {
  await ex.updateTable('api_key').set({ revoked_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

export async function touchApiKey(ex: Executor, workspaceId: string, id: string, now: Date): Promise<void> {
  await ex.updateTable('api_key').set({ last_used_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}
