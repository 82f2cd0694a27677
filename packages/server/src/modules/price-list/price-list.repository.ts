import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { PriceListItemTable, PriceListTable } from '../../infra/db-schema.js';

export type PriceListRow = Selectable<PriceListTable> & { item_count: number };

const withCount = (ex: Executor) =>
  ex
    .selectFrom('price_list as l')
    .selectAll('l')
    .select((eb) => eb.selectFrom('price_list_item as i').whereRef('i.workspace_id', '=', 'l.workspace_id').whereRef('i.price_list_id', '=', 'l.id').select(eb.fn.countAll<number>().as('n')).as('item_count'));

export async function listPriceLists(ex: Executor, workspaceId: string, filter: { currency: string | undefined; includeArchived: boolean }): Promise<PriceListRow[]> {
  let query = withCount(ex).where('l.workspace_id', '=', workspaceId);
  if (!filter.includeArchived) query = query.where('l.archived_at', 'is', null);
  if (filter.currency) query = query.where('l.currency', '=', filter.currency);
  const rows = await query.orderBy('l.name').orderBy('l.id').execute();
  return rows.map((row) => ({ ...row, item_count: Number(row.item_count) }));
}

export async function findPriceList(ex: Executor, workspaceId: string, id: string, forUpdate = false): Promise<PriceListRow | undefined> {
  if (forUpdate) await ex.selectFrom('price_list').select('id').where('workspace_id', '=', workspaceId).where('id', '=', id).forUpdate().execute();
  const row = await withCount(ex).where('l.workspace_id', '=', workspaceId).where('l.id', '=', id).executeTakeFirst();
  return row ? { ...row, item_count: Number(row.item_count) } : undefined;
}

/** The live default list of a currency, if any. */
export async function defaultPriceList(ex: Executor, workspaceId: string, currency: string): Promise<{ id: string } | undefined> {
  return ex.selectFrom('price_list').select('id').where('workspace_id', '=', workspaceId).where('currency', '=', currency).where('is_default', '=', true).where('archived_at', 'is', null).executeTakeFirst();
}

/** Names of lists by id (archived ones too: a deal may still name one). */
export async function priceListNames(ex: Executor, workspaceId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ex.selectFrom('price_list').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

export async function insertPriceList(ex: Executor, row: Insertable<PriceListTable>): Promise<void> {
  await ex.insertInto('price_list').values(row).execute();
}

/** Optimistic update: nothing changes (and false comes back) unless the version still matches. */
export async function updatePriceList(ex: Executor, workspaceId: string, id: string, version: number, patch: Updateable<PriceListTable>, by: string | null): Promise<boolean> {
  const result = await ex
    .updateTable('price_list')
    .set({ ...patch, updated_by: by, updated_at: new Date(), version: (eb) => eb('version', '+', 1) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The other live list of this currency that is its default now gives that up. */
export async function clearDefault(ex: Executor, workspaceId: string, currency: string, exceptId: string, by: string | null): Promise<{ id: string }[]> {
  return ex
    .updateTable('price_list')
    .set({ is_default: false, updated_by: by, updated_at: new Date(), version: (eb) => eb('version', '+', 1) })
    .where('workspace_id', '=', workspaceId)
    .where('currency', '=', currency)
    .where('is_default', '=', true)
    .where('id', '!=', exceptId)
    .returning('id')
    .execute();
}

export interface PriceListItemRow {
  product_id: string;
  product_name: string;
  sku: string;
  price: string;
  valid_from: string | null;
  valid_to: string | null;
}

/** A list's prices in the order they were written, with the products' names; `productIds` narrows them. */
export async function itemsOfPriceList(ex: Executor, workspaceId: string, priceListId: string, productIds?: string[]): Promise<PriceListItemRow[]> {
  if (productIds?.length === 0) return [];
  let query = ex
    .selectFrom('price_list_item as i')
    .innerJoin('product as p', (join) => join.onRef('p.workspace_id', '=', 'i.workspace_id').onRef('p.id', '=', 'i.product_id'))
    .select(['i.product_id', 'p.name as product_name', 'p.sku', sql<string>`i.price::text`.as('price'), sql<string | null>`i.valid_from::text`.as('valid_from'), sql<string | null>`i.valid_to::text`.as('valid_to')])
    .where('i.workspace_id', '=', workspaceId)
    .where('i.price_list_id', '=', priceListId);
  if (productIds) query = query.where('i.product_id', 'in', productIds);
  return query.orderBy('i.position').execute();
}

/** The list's prices become exactly `rows`. */
export async function replacePriceListItems(ex: Executor, workspaceId: string, priceListId: string, rows: Insertable<PriceListItemTable>[]): Promise<void> {
  await ex.deleteFrom('price_list_item').where('workspace_id', '=', workspaceId).where('price_list_id', '=', priceListId).execute();
  if (rows.length > 0) await ex.insertInto('price_list_item').values(rows).execute();
}
