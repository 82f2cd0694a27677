import type { Insertable } from 'kysely';
import type { AppUserTable } from '../../packages/server/src/infra/db-schema.js';
import { newId } from '../../packages/server/src/infra/ids.js';
import { insertInBatches, pastDate, type DatasetContext } from './context.js';
import type { Region } from './teams.js';

export const USERS_PER_REGION = 50;
const REPS_PER_REGION = 40;
/** Every 25th rep has left the company (status disabled), as in a real directory. */
const DISABLED_EVERY = 25;

export interface GeneratedUsers {
  count: number;
  /** head_id for each team (department head, branch manager, team lead). */
  heads: { teamId: string; userId: string }[];
  /** One e-mail per role, to sign in as in later benchmarks. */
  logins: { head?: string; manager?: string; rep?: string };
  /** Active non-admin users with their teams: the owners client records are spread over. */
  owners: { userId: string; teamId: string }[];
}

function emailLocalPart(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z ]/g, '')
    .trim()
    .replace(/\s+/g, '.');
  return ascii || 'user';
}

/**
 * Per region of 10 teams, 50 people: a department head, three branch managers, six team leads (role manager)
 * and 40 reps spread over the six teams, each reporting to the lead above; all share one password hash.
 */
export async function generateUsers(ctx: DatasetContext, regions: readonly Region[]): Promise<GeneratedUsers> {
  const { faker } = ctx;
  const rows: Insertable<AppUserTable>[] = [];
  const heads: GeneratedUsers['heads'] = [];
  const logins: GeneratedUsers['logins'] = {};
  const owners: GeneratedUsers['owners'] = [];
  const domain = `${ctx.runId}.bench.rapport.local`;
  let repCount = 0;
  const add = (role: keyof DatasetContext['roleIds'], teamId: string, managerId: string | null): string => {
    const id = newId();
    const name = faker.person.fullName();
    const email = `${emailLocalPart(name)}.${rows.length + 1}@${domain}`;
    const created = pastDate(ctx.faker);
    const disabled = role === 'rep' && ++repCount % DISABLED_EVERY === 0;
    rows.push({
      workspace_id: ctx.workspaceId,
      id,
      email,
      name,
      password_hash: ctx.passwordHash,
      locale: ctx.locale,
      status: disabled ? 'disabled' : 'active',
      role_id: ctx.roleIds[role],
      team_id: teamId,
      manager_id: managerId,
      last_login_at: disabled ? null : faker.date.recent({ days: 30 }),
      created_at: created,
      updated_at: created,
      created_by: ctx.adminId,
      updated_by: ctx.adminId,
    });
    if (role !== 'admin' && !disabled) logins[role] ??= email;
    if (role !== 'admin' && !disabled) owners.push({ userId: id, teamId });
    return id;
  };

  for (const region of regions) {
    const headId = add('head', region.department, null);
    heads.push({ teamId: region.department, userId: headId });
    const leads: { teamId: string; userId: string }[] = [];
    for (const branch of region.branches) {
      const managerId = add('manager', branch.id, headId);
      heads.push({ teamId: branch.id, userId: managerId });
      for (const teamId of branch.teams) {
        const leadId = add('manager', teamId, managerId);
        heads.push({ teamId, userId: leadId });
        leads.push({ teamId, userId: leadId });
      }
    }
    for (let i = 0; i < REPS_PER_REGION; i++) {
      const lead = leads[i % leads.length];
      if (lead) add('rep', lead.teamId, lead.userId);
    }
  }
  // Managers precede their reports in `rows`, so the self-reference holds statement by statement.
  await insertInBatches(rows, (batch) => ctx.db.insertInto('app_user').values(batch).execute());
  return { count: rows.length, heads, logins, owners };
}
