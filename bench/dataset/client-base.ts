import { Faker, base as baseLocale, en, ru } from '@faker-js/faker';
import { executeRaw } from '../../packages/server/src/infra/db.js';
import { getWorkspaceCountry } from '../../packages/server/src/modules/workspace/workspace.service.js';
import { REBUILD_INDEXES_FROM, withIndexesRebuilt } from './bulk.js';
import { generateCompanies } from './companies.js';
import { generateContacts } from './contacts.js';
import type { ClientBaseContext, DatasetContext } from './context.js';

export interface ClientBaseSize {
  companies: number;
  contacts: number;
}

export interface ClientBaseResult extends ClientBaseSize {
  links: number;
  /** Phones the server's normalisation refused (they would go to a note); expected 0. */
  droppedPhones: number;
  loadMs: number;
  indexes: number;
  indexRebuildMs: number;
}

/** Companies default to 30 % of the contacts (1M contacts → 300k companies, the dataset). */
export const defaultCompanies = (contacts: number) => Math.round(contacts * 0.3);

/**
 * Companies, then contacts with their company links, in the run's transaction. Large loads drop the tables'
 * secondary indexes and rebuild them at the end (see withIndexesRebuilt) with a bigger maintenance_work_mem.
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
  const load = async () => {
    const companies = await generateCompanies(ctx, size.companies);
    links = (await generateContacts(ctx, size.contacts, companies)).links;
  };
  const big = size.companies + size.contacts >= REBUILD_INDEXES_FROM;
  let rebuilt = { indexes: 0, rebuildMs: 0 };
  if (big) {
    // Index builds sort in memory instead of spilling to disk; only for this transaction.
    await executeRaw(ctx.db, "SELECT set_config('maintenance_work_mem', '512MB', true)", []);
    rebuilt = await withIndexesRebuilt(ctx.db, ['company', 'contact', 'contact_company'], load, log);
  } else {
    await load();
  }
  return { ...size, links, droppedPhones: ctx.stats.droppedPhones, loadMs: performance.now() - started - rebuilt.rebuildMs, indexes: rebuilt.indexes, indexRebuildMs: rebuilt.rebuildMs };
}
