import type { FieldRules, Locale, PermissionMatrix, Role } from '@rapport/shared';
import { accessScope } from '../../core/access-scope.js';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import type { RoleTable } from '../../infra/db-schema.js';
import { newId } from '../../infra/ids.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.service.js';
import { DEFAULT_ROLES } from './default-roles.js';
import { activeAdministrators, countRoleUsers, findRole, findSystemRole, insertRole, listRoles, updateRole } from './role.repository.js';
import type { Selectable } from 'kysely';

function toRole(row: Selectable<RoleTable>): Role {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    isSystem: row.is_system,
    permissions: row.permissions as Role['permissions'],
    fieldRules: row.field_rules as Role['fieldRules'],
    exportRowLimit: row.export_row_limit,
    createdAt: row.created_at.toISOString(),
    version: row.version,
  };
}

function uniqueNameError(error: unknown): never {
  if ((error as { code?: string }).code === '23505') {
    throw new AppError('conflict', { message: 'A role with this name exists', errors: [{ path: '/body/name', message: 'already taken' }] });
  }
  throw error;
}

export interface RoleInput {
  name: string;
  description?: string | undefined;
  permissions: PermissionMatrix;
  fieldRules?: FieldRules | undefined;
  exportRowLimit?: number | null | undefined;
}

/** Creates the default roles of a new workspace; returns their ids by key. */
export async function createDefaultRoles(ex: Executor, workspaceId: string, locale: Locale, origin: AuditOrigin): Promise<Record<(typeof DEFAULT_ROLES)[number]['key'], string>> {
  const ids = {} as Record<(typeof DEFAULT_ROLES)[number]['key'], string>;
  for (const role of DEFAULT_ROLES) {
    const id = newId();
    ids[role.key] = id;
    await insertRole(ex, {
      workspace_id: workspaceId,
      id,
      name: role.names[locale],
      description: role.descriptions[locale],
      is_system: role.key === 'admin',
      permissions: JSON.stringify(role.permissions),
      field_rules: '{}',
      created_by: origin.actorId,
      updated_by: origin.actorId,
    });
    await recordAudit(ex, origin, { action: 'role.create', objectType: 'role', objectId: id, meta: { name: role.names[locale], permissions: role.permissions } });
  }
  return ids;
}

/** The most rows one export by the role may hold (null: no limit). */
export async function exportRowLimit(ex: Executor, workspaceId: string, roleId: string): Promise<number | null> {
  return (await findRole(ex, workspaceId, roleId))?.export_row_limit ?? null;
}

/** The active users holding the workspace's administrator role: who hears about unusual exports. */
export function administratorIds(ex: Executor, workspaceId: string): Promise<string[]> {
  return activeAdministrators(ex, workspaceId);
}

/** The rights a role grants, for resolving an actor. */
export async function roleRights(ex: Executor, workspaceId: string, roleId: string): Promise<{ permissions: PermissionMatrix; fieldRules: FieldRules } | undefined> {
  const row = await findRole(ex, workspaceId, roleId);
  return row ? { permissions: row.permissions, fieldRules: row.field_rules } : undefined;
}

export function createRoleService(deps: ServiceDeps) {
  async function list(ctx: Ctx): Promise<Role[]> {
    accessScope(ctx.actor, 'role', 'read');
    return (await listRoles(deps.db, ctx.actor.workspaceId)).map(toRole);
  }

  async function get(ctx: Ctx, id: string): Promise<Role> {
    accessScope(ctx.actor, 'role', 'read');
    const row = await findRole(deps.db, ctx.actor.workspaceId, id);
    if (!row) throw new AppError('not_found', { message: 'Role not found' });
    return toRole(row);
  }

  async function create(ctx: Ctx, input: RoleInput): Promise<Role> {
    accessScope(ctx.actor, 'role', 'create');
    const id = newId();
    await deps.db
      .transaction()
      .execute(async (trx) => {
        await insertRole(trx, {
          workspace_id: ctx.actor.workspaceId,
          id,
          name: input.name.trim(),
          description: input.description ?? '',
          is_system: false,
          permissions: JSON.stringify(input.permissions),
          field_rules: JSON.stringify(input.fieldRules ?? {}),
          export_row_limit: input.exportRowLimit ?? null,
          created_by: ctx.actor.userId,
          updated_by: ctx.actor.userId,
        });
        await recordAudit(trx, ctx, { action: 'role.create', objectType: 'role', objectId: id, meta: { name: input.name, permissions: input.permissions, fieldRules: input.fieldRules ?? {}, exportRowLimit: input.exportRowLimit ?? null } });
      })
      .catch(uniqueNameError);
    return get(ctx, id);
  }

  async function update(ctx: Ctx, id: string, patch: Partial<RoleInput>, version: number | undefined): Promise<Role> {
    accessScope(ctx.actor, 'role', 'update');
    const expected = requireVersion(version);
    const row = await deps.db
      .transaction()
      .execute(async (trx) => {
        const before = await findRole(trx, ctx.actor.workspaceId, id);
        if (!before) throw new AppError('not_found', { message: 'Role not found' });
        if (before.is_system && (patch.permissions || patch.fieldRules)) {
          // The administrator role must keep every right, or a workspace could lock itself out.
          throw new AppError('forbidden', { message: 'The administrator role always has every right', errors: [{ path: '/body/permissions', message: 'cannot be changed for the administrator role' }] });
        }
        const after = await updateRole(trx, ctx.actor.workspaceId, id, expected, {
          name: patch.name?.trim(),
          description: patch.description,
          permissions: patch.permissions ? JSON.stringify(patch.permissions) : undefined,
          field_rules: patch.fieldRules ? JSON.stringify(patch.fieldRules) : undefined,
          export_row_limit: patch.exportRowLimit,
          updated_by: ctx.actor.userId,
        });
        if (!after) throw new AppError('version_conflict', { message: 'The role was changed by someone else; reload it' });
        const changes = diffFields(before, after, ['name', 'description', 'permissions', 'field_rules', 'export_row_limit']);
        const permissionChange = 'permissions' in changes || 'field_rules' in changes || 'export_row_limit' in changes;
        await recordAudit(trx, ctx, { action: permissionChange ? 'role.permissions_change' : 'role.update', objectType: 'role', objectId: id, changes });
        return after;
      })
      .catch(uniqueNameError);
    return toRole(row);
  }

  async function remove(ctx: Ctx, id: string): Promise<void> {
    accessScope(ctx.actor, 'role', 'delete');
    await deps.db.transaction().execute(async (trx) => {
      const role = await findRole(trx, ctx.actor.workspaceId, id);
      if (!role) throw new AppError('not_found', { message: 'Role not found' });
      if (role.is_system) throw new AppError('forbidden', { message: 'The administrator role cannot be deleted' });
      if ((await countRoleUsers(trx, ctx.actor.workspaceId, id)) > 0) throw new AppError('conflict', { message: 'Users still have this role; give them another first' });
      await updateRole(trx, ctx.actor.workspaceId, id, role.version, { deleted_at: new Date(), updated_by: ctx.actor.userId });
      await recordAudit(trx, ctx, { action: 'role.delete', objectType: 'role', objectId: id, meta: { name: role.name } });
    });
  }

  return { list, get, create, update, remove };
}

export type RoleService = ReturnType<typeof createRoleService>;

export async function findAdminRole(ex: Executor, workspaceId: string): Promise<string> {
  const row = await findSystemRole(ex, workspaceId);
  if (!row) throw new AppError('not_found', { message: 'The workspace has no administrator role' });
  return row.id;
}
