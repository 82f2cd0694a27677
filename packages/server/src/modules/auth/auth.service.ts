import { effectiveEmailPrefs, intersectMatrices, type Locale, type Me } from '@rapport/shared';
import type { Selectable } from 'kysely';
import { AppError } from '../../core/app-error.js';
import type { Actor, RequestMeta } from '../../core/context.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import { randomToken, sha256, verifyPassword } from '../../infra/crypto.js';
import type { Executor } from '../../infra/db.js';
import type { AppUserTable } from '../../infra/db-schema.js';
import { verifyApiKey } from '../api-key/api-key.service.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.service.js';
import { notify } from '../notification/notification.service.js';
import { roleRights } from '../role/role.service.js';
import { teamTree } from '../team/team.service.js';
import { checkLogin, findUserById, inviteInfo, markSignedIn, redeemToken } from '../user/user.service.js';
import { deleteExpiredSessions, deleteSession, deleteUserSessions, findMeView, findSessionPrincipal, insertSession, touchSession } from './session.repository.js';

const SESSION_IDLE_MS = 14 * 24 * 3600_000;
const SESSION_TOUCH_MS = 5 * 60_000;

export interface SessionTokens {
  /** Goes into the httpOnly cookie; only its hash is stored. */
  token: string;
  csrfToken: string;
  userId: string;
  workspaceId: string;
}

export interface Principal {
  actor: Actor;
  /** Set for cookie sessions, which need a CSRF token on unsafe requests. */
  session: { id: string; csrfToken: string } | null;
}

type UserRow = Selectable<AppUserTable>;

async function buildActor(ex: Executor, user: UserRow, via: Actor['via'], apiKey?: { id: string; permissions: Actor['permissions'] }): Promise<Actor | undefined> {
  if (user.status !== 'active') return undefined;
  const rights = await roleRights(ex, user.workspace_id, user.role_id);
  if (!rights) return undefined;
  return {
    workspaceId: user.workspace_id,
    userId: user.id,
    name: user.name,
    roleId: user.role_id,
    teamId: user.team_id,
    teamTreeIds: user.team_id ? await teamTree(ex, user.workspace_id, user.team_id) : [],
    permissions: apiKey ? intersectMatrices(rights.permissions, apiKey.permissions) : rights.permissions,
    fieldRules: rights.fieldRules,
    via,
    apiKeyId: apiKey?.id ?? null,
  };
}

/** The actor a signed-in user would be, for work done on their behalf outside a request (the demo seeder). */
export async function actorOfUser(ex: Executor, workspaceId: string, userId: string): Promise<Actor | undefined> {
  const user = await findUserById(ex, workspaceId, userId);
  return user ? buildActor(ex, user, 'session') : undefined;
}

export function createAuthService(deps: ServiceDeps) {
  async function openSession(ex: Executor, user: UserRow, meta: RequestMeta & { userAgent: string | null }): Promise<SessionTokens> {
    const token = randomToken();
    const csrfToken = randomToken();
    const now = deps.clock.now();
    await insertSession(ex, {
      id: sha256(token),
      workspace_id: user.workspace_id,
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + SESSION_IDLE_MS),
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    });
    await markSignedIn(ex, user.workspace_id, user.id, now);
    return { token, csrfToken, userId: user.id, workspaceId: user.workspace_id };
  }

  /**
   * Checks the password and opens a new session. Any session the browser already had is dropped,
   * so a token planted before login is useless after it (session rotation).
   */
  async function login(email: string, password: string, meta: RequestMeta & { userAgent: string | null; previousToken: string | undefined }): Promise<SessionTokens> {
    const now = deps.clock.now();
    return deps.db.transaction().execute(async (trx) => {
      const result = await checkLogin(trx, email, password, now, verifyPassword);
      if (!result.ok) {
        if (result.reason !== 'unknown') {
          const origin: AuditOrigin = { workspaceId: result.user.workspace_id, actorId: result.user.id, actorType: 'user', ip: meta.ip, requestId: meta.requestId };
          await recordAudit(trx, origin, { action: 'auth.login_failed', objectType: 'user', objectId: result.user.id, meta: { reason: result.reason } });
        } else {
          deps.logger.warn({ ip: meta.ip, requestId: meta.requestId }, 'login failed for an unknown e-mail');
        }
        // Commit the failure count and audit entry, then answer.
        return { failed: result.reason } as const;
      }
      if (meta.previousToken) await deleteSession(trx, sha256(meta.previousToken));
      const tokens = await openSession(trx, result.user, meta);
      await recordAudit(trx, { workspaceId: result.user.workspace_id, actorId: result.user.id, actorType: 'user', ip: meta.ip, requestId: meta.requestId }, { action: 'auth.login', objectType: 'user', objectId: result.user.id });
      return tokens;
    }).then((outcome) => {
      if ('failed' in outcome) {
        if (outcome.failed === 'locked') throw new AppError('account_locked', { message: 'Too many failed attempts; try again in 15 minutes' });
        throw new AppError('invalid_credentials', { message: 'Wrong e-mail or password' });
      }
      return outcome;
    });
  }

  async function logout(principal: Principal, meta: RequestMeta): Promise<void> {
    if (!principal.session) return;
    await deps.db.transaction().execute(async (trx) => {
      await deleteSession(trx, principal.session!.id);
      await recordAudit(trx, { actor: principal.actor, meta }, { action: 'auth.logout', objectType: 'user', objectId: principal.actor.userId });
    });
  }

  /** Resolves a cookie session in one query; extends it while in use. */
  async function resolveSession(token: string): Promise<Principal | undefined> {
    const id = sha256(token);
    const row = await findSessionPrincipal(deps.db, id);
    const now = deps.clock.now();
    if (!row || row.expires_at <= now) return undefined;
    if (now.getTime() - row.last_seen_at.getTime() > SESSION_TOUCH_MS) await touchSession(deps.db, id, now, new Date(now.getTime() + SESSION_IDLE_MS));
    const actor: Actor = {
      workspaceId: row.workspace_id,
      userId: row.user_id,
      name: row.name,
      roleId: row.role_id,
      teamId: row.team_id,
      teamTreeIds: row.team_tree ?? [],
      permissions: row.permissions,
      fieldRules: row.field_rules,
      via: 'session',
      apiKeyId: null,
    };
    return { actor, session: { id, csrfToken: row.csrf_token } };
  }

  async function resolveApiKey(secret: string): Promise<Principal | undefined> {
    const key = await verifyApiKey(deps.db, secret, deps.clock.now());
    if (!key) return undefined;
    const user = await findUserById(deps.db, key.workspaceId, key.userId);
    const actor = user ? await buildActor(deps.db, user, 'api_key', key) : undefined;
    return actor ? { actor, session: null } : undefined;
  }

  async function me(principal: Principal): Promise<Me> {
    const { actor } = principal;
    const view = await findMeView(deps.db, actor.workspaceId, actor.userId);
    if (!view) throw new AppError('unauthenticated');
    return {
      user: { id: actor.userId, name: actor.name, email: view.email, locale: view.locale, roleId: actor.roleId, roleName: view.role_name, teamId: actor.teamId, teamName: view.team_name, notifyEmail: effectiveEmailPrefs(view.notify_email) },
      workspace: { id: view.workspace_id, name: view.workspace_name, currency: view.currency, timezone: view.timezone },
      permissions: actor.permissions as Me['permissions'],
      fieldRules: actor.fieldRules as Me['fieldRules'],
      csrfToken: principal.session?.csrfToken ?? '',
    };
  }

  /** Sets a new password from an e-mailed link and signs the user out everywhere else. */
  async function resetPassword(token: string, password: string, meta: RequestMeta): Promise<void> {
    await deps.db.transaction().execute(async (trx) => {
      const user = await redeemToken(trx, 'reset', token, { password }, deps.clock.now());
      await deleteUserSessions(trx, user.workspace_id, user.id);
      await recordAudit(trx, { workspaceId: user.workspace_id, actorId: user.id, actorType: 'user', ...meta }, { action: 'auth.password_reset', objectType: 'user', objectId: user.id });
    });
  }

  async function describeInvite(token: string): Promise<{ email: string; workspaceName: string }> {
    const { user, workspaceName } = await inviteInfo(deps.db, token, deps.clock.now());
    return { email: user.email, workspaceName };
  }

  /** Activates an invited user, signs them in, and tells whoever invited them. */
  async function acceptInvite(input: { token: string; name: string; password: string; locale?: Locale | undefined }, meta: RequestMeta & { userAgent: string | null }): Promise<SessionTokens> {
    return deps.db.transaction().execute(async (trx) => {
      const user = await redeemToken(trx, 'invite', input.token, input, deps.clock.now());
      const origin: AuditOrigin = { workspaceId: user.workspace_id, actorId: user.id, actorType: 'user', ...meta };
      await recordAudit(trx, origin, { action: 'user.invite_accept', objectType: 'user', objectId: user.id });
      if (user.created_by && user.created_by !== user.id) {
        await notify(trx, { workspaceId: user.workspace_id, userId: user.created_by, kind: 'invite_accepted', messageKey: 'notifications.inviteAccepted', params: { name: user.name }, link: `/settings/users/${user.id}` });
      }
      const tokens = await openSession(trx, user, meta);
      await recordAudit(trx, origin, { action: 'auth.login', objectType: 'user', objectId: user.id });
      return tokens;
    });
  }

  /** A fresh session for a user just created (workspace setup). */
  async function sessionFor(ex: Executor, workspaceId: string, userId: string, meta: RequestMeta & { userAgent: string | null }): Promise<SessionTokens> {
    const user = await findUserById(ex, workspaceId, userId);
    if (!user) throw new AppError('not_found', { message: 'User not found' });
    return openSession(ex, user, meta);
  }

  async function pruneSessions(): Promise<number> {
    return deleteExpiredSessions(deps.db, deps.clock.now());
  }

  return { login, logout, resolveSession, resolveApiKey, me, resetPassword, describeInvite, acceptInvite, sessionFor, pruneSessions };
}

export type AuthService = ReturnType<typeof createAuthService>;
