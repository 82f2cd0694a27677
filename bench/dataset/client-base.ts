import { Faker, base as baseLocale, en, ru } from '@faker-js/faker';
import { executeRaw } from '../../packages/server/src/infra/db.js';
import { getWorkspaceCountry } from '../../packages/server/src/modules/workspace/workspace.service.js';
import { generateActivities, type ActivitiesResult } from './activities.js';
import { REBUILD_INDEXES_FROM, withIndexesRebuilt } from './bulk.js';
import { generateCompanies } from './companies.js';
import { generateContacts } from './contacts.js';
import { generateDeals, type DealsResult } from './deals.js';
import type { ClientBaseContext, DatasetContext } from './context.js';
import { generateTasks, type TasksResult } from './tasks.js';
import { createWorkTables } from './work-sql.js';

export interface ClientBaseSize {
  companies: number;
  contacts: number;
  /** Activities on the contacts (and their companies), with the users' tasks; default 0: neither. */
  activities?: number;
  /** Deals over the workspace's pipelines, with their stage history and contact people; default 0. */
  deals?: number;
}

/** Tables the activities and tasks go to: their indexes are rebuilt after a large load too. */
const WORK_TABLES = ['activity', 'activity_link', 'activity_participant', 'task', 'task_member'];
/** Tables the deals go to. */
const DEAL_TABLES = ['deal', 'deal_stage_history', 'deal_contact'];

export interface ClientBaseResult extends ClientBaseSize {
  links: number;
  /** Activities and tasks generated (absent without activities). */
  work?: (ActivitiesResult & TasksResult) | undefined;
  /** Deals generated (absent without deals). */
  sales?: DealsResult | undefined;
  /** Phones the server's normalisation refused (they would go to a note); expected 0. */
  droppedPhones: number;
  loadMs: number;
  indexes: number;
  indexRebuildMs: number;
}

/** Companies default to 30 % of the contacts (1M contacts → 300k companies, the dataset). */
export const defaultCompanies = (contacts: number) => Math.round(contacts * 0.3);

/**
 * Companies, then contacts with their company links, then (with `activities`) the activities on them and the users'
 * tasks, in the run's transaction. Large loads drop the tables' secondary indexes and rebuild them at the end (see
 * withIndexesRebuilt) with a bigger maintenance_work_mem; last_activity_at is written while the contacts' are down.
 */
export async function generateClientBase(dataset: DatasetContext, owners: ClientBaseContext['owners'], size: ClientBaseSize, seed: number, log: (line: string) => void): Promise<ClientBaseResult> {
  if (owners.length === 0) throw new Error('client records need at least one active user to own them');
  const started = performance.now();
  const fakers = { en: new Faker({ locale: [en, baseLocale] }), ru: new Faker({ locale: [ru, en, baseLocale] }) };
  fakers.en.seed(seed + 1);
  fakers.ru.seed(seed + 2);
  const lastLogged: Record<string, number> = {};
  const ctx: ClientBaseContext = {
    ...dataset,
    fakers,
    country: await getWorkspaceCountry(dataset.db, dataset.workspaceId),
    owners,
    stats: { droppedPhones: 0 },
    progress(kind, done, total) {
      const step = Math.max(total / 10, 50_000);
      if (done === total || done - (lastLogged[kind] ?? 0) >= step) {
        lastLogged[kind] = done;
        log(`${kind}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} (${Math.round((performance.now() - started) / 1000)} s)`);
      }
    },
  };
  let links = 0;
  let work: ClientBaseResult['work'];
  let sales: ClientBaseResult['sales'];
  const activities = size.activities ?? 0;
  const deals = size.deals ?? 0;
  const load = async () => {
    const companies = await generateCompanies(ctx, size.companies);
    links = (await generateContacts(ctx, size.contacts, companies)).links;
    if (activities + deals === 0) return;
    // The activity and deal plans join and sort millions of rows: in memory rather than in temp files; only for this transaction.
    await executeRaw(ctx.db, "SELECT set_config('work_mem', '256MB', true)", []);
    const tables = await createWorkTables(ctx);
    if (activities > 0) {
      const generated = await generateActivities(ctx, tables, activities, seed, log);
      work = { ...generated, ...(await generateTasks(ctx, tables, seed)) };
      log(`tasks: ${work.tasks.toLocaleString('en')} (${work.members.toLocaleString('en')} shared with a colleague)`);
    }
    if (deals > 0) {
      sales = await generateDeals(ctx, tables, deals, seed, log);
      log(`deals: ${sales.deals.toLocaleString('en')} in ${sales.pipelines} pipelines, ${sales.stageStays.toLocaleString('en')} stage stays, ${sales.dealContacts.toLocaleString('en')} contact people`);
    }
  };
  const big = size.companies + size.contacts + activities + deals >= REBUILD_INDEXES_FROM;
  let rebuilt = { indexes: 0, rebuildMs: 0 };
  if (big) {
    // Index builds sort in memory instead of spilling to disk; only for this transaction.
    await executeRaw(ctx.db, "SELECT set_config('maintenance_work_mem', '512MB', true)", []);
    rebuilt = await withIndexesRebuilt(ctx.db, ['company', 'contact', 'contact_company', ...(activities > 0 ? WORK_TABLES : []), ...(deals > 0 ? DEAL_TABLES : [])], load, log);
  } else {
    await load();
  }
  return { ...size, links, work, sales, droppedPhones: ctx.stats.droppedPhones, loadMs: performance.now() - started - rebuilt.rebuildMs, indexes: rebuilt.indexes, indexRebuildMs: rebuilt.rebuildMs };
}
