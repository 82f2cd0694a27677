import type { Filter } from '@rapport/shared';
import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { AccessScope } from '../../core/access-scope.js';
import type { Executor } from '../../infra/db.js';
import type { AppUserTable, UserTokenTable } from '../../infra/db-schema.js';
import { filterExpression, type FilterColumns } from '../../infra/filter-sql.js';

const FILTER_COLUMNS: FilterColumns = {
  id: 'u.id',
  name: 'u.name',
  email: 'u.email',
  status: 'u.status',
  roleId: 'u.role_id',
  teamId: 'u.team_id',
  createdAt: 'u.created_at',
};

export async function findUser(ex: Executor, workspaceId: string, id: string) {
  return ex.selectFrom('app_user').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/** `forUpdate` locks the row until the caller's transaction ends (login attempts must count one after another). */
export async function findUserByEmail(ex: Executor, email: string, options: { forUpdate?: boolean } = {}) {
  const query = ex
    .selectFrom('app_user')
    .selectAll()
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .where('deleted_at', 'is', null);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

/** Users visible in the scope: own = the user alone; teams = members of those teams (and the user). */
export async function listUsers(ex: Executor, workspaceId: string, scope: AccessScope, filter: Filter | undefined, limit: number, after: [string, string] | undefined) {
  let query = ex.selectFrom('app_user as u').selectAll('u').where('u.workspace_id', '=', workspaceId).where('u.deleted_at', 'is', null);
  if (scope.kind === 'own') query = query.where('u.id', '=', scope.userId);
  if (scope.kind === 'teams') {
    const { teamIds, userId } = scope;
    query = query.where((eb) => eb.or([eb('u.id', '=', userId), ...(teamIds.length > 0 ? [eb('u.team_id', 'in', teamIds)] : [])]));
  }
  if (filter) query = query.where(filterExpression(filter, FILTER_COLUMNS));
  if (after) {
    const [name, id] = after;
    query = query.where((eb) => eb.or([eb('u.name', '>', name), eb.and([eb('u.name', '=', name), eb('u.id', '>', id)])]));
  }
  return query.orderBy('u.name').orderBy('u.id').limit(limit + 1).execute();
}

export async function insertUser(ex: Executor, row: Insertable<AppUserTable>): Promise<void> {
  await ex.insertInto('app_user').values(row).execute();
}

export async function updateUser(ex: Executor, workspaceId: string, id: string, version: number | null, patch: Updateable<AppUserTable>) {
  let query = ex
    .updateTable('app_user')
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null);
  if (version !== null) query = query.where('version', '=', version);
  return query.returningAll().executeTakeFirst();
}

/** Login bookkeeping that must not bump the record version users edit. */
export async function recordLoginAttempt(ex: Executor, workspaceId: string, id: string, patch: Pick<Updateable<AppUserTable>, 'failed_logins' | 'locked_until' | 'last_login_at'>): Promise<void> {
  await ex.updateTable('app_user').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function countUsers(ex: Executor): Promise<number> {
  const row = await ex.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertToken(ex: Executor, row: Insertable<UserTokenTable>): Promise<void> {
  await ex.insertInto('user_token').values(row).execute();
}

/** Marks a valid token used and returns it; undefined if unknown, expired or already used. */
export async function consumeToken(ex: Executor, id: string, purpose: UserTokenTable['purpose'], now: Date) {
  return ex
    .updateTable('user_token')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}

export async function peekToken(ex: Executor, id: string, purpose: UserTokenTable['purpose'], now: Date) {
  return ex.selectFrom('user_token').selectAll().where('id', '=', id).where('purpose', '=', purpose).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
}

export async function expireTokens(ex: Executor, workspaceId: string, userId: string, purpose: UserTokenTable['purpose'], now: Date): Promise<void> {
  await ex.updateTable('user_token').set({ used_at: now }).where('workspace_id', '=', workspaceId).where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
}
