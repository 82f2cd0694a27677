import type { Locale } from '@rapport/shared';
import type { Executor } from '../../packages/server/src/infra/db.js';
import { createWorkspaceWithAdmin } from '../../packages/server/src/modules/setup/setup.service.js';
import { BENCH_PASSWORD } from './context.js';

export interface BenchWorkspace {
  workspaceId: string;
  adminId: string;
  adminEmail: string;
  roleIds: { admin: string; head: string; manager: string; rep: string };
}

/** A workspace with its default roles and an administrator, made by the server's own setup code (caller's transaction). */
export async function createBenchWorkspace(ex: Executor, input: { name: string; runId: string; locale: Locale }): Promise<BenchWorkspace> {
  const adminEmail = `admin@${input.runId}.bench.rapport.local`;
  const created = await createWorkspaceWithAdmin(
    ex,
    { workspaceName: input.name, name: 'Bench Administrator', email: adminEmail, password: BENCH_PASSWORD, locale: input.locale },
    { ip: null, requestId: 'bench-data' },
  );
  return { workspaceId: created.workspaceId, adminId: created.userId, adminEmail, roleIds: created.roleIds };
}
