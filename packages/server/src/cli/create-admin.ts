import type { Locale } from '@rapport/shared';
import { Value } from 'typebox/value';
import { SetupBody } from '@rapport/shared';
import { AppError } from '../core/app-error.js';
import type { Db } from '../infra/db.js';
import { findAdminRole } from '../modules/role/role.service.js';
import { createWorkspaceWithAdmin } from '../modules/setup/setup.service.js';
import { createActiveUser } from '../modules/user/user.service.js';
import { firstWorkspace } from '../modules/workspace/workspace.service.js';

/** `rapport create-admin`: the first run without a browser, or a rescue when every administrator is locked out. */
export async function createAdmin(db: Db, input: { email: string; password: string; name: string; workspace: string; locale: Locale }): Promise<{ createdWorkspace: boolean }> {
  const body = { workspaceName: input.workspace, name: input.name, email: input.email, password: input.password, locale: input.locale };
  const errors = [...Value.Errors(SetupBody, body)];
  if (errors.length > 0) throw new AppError('validation', { message: 'Invalid administrator details', errors: errors.map((e) => ({ path: `--${e.instancePath.slice(1) || 'input'}`, message: e.message })) });
  const meta = { ip: null, requestId: 'cli' };
  return db.transaction().execute(async (trx) => {
    const workspace = await firstWorkspace(trx);
    if (!workspace) {
      await createWorkspaceWithAdmin(trx, body, meta);
      return { createdWorkspace: true };
    }
    const roleId = await findAdminRole(trx, workspace.id);
    await createActiveUser(trx, { workspaceId: workspace.id, actorId: null, actorType: 'system', ...meta }, { workspaceId: workspace.id, email: input.email, name: input.name, password: input.password, roleId, locale: input.locale });
    return { createdWorkspace: false };
  });
}
