import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { ProductTable } from '../../infra/db-schema.js';

export type ProductRow = Selectable<ProductTable>;

export interface ProductListFilter {
  /** Part of the name or SKU, any case. */
  q: string | undefined;
  includeArchived: boolean;
  limit: number;
  /** The (name, id) of the last row of the previous page. */
  after: [string, string] | undefined;
}

const likePattern = (text: string) => `%${text.replace(/[%_\\]/g, '\\$&')}%`;

/** One page (plus one row to tell whether more follow) in name order. */
export async function listProducts(ex: Executor, workspaceId: string, filter: ProductListFilter): Promise<ProductRow[]> {
  let query = ex.selectFrom('product').selectAll().where('workspace_id', '=', workspaceId);
  if (!filter.includeArchived) query = query.where('archived_at', 'is', null);
  const q = filter.q?.trim();
  if (q) query = query.where((eb) => eb.or([eb('name', 'ilike', likePattern(q)), eb('sku', 'ilike', likePattern(q))]));
  if (filter.after) {
    const [name, id] = filter.after;
    query = query.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
  }
  return query.orderBy('name').orderBy('id').limit(filter.limit + 1).execute();
}

export async function findProduct(ex: Executor, workspaceId: string, id: string, forUpdate = false): Promise<ProductRow | undefined> {
  let query = ex.selectFrom('product').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findProducts(ex: Executor, workspaceId: string, ids: string[]): Promise<ProductRow[]> {
  if (ids.length === 0) return [];
  return ex.selectFrom('product').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
}

/** The live product holding this SKU (any case), other than `exceptId`. */
export async function liveProductWithSku(ex: Executor, workspaceId: string, sku: string, exceptId?: string): Promise<ProductRow | undefined> {
  let query = ex
    .selectFrom('product')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('archived_at', 'is', null)
    .where(sql`lower(sku)`, '=', sku.toLowerCase());
  if (exceptId) query = query.where('id', '!=', exceptId);
  return query.executeTakeFirst();
}

export async function insertProduct(ex: Executor, row: Insertable<ProductTable>): Promise<ProductRow> {
  return ex.insertInto('product').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Optimistic update: nothing changes (and undefined comes back) unless the version still matches. */
export async function updateProduct(ex: Executor, workspaceId: string, id: string, version: number, patch: Updateable<ProductTable>, by: string | null): Promise<ProductRow | undefined> {
  return ex
    .updateTable('product')
    .set({ ...patch, updated_by: by, updated_at: new Date(), version: (eb) => eb('version', '+', 1) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

/** Version and archiving of products, for an import's undo (which checks nothing changed since). */
export function productStates(ex: Executor, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return ex.selectFrom('product').select(['id', 'version', 'archived_at']).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
}

/** Products among `ids` that a deal line, a price list, a lead-distribution rule or an assigned lead refers to. */
export async function productsInUse(ex: Executor, workspaceId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await ex
    .selectFrom('deal_item')
    .select('product_id as id')
    .where('workspace_id', '=', workspaceId)
    .where('product_id', 'in', ids)
    .union(ex.selectFrom('price_list_item').select('product_id as id').where('workspace_id', '=', workspaceId).where('product_id', 'in', ids))
    .union(ex.selectFrom('lead_assignment').select('product_id as id').where('workspace_id', '=', workspaceId).where('product_id', 'in', ids))
    .union(ex.selectFrom('lead_distribution_rule').select(sql<string>`unnest(product_ids)`.as('id')).where('workspace_id', '=', workspaceId).where('product_ids', '&&', sql<string[]>`${ids}::uuid[]`))
    .execute();
  return rows.map((row) => row.id).filter((id): id is string => id !== null && ids.includes(id));
}

export async function deleteProducts(ex: Executor, workspaceId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await ex.deleteFrom('product').where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
}
