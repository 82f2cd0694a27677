import type { ApiKey, PermissionMatrix } from '@rapport/shared';
import { accessScope, isInScope } from '../../core/access-scope.js';
import { AppError } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import { randomToken, safeEqual, sha256 } from '../../infra/crypto.js';
import type { Executor } from '../../infra/db.js';
import type { ApiKeyTable } from '../../infra/db-schema.js';
import { newId } from '../../infra/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { findApiKey, findApiKeyByPrefix, insertApiKey, listApiKeys, revokeApiKey, touchApiKey } from './api-key.repository.js';
import type { Selectable } from 'kysely';

const KEY_RE = /^rk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

function toApiKey(row: Selectable<ApiKeyTable>): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: `rk_${row.prefix}`,
    userId: row.user_id,
    permissions: row.permissions as ApiKey['permissions'],
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

/** Finds the live key a bearer secret belongs to, or undefined. */
export async function verifyApiKey(ex: Executor, secret: string, now: Date): Promise<{ id: string; workspaceId: string; userId: string; permissions: PermissionMatrix } | undefined> {
  const match = KEY_RE.exec(secret);
  if (!match) return undefined;
  const row = await findApiKeyByPrefix(ex, match[1]!);
  if (!row || row.revoked_at || (row.expires_at && row.expires_at <= now)) return undefined;
  if (!safeEqual(row.secret_hash, sha256(match[2]!))) return undefined;
  // Usage time is for humans; minute precision spares a write per request.
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) await touchApiKey(ex, row.workspace_id, row.id, now);
  return { id: row.id, workspaceId: row.workspace_id, userId: row.user_id, permissions: row.permissions };
}

export function createApiKeyService(deps: ServiceDeps) {
  async function list(ctx: Ctx): Promise<ApiKey[]> {
    const scope = accessScope(ctx.actor, 'api_key', 'read');
    return (await listApiKeys(deps.db, ctx.actor.workspaceId, scope)).map(toApiKey);
  }

  async function create(ctx: Ctx, input: { name: string; permissions: PermissionMatrix; expiresAt?: string | null | undefined }): Promise<{ apiKey: ApiKey; secret: string }> {
    accessScope(ctx.actor, 'api_key', 'create');
    if (ctx.actor.via === 'api_key') throw new AppError('forbidden', { message: 'API keys cannot create API keys' });
    const now = deps.clock.now();
    if (input.expiresAt && new Date(input.expiresAt) <= now) throw new AppError('validation', { errors: [{ path: '/body/expiresAt', message: 'must be in the future' }] });
    const prefix = randomToken(12).replace(/[^A-Za-z0-9]/g, '').slice(0, 12).padEnd(12, '0');
    const secretPart = randomToken(32);
    const id = newId();
    await deps.db.transaction().execute(async (trx) => {
      await insertApiKey(trx, {
        workspace_id: ctx.actor.workspaceId,
        id,
        user_id: ctx.actor.userId,
        name: input.name.trim(),
        prefix,
        secret_hash: sha256(secretPart),
        permissions: JSON.stringify(input.permissions),
        expires_at: input.expiresAt ? new Date(input.expiresAt) : null,
        created_by: ctx.actor.userId,
      });
      await recordAudit(trx, ctx, { action: 'api_key.create', objectType: 'api_key', objectId: id, meta: { name: input.name, permissions: input.permissions } });
    });
    const row = await findApiKey(deps.db, ctx.actor.workspaceId, id);
    return { apiKey: toApiKey(row!), secret: `rk_${prefix}_${secretPart}` };
  }

  async function revoke(ctx: Ctx, id: string): Promise<void> {
    const scope = accessScope(ctx.actor, 'api_key', 'delete');
    await deps.db.transaction().execute(async (trx) => {
      const row = await findApiKey(trx, ctx.actor.workspaceId, id);
      if (!row || !isInScope(scope, { ownerId: row.user_id, teamId: row.team_id })) throw new AppError('not_found', { message: 'API key not found' });
      await revokeApiKey(trx, ctx.actor.workspaceId, id, deps.clock.now());
      await recordAudit(trx, ctx, { action: 'api_key.revoke', objectType: 'api_key', objectId: id, meta: { name: row.name } });
    });
  }

  return { list, create, revoke };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
