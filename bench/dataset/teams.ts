import type { Insertable } from 'kysely';
import type { TeamTable } from '../../packages/server/src/infra/db-schema.js';
import { executeRaw } from '../../packages/server/src/infra/db.js';
import { newId } from '../../packages/server/src/infra/ids.js';
import { insertInBatches, pastDate, type DatasetContext } from './context.js';

/** One sales region: a department with three branches of two teams each (10 teams). */
export interface Region {
  department: string;
  branches: { id: string; teams: string[] }[];
}

export const TEAMS_PER_REGION = 10;

/** `scale` sales regions of 10 teams each; heads are set by assignTeamHeads once the users exist. */
export async function generateTeams(ctx: DatasetContext): Promise<{ regions: Region[]; count: number }> {
  const { faker } = ctx;
  const rows: Insertable<TeamTable>[] = [];
  const regions: Region[] = [];
  const add = (name: string, kind: TeamTable['kind'], parentId: string | null) => {
    const id = newId();
    const created = pastDate(faker);
    rows.push({ workspace_id: ctx.workspaceId, id, name, kind, parent_id: parentId, head_id: null, created_at: created, updated_at: created, created_by: ctx.adminId, updated_by: ctx.adminId });
    return id;
  };
  const segments = ctx.locale === 'ru' ? ['МСБ', 'Корпоративные клиенты'] : ['SMB', 'Enterprise'];
  const sides = ctx.locale === 'ru' ? ['Север', 'Центр', 'Юг'] : ['North', 'Centre', 'South'];
  for (let r = 0; r < ctx.scale; r++) {
    const city = faker.location.city();
    const department = add(ctx.locale === 'ru' ? `Продажи — ${city}` : `Sales ${city}`, 'department', null);
    const branches = sides.map((side) => {
      const branchName = `${city} ${side}`;
      const id = add(branchName, 'branch', department);
      return { id, teams: segments.map((segment) => add(`${branchName} — ${segment}`, 'team', id)) };
    });
    regions.push({ department, branches });
  }
  await insertInBatches(rows, (batch) => ctx.db.insertInto('team').values(batch).execute());
  return { regions, count: rows.length };
}

/** Sets each team's head once its people exist (one statement; team.head_id has no foreign key). */
export async function assignTeamHeads(ctx: DatasetContext, heads: { teamId: string; userId: string }[]): Promise<void> {
  if (heads.length === 0) return;
  await executeRaw(
    ctx.db,
    'UPDATE team SET head_id = v.user_id FROM unnest($2::uuid[], $3::uuid[]) AS v(team_id, user_id) WHERE team.workspace_id = $1 AND team.id = v.team_id',
    [ctx.workspaceId, heads.map((head) => head.teamId), heads.map((head) => head.userId)],
  );
}
