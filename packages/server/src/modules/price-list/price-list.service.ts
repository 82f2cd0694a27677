import {
  normalizeDecimal,
  priceAppliesOn,
  priceListErrors,
  priceListItemErrors,
  type PriceList,
  type PriceListBody,
  type PriceListItemInput,
  type PriceListItems,
  type PriceListList,
  type PriceListQuery,
  type PriceListUpdateBody,
  type Product,
} from '@rapport/shared';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { productsByIds } from '../product/product.service.js';
import {
  clearDefault,
  defaultPriceList,
  findPriceList,
  insertPriceList,
  itemsOfPriceList,
  listPriceLists,
  priceListNames,
  replacePriceListItems,
  updatePriceList,
  type PriceListItemRow,
  type PriceListRow,
} from './price-list.repository.js';

export { priceListNames };

function toPriceList(row: PriceListRow): PriceList {
  return {
    id: row.id,
    name: row.name,
    currency: row.currency,
    isDefault: row.is_default,
    itemCount: row.item_count,
    archivedAt: row.archived_at ? row.archived_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

const toItem = (row: PriceListItemRow) => ({ productId: row.product_id, productName: row.product_name, sku: row.sku, price: normalizeDecimal(row.price), validFrom: row.valid_from, validTo: row.valid_to });

const stale = (version: number) => new AppError('version_conflict', { message: 'The price list was changed meanwhile', currentVersion: version });

/** A line's price as a summary for the audit log: "WIN-1 1250.00 (2026-01-01…)". */
const summary = (items: ReturnType<typeof toItem>[]) => items.map((item) => `${item.sku} ${item.price}${item.validFrom || item.validTo ? ` (${item.validFrom ?? ''}…${item.validTo ?? ''})` : ''}`);

/**
 * The price list a deal takes: the one named (live, in the deal's currency) or, when none is named, the default list
 * of the deal's currency. `path` is the field an unfit list is reported under.
 */
export async function resolveDealPriceList(ex: Executor, workspaceId: string, currency: string, priceListId: string | null | undefined, path = '/body/priceListId'): Promise<string | null> {
  if (priceListId === null) return null;
  if (priceListId === undefined) return (await defaultPriceList(ex, workspaceId, currency))?.id ?? null;
  const list = await findPriceList(ex, workspaceId, priceListId);
  if (!list || list.archived_at) throw new AppError('validation', { message: 'No such price list', errors: [{ path, message: 'no such live price list' }] });
  if (list.currency !== currency) throw new AppError('validation', { message: `The price list is in ${list.currency}, the deal in ${currency}`, errors: [{ path, message: `the list is in ${list.currency}, the deal in ${currency}` }] });
  return list.id;
}

export interface Quote {
  price: string | null;
  source: 'price_list' | 'product' | null;
  priceListName: string | null;
}

/**
 * What each product costs on a deal on `day`: its price in the deal's list when one applies, else its catalog price
 * when that is in the deal's currency, else nothing (the caller says so; a price in another currency is never taken).
 */
export async function quoteProducts(ex: Executor, workspaceId: string, deal: { priceListId: string | null; currency: string }, products: Product[], day: string): Promise<Map<string, Quote>> {
  const list = deal.priceListId ? await findPriceList(ex, workspaceId, deal.priceListId) : undefined;
  const listed = list ? await itemsOfPriceList(ex, workspaceId, list.id, products.map((product) => product.id)) : [];
  return new Map(
    products.map((product): [string, Quote] => {
      const entry = listed.find((row) => row.product_id === product.id && priceAppliesOn({ validFrom: row.valid_from, validTo: row.valid_to }, day));
      const listName = list?.name ?? null;
      if (entry) return [product.id, { price: normalizeDecimal(entry.price), source: 'price_list', priceListName: listName }];
      if (product.currency === deal.currency) return [product.id, { price: product.price, source: 'product', priceListName: listName }];
      return [product.id, { price: null, source: null, priceListName: listName }];
    }),
  );
}

/** Makes `id` the only default of its currency: the list that was, gives it up (and the audit log says so). */
async function takeDefault(ex: Executor, ctx: Ctx, currency: string, id: string): Promise<void> {
  for (const demoted of await clearDefault(ex, ctx.actor.workspaceId, currency, id, ctx.actor.userId)) {
    await recordAudit(ex, ctx, { action: 'price_list.update', objectType: 'price_list', objectId: demoted.id, changes: { isDefault: { from: true, to: false } } });
  }
}

export function createPriceListService(deps: ServiceDeps) {
  async function load(ex: Executor, ctx: Ctx, id: string, forUpdate = false): Promise<PriceListRow> {
    const row = await findPriceList(ex, ctx.actor.workspaceId, id, forUpdate);
    if (!row) throw new AppError('not_found', { message: 'No such price list' });
    return row;
  }

  const checked = (errors: { path: string; message: string }[]) => {
    if (errors.length > 0) throw new AppError('validation', { message: 'The price list is not valid', errors });
  };

  async function list(ctx: Ctx, query: PriceListQuery): Promise<PriceListList> {
    const rows = await listPriceLists(deps.db, ctx.actor.workspaceId, { currency: query.currency, includeArchived: query.includeArchived === true });
    return { items: rows.map(toPriceList) };
  }

  async function create(ctx: Ctx, body: PriceListBody): Promise<PriceList> {
    checked(priceListErrors(body));
    return deps.db.transaction().execute(async (trx) => {
      const { workspaceId, userId } = ctx.actor;
      const id = newId();
      if (body.isDefault) await takeDefault(trx, ctx, body.currency, id);
      await insertPriceList(trx, { workspace_id: workspaceId, id, name: body.name.trim(), currency: body.currency, is_default: body.isDefault === true, created_by: userId, updated_by: userId });
      const created = toPriceList((await findPriceList(trx, workspaceId, id))!);
      await recordAudit(trx, ctx, { action: 'price_list.create', objectType: 'price_list', objectId: id, meta: { name: created.name, currency: created.currency, isDefault: created.isDefault } });
      return created;
    });
  }

  async function update(ctx: Ctx, id: string, patch: Omit<PriceListUpdateBody, 'version'>, version: number | undefined): Promise<PriceList> {
    const expected = requireVersion(version);
    return deps.db.transaction().execute(async (trx) => {
      const { workspaceId, userId } = ctx.actor;
      const current = await load(trx, ctx, id, true);
      if (current.version !== expected) throw stale(current.version);
      if (current.archived_at) throw new AppError('conflict', { message: 'Restore the price list before editing it' });
      if (patch.isDefault) await takeDefault(trx, ctx, current.currency, id);
      const changes = { ...(patch.name !== undefined ? { name: patch.name.trim() } : {}), ...(patch.isDefault !== undefined ? { is_default: patch.isDefault } : {}) };
      if (!(await updatePriceList(trx, workspaceId, id, expected, changes, userId))) throw stale(current.version);
      const after = toPriceList((await findPriceList(trx, workspaceId, id))!);
      await recordAudit(trx, ctx, { action: 'price_list.update', objectType: 'price_list', objectId: id, changes: diffFields(toPriceList(current), after, ['name', 'isDefault']) });
      return after;
    });
  }

  /** Archived lists are no longer offered to deals (deals that name one keep it) and stop being a default. */
  async function setArchived(ctx: Ctx, id: string, archived: boolean): Promise<PriceList> {
    return deps.db.transaction().execute(async (trx) => {
      const { workspaceId, userId } = ctx.actor;
      const current = await load(trx, ctx, id, true);
      if ((current.archived_at !== null) === archived) return toPriceList(current);
      const patch = archived ? { archived_at: new Date(), is_default: false } : { archived_at: null };
      if (!(await updatePriceList(trx, workspaceId, id, current.version, patch, userId))) throw stale(current.version);
      await recordAudit(trx, ctx, { action: archived ? 'price_list.delete' : 'price_list.restore', objectType: 'price_list', objectId: id, meta: { name: current.name } });
      return toPriceList((await findPriceList(trx, workspaceId, id))!);
    });
  }

  async function items(ctx: Ctx, id: string): Promise<PriceListItems> {
    const row = await load(deps.db, ctx, id);
    return { items: (await itemsOfPriceList(deps.db, ctx.actor.workspaceId, id)).map(toItem), currency: row.currency, version: row.version };
  }

  /** Writes all of a list's prices at once, with the list's version; each product must be in the catalog, once. */
  async function replaceItems(ctx: Ctx, id: string, inputs: PriceListItemInput[], version: number | undefined): Promise<PriceListItems> {
    const expected = requireVersion(version);
    checked(priceListItemErrors(inputs));
    return deps.db.transaction().execute(async (trx) => {
      const { workspaceId, userId } = ctx.actor;
      const current = await load(trx, ctx, id, true);
      if (current.version !== expected) throw stale(current.version);
      if (current.archived_at) throw new AppError('conflict', { message: 'Restore the price list before editing it' });
      const products = await productsByIds(trx, workspaceId, inputs.map((input) => input.productId));
      checked(inputs.flatMap((input, index) => (products.has(input.productId) ? [] : [{ path: `/body/items/${index}/productId`, message: 'no such product in the catalog' }])));
      const before = (await itemsOfPriceList(trx, workspaceId, id)).map(toItem);
      await replacePriceListItems(
        trx,
        workspaceId,
        id,
        inputs.map((input, position) => ({ workspace_id: workspaceId, price_list_id: id, product_id: input.productId, position, price: normalizeDecimal(input.price), valid_from: input.validFrom ?? null, valid_to: input.validTo ?? null })),
      );
      if (!(await updatePriceList(trx, workspaceId, id, expected, {}, userId))) throw stale(current.version);
      const after = (await itemsOfPriceList(trx, workspaceId, id)).map(toItem);
      await recordAudit(trx, ctx, { action: 'price_list.update', objectType: 'price_list', objectId: id, changes: diffFields({ prices: summary(before) }, { prices: summary(after) }, ['prices']) });
      return { items: after, currency: current.currency, version: expected + 1 };
    });
  }

  return {
    list,
    get: async (ctx: Ctx, id: string) => toPriceList(await load(deps.db, ctx, id)),
    create,
    update,
    archive: (ctx: Ctx, id: string) => setArchived(ctx, id, true),
    restore: (ctx: Ctx, id: string) => setArchived(ctx, id, false),
    items,
    replaceItems,
  };
}

export type PriceListService = ReturnType<typeof createPriceListService>;
