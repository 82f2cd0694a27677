import type { Team } from '@rapport/shared';
import type { Selectable } from 'kysely';
import { accessScope } from '../../core/access-scope.js';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import type { TeamTable } from '../../infra/db-schema.js';
import { newId } from '../../infra/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { countMembersAndChildren, findTeam, insertTeam, listTeams, subtreeIds, updateTeam } from './team.repository.js';

type TeamKind = TeamTable['kind'];

function toTeam(row: Selectable<TeamTable>): Team {
  return { id: row.id, name: row.name, kind: row.kind, parentId: row.parent_id, headId: row.head_id, createdAt: row.created_at.toISOString(), version: row.version };
}

export interface TeamInput {
  name: string;
  kind?: TeamKind | undefined;
  parentId?: string | null | undefined;
  headId?: string | null | undefined;
}

/** The team and all teams below it: the reach of a "team and sub-teams" scope. */
export async function teamExists(ex: Executor, workspaceId: string, teamId: string): Promise<boolean> {
  return (await findTeam(ex, workspaceId, teamId)) !== undefined;
}

export function teamTree(ex: Executor, workspaceId: string, teamId: string): Promise<string[]> {
  return subtreeIds(ex, workspaceId, teamId);
}

/** Team heads are users; the user module answers whether one exists (injected to keep modules acyclic). */
/** Team id → name: lists and exports show teams by name. */
export async function teamNames(ex: Executor, workspaceId: string): Promise<Map<string, string>> {
  return new Map((await listTeams(ex, workspaceId)).map((team) => [team.id, team.name]));
}

export interface TeamServicePeers {
  userExists(ex: Executor, workspaceId: string, userId: string): Promise<boolean>;
}

export function createTeamService(deps: ServiceDeps, peers: TeamServicePeers) {
  async function list(ctx: Ctx): Promise<Team[]> {
    accessScope(ctx.actor, 'team', 'read');
    return (await listTeams(deps.db, ctx.actor.workspaceId)).map(toTeam);
  }

  async function checkParent(ex: Executor, workspaceId: string, id: string | undefined, parentId: string | null | undefined): Promise<void> {
    if (!parentId) return;
    if (!(await findTeam(ex, workspaceId, parentId))) throw new AppError('validation', { errors: [{ path: '/body/parentId', message: 'no such team' }] });
    if (id && (await subtreeIds(ex, workspaceId, id)).includes(parentId)) {
      throw new AppError('validation', { errors: [{ path: '/body/parentId', message: 'a team cannot sit below itself' }] });
    }
  }

  async function checkHead(ex: Executor, workspaceId: string, headId: string | null | undefined): Promise<void> {
    if (!headId) return;
    if (!(await peers.userExists(ex, workspaceId, headId))) throw new AppError('validation', { errors: [{ path: '/body/headId', message: 'no such user' }] });
  }

  async function create(ctx: Ctx, input: TeamInput): Promise<Team> {
    accessScope(ctx.actor, 'team', 'create');
    const { workspaceId, userId } = ctx.actor;
    const id = newId();
    return deps.db.transaction().execute(async (trx) => {
      await checkParent(trx, workspaceId, undefined, input.parentId);
      await checkHead(trx, workspaceId, input.headId);
      await insertTeam(trx, { workspace_id: workspaceId, id, name: input.name.trim(), kind: input.kind ?? 'team', parent_id: input.parentId ?? null, head_id: input.headId ?? null, created_by: userId, updated_by: userId });
      await recordAudit(trx, ctx, { action: 'team.create', objectType: 'team', objectId: id, meta: { name: input.name, parentId: input.parentId ?? null } });
      const row = await findTeam(trx, workspaceId, id);
      return toTeam(row!);
    });
  }

  async function update(ctx: Ctx, id: string, patch: Partial<TeamInput>, version: number | undefined): Promise<Team> {
    accessScope(ctx.actor, 'team', 'update');
    const expected = requireVersion(version);
    const { workspaceId, userId } = ctx.actor;
    return deps.db.transaction().execute(async (trx) => {
      const before = await findTeam(trx, workspaceId, id);
      if (!before) throw new AppError('not_found', { message: 'Team not found' });
      await checkParent(trx, workspaceId, id, patch.parentId);
      await checkHead(trx, workspaceId, patch.headId);
      const after = await updateTeam(trx, workspaceId, id, expected, { name: patch.name?.trim(), kind: patch.kind, parent_id: patch.parentId, head_id: patch.headId, updated_by: userId });
      if (!after) throw new AppError('version_conflict', { message: 'The team was changed by someone else; reload it', currentVersion: before.version });
      await recordAudit(trx, ctx, { action: 'team.update', objectType: 'team', objectId: id, changes: diffFields(before, after, ['name', 'kind', 'parent_id', 'head_id']) });
      return toTeam(after);
    });
  }

  async function remove(ctx: Ctx, id: string): Promise<void> {
    accessScope(ctx.actor, 'team', 'delete');
    const { workspaceId, userId } = ctx.actor;
    await deps.db.transaction().execute(async (trx) => {
      const team = await findTeam(trx, workspaceId, id);
      if (!team) throw new AppError('not_found', { message: 'Team not found' });
      const { members, children } = await countMembersAndChildren(trx, workspaceId, id);
      if (members > 0 || children > 0) throw new AppError('conflict', { message: 'Move the team members and sub-teams elsewhere first' });
      await updateTeam(trx, workspaceId, id, team.version, { deleted_at: new Date(), updated_by: userId });
      await recordAudit(trx, ctx, { action: 'team.delete', objectType: 'team', objectId: id, meta: { name: team.name } });
    });
  }

  return { list, create, update, remove };
}

export type TeamService = ReturnType<typeof createTeamService>;
