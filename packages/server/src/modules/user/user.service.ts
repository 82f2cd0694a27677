import { parseFilter, type FilterField, type Locale, type NotifyEmailPrefs, type PageOf, type User } from '@rapport/shared';
import type { Selectable } from 'kysely';
import { accessScope, isInScope } from '../../core/access-scope.js';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import { assertWritable, hideFields } from '../../core/field-rules.js';
import { decodeCursor, toPage } from '../../core/pagination.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import { hashPassword, randomToken, sha256 } from '../../infra/crypto.js';
import type { Executor } from '../../infra/db.js';
import type { AppUserTable } from '../../infra/db-schema.js';
import { newId } from '../../infra/ids.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.service.js';
import { renderMail } from '../mail/mail-templates.js';
import type { MailService } from '../mail/mail.service.js';
import { notify } from '../notification/notification.service.js';
import { roleRights } from '../role/role.service.js';
import { teamExists } from '../team/team.service.js';
import { getWorkspace } from '../workspace/workspace.service.js';
import {
  consumeToken,
  expireTokens,
  findUser,
  findUserByEmail,
  insertToken,
  insertUser,
  listUsers,
  peekToken,
  recordLoginAttempt,
  updateUser,
} from './user.repository.js';

type UserRow = Selectable<AppUserTable>;

export const USER_FILTER_FIELDS: Record<string, FilterField> = {
  // Pickers name the people they were given by id (`id in […]`), also beyond the first page of the directory.
  id: { type: 'uuid' },
  name: { type: 'text' },
  email: { type: 'text' },
  status: { type: 'enum', values: ['active', 'invited', 'disabled'] },
  roleId: { type: 'uuid' },
  teamId: { type: 'uuid' },
  createdAt: { type: 'date' },
};

const INVITE_TTL_MS = 7 * 24 * 3600_000;
const RESET_TTL_MS = 3600_000;
const MAX_FAILED_LOGINS = 5;
const LOCKOUT_MS = 15 * 60_000;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    locale: row.locale,
    status: row.status,
    roleId: row.role_id,
    teamId: row.team_id,
    managerId: row.manager_id,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    version: row.version,
  };
}

function emailTaken(error: unknown): never {
  if ((error as { code?: string }).code === '23505') {
    throw new AppError('conflict', { message: 'A user with this e-mail exists', errors: [{ path: '/body/email', message: 'already in use' }] });
  }
  throw error;
}

export async function userExists(ex: Executor, workspaceId: string, userId: string): Promise<boolean> {
  return (await findUser(ex, workspaceId, userId)) !== undefined;
}

/** Every way in (password, accepted invitation, workspace setup) counts as a sign-in. */
export async function markSignedIn(ex: Executor, workspaceId: string, userId: string, now: Date): Promise<void> {
  await recordLoginAttempt(ex, workspaceId, userId, { last_login_at: now });
}

export async function findUserById(ex: Executor, workspaceId: string, userId: string): Promise<UserRow | undefined> {
  return findUser(ex, workspaceId, userId);
}

/** The user signing in with this e-mail (unique across workspaces), for tools that act as a named user. */
export async function findUserByLogin(ex: Executor, email: string): Promise<UserRow | undefined> {
  return findUserByEmail(ex, email);
}

export interface NewActiveUser {
  workspaceId: string;
  email: string;
  name: string;
  password: string;
  roleId: string;
  teamId?: string | null;
  managerId?: string | null;
  locale: Locale;
}

/** Creates a user who can log in at once (setup, `rapport create-admin`, demo data). */
export async function createActiveUser(ex: Executor, origin: AuditOrigin, input: NewActiveUser): Promise<string> {
  const id = newId();
  await insertUser(ex, {
    workspace_id: input.workspaceId,
    id,
    email: input.email.trim().toLowerCase(),
    name: input.name.trim(),
    password_hash: await hashPassword(input.password),
    locale: input.locale,
    status: 'active',
    role_id: input.roleId,
    team_id: input.teamId ?? null,
    manager_id: input.managerId ?? null,
    created_by: origin.actorId ?? id,
    updated_by: origin.actorId ?? id,
  }).catch(emailTaken);
  await recordAudit(ex, { ...origin, actorId: origin.actorId ?? id }, { action: 'user.create', objectType: 'user', objectId: id, meta: { email: input.email, roleId: input.roleId, teamId: input.teamId ?? null } });
  return id;
}

export type LoginCheck =
  | { ok: true; user: UserRow }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'locked' | 'bad_password' | 'inactive'; user: UserRow };

/** Checks a password with lockout: after five failures the account waits fifteen minutes. */
export async function checkLogin(ex: Executor, email: string, password: string, now: Date, verify: (hash: string, password: string) => Promise<boolean>): Promise<LoginCheck> {
  // Locked until the login transaction ends: parallel guesses are counted one after another, not lost to each other.
  const user = await findUserByEmail(ex, email, { forUpdate: true });
  if (!user) return { ok: false, reason: 'unknown' };
  if (user.locked_until && user.locked_until > now) return { ok: false, reason: 'locked', user };
  const valid = user.password_hash !== null && (await verify(user.password_hash, password));
  if (!valid) {
    const failed = user.failed_logins + 1;
    const lock = failed >= MAX_FAILED_LOGINS;
    await recordLoginAttempt(ex, user.workspace_id, user.id, { failed_logins: lock ? 0 : failed, locked_until: lock ? new Date(now.getTime() + LOCKOUT_MS) : null });
    return { ok: false, reason: lock ? 'locked' : 'bad_password', user };
  }
  if (user.status !== 'active') return { ok: false, reason: 'inactive', user };
  await recordLoginAttempt(ex, user.workspace_id, user.id, { failed_logins: 0, locked_until: null });
  return { ok: true, user };
}

async function issueToken(ex: Executor, user: UserRow, purpose: 'invite' | 'reset', now: Date): Promise<string> {
  await expireTokens(ex, user.workspace_id, user.id, purpose, now);
  const token = randomToken();
  const ttl = purpose === 'invite' ? INVITE_TTL_MS : RESET_TTL_MS;
  await insertToken(ex, { id: sha256(token), workspace_id: user.workspace_id, user_id: user.id, purpose, expires_at: new Date(now.getTime() + ttl) });
  return token;
}

export function createUserService(deps: ServiceDeps & { mail: MailService }) {
  const link = (page: string, token: string) => `${deps.config.publicUrl}/${page}?token=${encodeURIComponent(token)}`;

  async function sendInvite(ex: Executor, user: UserRow, inviterName: string): Promise<void> {
    const token = await issueToken(ex, user, 'invite', deps.clock.now());
    const workspace = await getWorkspace(ex, user.workspace_id);
    const mail = renderMail('invite', user.locale, { workspace: workspace.name, inviter: inviterName, link: link('accept-invite', token) });
    await deps.mail.queue(ex, { workspaceId: user.workspace_id, to: user.email, ...mail });
  }

  async function assertRoleAndTeam(ex: Executor, workspaceId: string, roleId: string | undefined, teamId: string | null | undefined, managerId?: string | null): Promise<void> {
    if (roleId && !(await roleRights(ex, workspaceId, roleId))) throw new AppError('validation', { errors: [{ path: '/body/roleId', message: 'no such role' }] });
    if (teamId) {
      if (!(await teamExists(ex, workspaceId, teamId))) throw new AppError('validation', { errors: [{ path: '/body/teamId', message: 'no such team' }] });
    }
    if (managerId && !(await userExists(ex, workspaceId, managerId))) throw new AppError('validation', { errors: [{ path: '/body/managerId', message: 'no such user' }] });
  }

  async function list(ctx: Ctx, q: { limit?: number | undefined; cursor?: string | undefined; filter?: string | undefined }): Promise<PageOf<User>> {
    const scope = accessScope(ctx.actor, 'user', 'read');
    const parsed = parseFilter(q.filter, USER_FILTER_FIELDS);
    if (!parsed.ok) throw new AppError('bad_filter', { message: 'The filter is not valid', errors: parsed.errors });
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['text', 'uuid']) as [string, string] | undefined;
    const rows = await listUsers(deps.db, ctx.actor.workspaceId, scope, parsed.filter, limit, after);
    const page = toPage(rows, limit, (row) => [row.name, row.id]);
    return { nextCursor: page.nextCursor, items: page.items.map((row) => hideFields(ctx.actor, 'user', toUser(row))) };
  }

  async function loadInScope(ex: Executor, ctx: Ctx, id: string, action: 'read' | 'update'): Promise<UserRow> {
    const scope = accessScope(ctx.actor, 'user', action);
    const row = await findUser(ex, ctx.actor.workspaceId, id);
    // Out-of-scope records answer exactly like missing ones: their existence is not disclosed.
    if (!row || !isInScope(scope, { ownerId: row.id, teamId: row.team_id })) throw new AppError('not_found', { message: 'User not found' });
    return row;
  }

  async function get(ctx: Ctx, id: string): Promise<User> {
    return hideFields(ctx.actor, 'user', toUser(await loadInScope(deps.db, ctx, id, 'read')));
  }

  async function invite(ctx: Ctx, input: { email: string; name?: string | undefined; roleId: string; teamId?: string | null | undefined; locale?: Locale | undefined }): Promise<User> {
    accessScope(ctx.actor, 'user', 'create');
    const { workspaceId, userId } = ctx.actor;
    return deps.db.transaction().execute(async (trx) => {
      await assertRoleAndTeam(trx, workspaceId, input.roleId, input.teamId);
      const id = newId();
      const email = input.email.trim().toLowerCase();
      const workspace = await getWorkspace(trx, workspaceId);
      await insertUser(trx, {
        workspace_id: workspaceId,
        id,
        email,
        name: input.name?.trim() || email,
        password_hash: null,
        locale: input.locale ?? workspace.locale,
        status: 'invited',
        role_id: input.roleId,
        team_id: input.teamId ?? null,
        manager_id: null,
        created_by: userId,
        updated_by: userId,
      }).catch(emailTaken);
      const row = (await findUser(trx, workspaceId, id))!;
      await sendInvite(trx, row, ctx.actor.name);
      await recordAudit(trx, ctx, { action: 'user.invite', objectType: 'user', objectId: id, meta: { email, roleId: input.roleId, teamId: input.teamId ?? null } });
      return hideFields(ctx.actor, 'user', toUser(row));
    });
  }

  async function resendInvite(ctx: Ctx, id: string): Promise<void> {
    accessScope(ctx.actor, 'user', 'create');
    await deps.db.transaction().execute(async (trx) => {
      const row = await loadInScope(trx, ctx, id, 'read');
      if (row.status !== 'invited') throw new AppError('conflict', { message: 'This user has already accepted the invitation' });
      await sendInvite(trx, row, ctx.actor.name);
      await recordAudit(trx, ctx, { action: 'user.invite_resend', objectType: 'user', objectId: id });
    });
  }

  async function update(
    ctx: Ctx,
    id: string,
    patch: { name?: string | undefined; roleId?: string | undefined; teamId?: string | null | undefined; managerId?: string | null | undefined; status?: 'active' | 'disabled' | undefined; locale?: Locale | undefined },
    version: number | undefined,
  ): Promise<User> {
    const expected = requireVersion(version);
    assertWritable(ctx.actor, 'user', patch);
    if (patch.roleId !== undefined) accessScope(ctx.actor, 'user', 'assign');
    const { workspaceId } = ctx.actor;
    return deps.db.transaction().execute(async (trx) => {
      const before = await loadInScope(trx, ctx, id, 'update');
      if (id === ctx.actor.userId && (patch.status === 'disabled' || (patch.roleId && patch.roleId !== before.role_id))) {
        throw new AppError('forbidden', { message: 'You cannot disable yourself or change your own role' });
      }
      if (patch.status === 'active' && before.status === 'invited') {
        throw new AppError('validation', { errors: [{ path: '/body/status', message: 'an invited user becomes active by accepting the invitation' }] });
      }
      if (patch.managerId === id) throw new AppError('validation', { errors: [{ path: '/body/managerId', message: 'a user cannot manage themselves' }] });
      await assertRoleAndTeam(trx, workspaceId, patch.roleId, patch.teamId, patch.managerId);
      const after = await updateUser(trx, workspaceId, id, expected, {
        name: patch.name?.trim(),
        role_id: patch.roleId,
        team_id: patch.teamId,
        manager_id: patch.managerId,
        status: patch.status,
        locale: patch.locale,
        updated_by: ctx.actor.userId,
      });
      if (!after) throw new AppError('version_conflict', { message: 'The user was changed by someone else; reload it', currentVersion: before.version });
      const changes = diffFields(before, after, ['name', 'role_id', 'team_id', 'manager_id', 'status', 'locale']);
      const accessChanged = 'role_id' in changes || 'team_id' in changes;
      await recordAudit(trx, ctx, { action: accessChanged ? 'user.access_change' : 'user.update', objectType: 'user', objectId: id, changes });
      if (accessChanged && id !== ctx.actor.userId) {
        await notify(trx, { workspaceId, userId: id, kind: 'access_changed', messageKey: 'notifications.accessChanged', params: { by: ctx.actor.name }, link: '/profile' });
      }
      return hideFields(ctx.actor, 'user', toUser(after));
    });
  }

  /** A user's own name, language and e-mail notification choices (merged over the ones they made before). */
  async function updateProfile(ctx: Ctx, patch: { name?: string | undefined; locale?: Locale | undefined; notifyEmail?: NotifyEmailPrefs | undefined }): Promise<User> {
    const { workspaceId, userId } = ctx.actor;
    return deps.db.transaction().execute(async (trx) => {
      const before = await findUser(trx, workspaceId, userId);
      if (!before) throw new AppError('not_found', { message: 'User not found' });
      const notifyEmail = patch.notifyEmail ? JSON.stringify({ ...before.notify_email, ...patch.notifyEmail }) : undefined;
      const after = await updateUser(trx, workspaceId, userId, null, { name: patch.name?.trim(), locale: patch.locale, notify_email: notifyEmail, updated_by: userId });
      await recordAudit(trx, ctx, { action: 'user.profile_update', objectType: 'user', objectId: userId, changes: diffFields(before, after!, ['name', 'locale', 'notify_email']) });
      return toUser(after!);
    });
  }

  /** Starts a password reset; silent for unknown addresses so the form cannot be used to probe who has an account. */
  async function requestPasswordReset(email: string, origin: Omit<AuditOrigin, 'workspaceId' | 'actorId' | 'actorType'>): Promise<void> {
    await deps.db.transaction().execute(async (trx) => {
      const user = await findUserByEmail(trx, email);
      if (!user || user.status !== 'active') return;
      const token = await issueToken(trx, user, 'reset', deps.clock.now());
      await deps.mail.queue(trx, { workspaceId: user.workspace_id, to: user.email, ...renderMail('passwordReset', user.locale, { name: user.name, link: link('reset-password', token) }) });
      await recordAudit(trx, { ...origin, workspaceId: user.workspace_id, actorId: user.id, actorType: 'user' }, { action: 'auth.password_reset_request', objectType: 'user', objectId: user.id });
    });
  }

  return { list, get, invite, resendInvite, update, updateProfile, requestPasswordReset };
}

export type UserService = ReturnType<typeof createUserService>;

/** Invitation details for the accept page, without using the token up. */
export async function inviteInfo(ex: Executor, token: string, now: Date): Promise<{ user: UserRow; workspaceName: string }> {
  const found = await peekToken(ex, sha256(token), 'invite', now);
  const user = found ? await findUser(ex, found.workspace_id, found.user_id) : undefined;
  if (!user || user.status !== 'invited') throw new AppError('token_invalid', { message: 'This invitation link is invalid or has expired' });
  return { user, workspaceName: (await getWorkspace(ex, user.workspace_id)).name };
}

/** Uses up an invite or reset token and sets the password; returns the user, now active. */
export async function redeemToken(
  ex: Executor,
  purpose: 'invite' | 'reset',
  token: string,
  input: { password: string; name?: string | undefined; locale?: Locale | undefined },
  now: Date,
): Promise<UserRow> {
  const found = await consumeToken(ex, sha256(token), purpose, now);
  const user = found ? await findUser(ex, found.workspace_id, found.user_id) : undefined;
  const expectedStatus = purpose === 'invite' ? 'invited' : 'active';
  if (!user || user.status !== expectedStatus) throw new AppError('token_invalid', { message: 'This link is invalid or has expired' });
  const after = await updateUser(ex, user.workspace_id, user.id, null, {
    password_hash: await hashPassword(input.password),
    status: 'active',
    name: input.name?.trim() || undefined,
    locale: input.locale,
    failed_logins: 0,
    locked_until: null,
    updated_by: user.id,
  });
  return after!;
}
