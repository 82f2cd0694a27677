import { randomBytes } from 'node:crypto';
import { fakerEN, fakerRU } from '@faker-js/faker';
import type { Locale } from '@rapport/shared';
import { hashPassword } from '../../packages/server/src/infra/crypto.js';
import type { Db } from '../../packages/server/src/infra/db.js';
import { recordAudit } from '../../packages/server/src/modules/audit/audit.service.js';
import { BENCH_PASSWORD, type DatasetContext } from './context.js';
import { assignTeamHeads, generateTeams } from './teams.js';
import { generateUsers } from './users.js';
import { createBenchWorkspace } from './workspace.js';

export { BENCH_PASSWORD } from './context.js';

export interface DatasetOptions {
  /** 1 → one workspace with 10 teams and 50 users (+ admin); counts grow linearly. */
  scale: number;
  locale?: Locale;
  /** Faker seed: the same seed gives the same names (ids and e-mails stay unique per run). */
  seed?: number;
}

export interface DatasetSummary {
  workspaceId: string;
  scale: number;
  password: string;
  logins: { admin: string; head?: string | undefined; manager?: string | undefined; rep?: string | undefined };
  counts: { teams: number; users: number };
  ms: number;
}

/** One-line description stored with benchmark results. */
export function describeDataset(summary: DatasetSummary): string {
  return `bench dataset scale ${summary.scale}: 1 workspace, ${summary.counts.teams} teams, ${summary.counts.users} users`;
}

/**
 * Creates a workspace at `scale` on an open, migrated database: the workspace, roles and admin through the
 * server's setup code, then teams and users as multi-row inserts (one shared argon2 hash). Each entity kind
 * has its own generator in bench/dataset/; later issues add companies, contacts, deals the same way.
 */
export async function generateDataset(db: Db, options: DatasetOptions): Promise<DatasetSummary> {
  const started = performance.now();
  const locale = options.locale ?? 'en';
  const scale = Math.max(1, Math.floor(options.scale));
  const faker = locale === 'ru' ? fakerRU : fakerEN;
  faker.seed(options.seed ?? 2026);
  const runId = randomBytes(4).toString('hex');
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const { workspace, teams, users } = await db.transaction().execute(async (trx) => {
    const workspace = await createBenchWorkspace(trx, { name: `${faker.company.name()} (bench ×${scale})`, runId, locale });
    const ctx: DatasetContext = { db: trx, faker, scale, locale, runId, workspaceId: workspace.workspaceId, adminId: workspace.adminId, roleIds: workspace.roleIds, passwordHash };
    const teams = await generateTeams(ctx);
    const users = await generateUsers(ctx, teams.regions);
    await assignTeamHeads(ctx, users.heads);
    await recordAudit(trx, { workspaceId: workspace.workspaceId, actorId: workspace.adminId, actorType: 'system', ip: null, requestId: 'bench-data' }, {
      action: 'workspace.seed_bench',
      objectType: 'workspace',
      objectId: workspace.workspaceId,
      meta: { scale, teams: teams.count, users: users.count },
    });
    return { workspace, teams, users };
  });
  return {
    workspaceId: workspace.workspaceId,
    scale,
    password: BENCH_PASSWORD,
    logins: { admin: workspace.adminEmail, ...users.logins },
    counts: { teams: teams.count, users: users.count + 1 },
    ms: performance.now() - started,
  };
}
