import { randomBytes } from 'node:crypto';
import { fakerEN, fakerRU } from '@faker-js/faker';
import type { Locale } from '@rapport/shared';
import { hashPassword } from '../../packages/server/src/infra/crypto.js';
import { executeRaw, type Db } from '../../packages/server/src/infra/db.js';
import { recordAudit } from '../../packages/server/src/modules/audit/audit.service.js';
import { defaultCompanies, generateClientBase, type ClientBaseResult } from './client-base.js';
import { BENCH_PASSWORD, type DatasetContext } from './context.js';
import { assignTeamHeads, generateTeams } from './teams.js';
import { generateUsers } from './users.js';
import { createBenchWorkspace } from './workspace.js';

export { BENCH_PASSWORD } from './context.js';
export { defaultCompanies } from './client-base.js';
export { scaleForActivities } from './activities.js';

export interface DatasetOptions {
  /** 1 → one workspace with 10 teams and 50 users (+ admin); counts grow linearly. */
  scale: number;
  locale?: Locale;
  /** Faker seed: the same seed gives the same names (ids and e-mails stay unique per run). */
  seed?: number;
  /** Contacts to generate (default 0: users and teams only, as api-overhead needs). */
  contacts?: number;
  /** Companies to generate (default 30 % of `contacts`). */
  companies?: number;
  /** Activities on the contacts, plus the users' tasks (default 0: neither). */
  activities?: number;
  /** Deals over three pipelines with their stage history (default 0; needs contacts). */
  deals?: number;
  /** Progress of long runs (client base loading, index rebuilds). */
  log?: (line: string) => void;
}

export interface DatasetSummary {
  workspaceId: string;
  scale: number;
  password: string;
  logins: { admin: string; head?: string | undefined; manager?: string | undefined; rep?: string | undefined };
  counts: DatasetCounts;
  /** The client base's loading details (absent without contacts or companies). */
  clientBase?: ClientBaseResult & { vacuumMs: number };
  ms: number;
}

export interface DatasetCounts {
  teams: number;
  users: number;
  companies: number;
  contacts: number;
  contactCompanyLinks: number;
  activities?: number | undefined;
  tasks?: number | undefined;
  deals?: number | undefined;
}

/** One-line description stored with benchmark results. */
export function describeDataset(summary: DatasetSummary): string {
  return describeCounts(summary.scale, summary.counts);
}

export function describeCounts(scale: number, counts: DatasetCounts): string {
  const clientBase =
    counts.contacts + counts.companies > 0
      ? `, ${counts.companies.toLocaleString('en')} companies, ${counts.contacts.toLocaleString('en')} contacts (${counts.contactCompanyLinks.toLocaleString('en')} company links)`
      : '';
  const work = counts.activities ? `, ${counts.activities.toLocaleString('en')} activities, ${(counts.tasks ?? 0).toLocaleString('en')} tasks` : '';
  const sales = counts.deals ? `, ${counts.deals.toLocaleString('en')} deals` : '';
  return `bench dataset scale ${scale}: 1 workspace, ${counts.teams} teams, ${counts.users} users${clientBase}${work}${sales}`;
}

/**
 * Creates a workspace at `scale` on an open, migrated database: the workspace, roles and admin through the
 * server's setup code, then teams and users as multi-row inserts (one shared argon2 hash), then optionally the
 * client base (companies, contacts, their links; activities and tasks) bulk-loaded. Each entity kind has its own generator in
 * bench/dataset/. After a client base, the tables are vacuumed and analysed, as autovacuum would have done on a
 * live database, so plans and index-only scans are those of a steady state.
 */
export async function generateDataset(db: Db, options: DatasetOptions): Promise<DatasetSummary> {
  const started = performance.now();
  const locale = options.locale ?? 'en';
  const scale = Math.max(1, Math.floor(options.scale));
  const faker = locale === 'ru' ? fakerRU : fakerEN;
  faker.seed(options.seed ?? 2026);
  const runId = randomBytes(4).toString('hex');
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const contacts = Math.max(0, Math.floor(options.contacts ?? 0));
  const companies = Math.max(0, Math.floor(options.companies ?? defaultCompanies(contacts)));
  const activities = Math.max(0, Math.floor(options.activities ?? 0));
  if (activities > 0 && contacts === 0) throw new Error('activities need contacts: give contacts too');
  const deals = Math.max(0, Math.floor(options.deals ?? 0));
  if (deals > 0 && contacts === 0) throw new Error('deals need contacts: give contacts too');
  const log = options.log ?? (() => undefined);
  const { workspace, teams, users, clientBase } = await db.transaction().execute(async (trx) => {
    const workspace = await createBenchWorkspace(trx, { name: `${faker.company.name()} (bench ×${scale})`, runId, locale });
    const ctx: DatasetContext = { db: trx, faker, scale, locale, runId, workspaceId: workspace.workspaceId, adminId: workspace.adminId, roleIds: workspace.roleIds, passwordHash };
    const teams = await generateTeams(ctx);
    const users = await generateUsers(ctx, teams.regions);
    await assignTeamHeads(ctx, users.heads);
    const clientBase = contacts + companies > 0 ? await generateClientBase(ctx, users.owners, { contacts, companies, activities, deals }, options.seed ?? 2026, log) : undefined;
    // The entry says what was generated and who signs in: benchmarks can find a pre-generated workspace by it.
    await recordAudit(trx, { workspaceId: workspace.workspaceId, actorId: workspace.adminId, actorType: 'system', ip: null, requestId: 'bench-data' }, {
      action: 'workspace.seed_bench',
      objectType: 'workspace',
      objectId: workspace.workspaceId,
      meta: { scale, teams: teams.count, users: users.count, companies, contacts, links: clientBase?.links ?? 0, activities, tasks: clientBase?.work?.tasks ?? 0, deals, logins: { admin: workspace.adminEmail, ...users.logins } },
    });
    return { workspace, teams, users, clientBase };
  });
  let vacuumMs = 0;
  if (clientBase) {
    const vacuumStarted = performance.now();
    // search_word: the name vocabulary the insert triggers filled (migration 0006); search plans read its statistics.
    const work = clientBase.work ? ', activity, activity_link, activity_participant, task, task_member' : '';
    const sales = clientBase.sales ? ', deal, deal_stage_history, deal_contact, deal_stage_total' : '';
    await executeRaw(db, `VACUUM (ANALYZE) company, contact, contact_company, search_word${work}${sales}`, []);
    vacuumMs = performance.now() - vacuumStarted;
    log(`vacuum + analyze: ${Math.round(vacuumMs / 1000)} s`);
  }
  return {
    workspaceId: workspace.workspaceId,
    scale,
    password: BENCH_PASSWORD,
    logins: { admin: workspace.adminEmail, ...users.logins },
    counts: { teams: teams.count, users: users.count + 1, companies, contacts, contactCompanyLinks: clientBase?.links ?? 0, activities: clientBase?.work?.activities, tasks: clientBase?.work?.tasks, deals: clientBase?.sales?.deals },
    ...(clientBase ? { clientBase: { ...clientBase, vacuumMs } } : {}),
    ms: performance.now() - started,
  };
}
