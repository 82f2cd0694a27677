import type { Locale } from '@rapport/shared';
import { AppError } from '../../core/app-error.js';
import type { RequestMeta } from '../../core/context.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.service.js';
import type { AuthService, SessionTokens } from '../auth/auth.service.js';
import { createDefaultPipeline } from '../pipeline/pipeline.service.js';
import { createDefaultRoles } from '../role/role.service.js';
import { createActiveUser } from '../user/user.service.js';
import { createWorkspace, isSetUp, lockSetup } from '../workspace/workspace.service.js';

export interface WorkspaceSetup {
  workspaceName: string;
  name: string;
  email: string;
  password: string;
  locale: Locale;
}

/** Creates a workspace with its default roles and first administrator, in the caller's transaction. */
export async function createWorkspaceWithAdmin(ex: Executor, input: WorkspaceSetup, meta: RequestMeta): Promise<{ workspaceId: string; userId: string; roleIds: Awaited<ReturnType<typeof createDefaultRoles>> }> {
  const workspace = await createWorkspace(ex, { name: input.workspaceName, locale: input.locale });
  const origin: AuditOrigin = { workspaceId: workspace.id, actorId: null, actorType: 'system', ...meta };
  const roleIds = await createDefaultRoles(ex, workspace.id, input.locale, origin);
  const userId = await createActiveUser(ex, origin, { workspaceId: workspace.id, email: input.email, name: input.name, password: input.password, roleId: roleIds.admin, locale: input.locale });
  await createDefaultPipeline(ex, workspace.id, input.locale, origin);
  await recordAudit(ex, { ...origin, actorId: userId, actorType: 'user' }, { action: 'workspace.create', objectType: 'workspace', objectId: workspace.id, meta: { name: workspace.name } });
  return { workspaceId: workspace.id, userId, roleIds };
}

export function createSetupService(deps: ServiceDeps & { auth: AuthService }) {
  async function status(): Promise<{ setUp: boolean }> {
    return { setUp: await isSetUp(deps.db) };
  }

  /** First run: only possible while the installation has no workspace; the administrator is signed in at once. */
  async function setup(input: WorkspaceSetup, meta: RequestMeta & { userAgent: string | null }): Promise<SessionTokens> {
    return deps.db.transaction().execute(async (trx) => {
      await lockSetup(trx);
      if (await isSetUp(trx)) throw new AppError('already_set_up', { message: 'Rapport is already set up; sign in instead' });
      const { workspaceId, userId } = await createWorkspaceWithAdmin(trx, input, meta);
      return deps.auth.sessionFor(trx, workspaceId, userId, meta);
    });
  }

  return { status, setup };
}

export type SetupService = ReturnType<typeof createSetupService>;
