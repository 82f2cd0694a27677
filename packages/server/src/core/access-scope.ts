import { scopeOf, SCOPES, type PermissionAction, type PermissionObject } from '@rapport/shared';
import { AppError } from './app-error.js';
import type { Actor } from './context.js';

/**
 * The rows an actor may touch for one object and action, computed once and applied by the repository
 * as a predicate on `owner_id` / `team_id` (ARCHITECTURE §4).
 */
export type AccessScope =
  | { kind: 'all' }
  | { kind: 'own'; userId: string }
  | { kind: 'teams'; teamIds: string[]; userId: string };

export function accessScope(actor: Actor, object: PermissionObject, action: PermissionAction): AccessScope {
  const scope = scopeOf(actor.permissions, object, action);
  switch (scope) {
    case 'none':
      throw new AppError('forbidden', { message: `Your role does not allow ${action} on ${object}` });
    case 'own':
      return { kind: 'own', userId: actor.userId };
    case 'team':
      return { kind: 'teams', teamIds: actor.teamId ? [actor.teamId] : [], userId: actor.userId };
    case 'team_sub':
      return { kind: 'teams', teamIds: actor.teamTreeIds, userId: actor.userId };
    case 'all':
      return { kind: 'all' };
  }
}

export function can(actor: Actor, object: PermissionObject, action: PermissionAction): boolean {
  return scopeOf(actor.permissions, object, action) !== 'none';
}

/** Whether one record falls in the scope: the same rule repositories apply as SQL, for records already loaded. */
export function isInScope(scope: AccessScope, record: { ownerId: string; teamId: string | null }): boolean {
  if (scope.kind === 'all') return true;
  if (record.ownerId === scope.userId) return true;
  return scope.kind === 'teams' && record.teamId !== null && scope.teamIds.includes(record.teamId);
}

/**
 * The rows both rights allow (exports: export and read). Scopes nest — own within team within team and sub-teams
 * within all — so that is the narrower one; either right missing is forbidden.
 */
export function narrowerScope(actor: Actor, object: PermissionObject, a: PermissionAction, b: PermissionAction): AccessScope {
  const first = accessScope(actor, object, a);
  const second = accessScope(actor, object, b);
  return SCOPES.indexOf(scopeOf(actor.permissions, object, a)) <= SCOPES.indexOf(scopeOf(actor.permissions, object, b)) ? first : second;
}
