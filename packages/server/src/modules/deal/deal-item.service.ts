import { dealItemErrors, dealTotals, lineAmounts, normalizeDecimal, type DealItem, type DealItemInput, type DealItems, type FieldError, type Product, type ProductQuotes } from '@rapport/shared';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { assertWritable } from '../../core/field-rules.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { loadRecord, recordChanged } from '../client-record/client-record.service.js';
import { localDate } from '../calendar/zoned-time.js';
import type { ClientRow } from '../client-record/client-record.service.js';
import { quoteProducts, type Quote } from '../price-list/price-list.service.js';
import { productsByIds } from '../product/product.service.js';
import { getWorkspace } from '../workspace/workspace.service.js';
import { itemsOfDeal, replaceItems, type DealItemRow } from './deal-item.repository.js';
import { updateDealRow } from './deal.repository.js';

const decimal = (value: unknown) => normalizeDecimal(String(value));

function toItem(row: DealItemRow): DealItem {
  return {
    id: row.id,
    productId: row.product_id,
    name: row.name,
    sku: row.sku,
    unit: row.unit,
    quantity: decimal(row.quantity),
    price: decimal(row.price),
    discountPercent: decimal(row.discount_percent),
    taxRate: decimal(row.tax_rate),
    net: decimal(row.net),
    tax: decimal(row.tax),
    total: decimal(row.total),
  };
}

async function itemsAnswer(ex: Executor, workspaceId: string, deal: { id: string; currency: string; version: number }): Promise<DealItems> {
  const items = (await itemsOfDeal(ex, workspaceId, deal.id)).map(toItem);
  return { items, totals: dealTotals(items), currency: deal.currency, dealVersion: deal.version };
}

/** A line as the timeline and audit log show it: "Window PVC 1200 × 2 = 3,376.36". */
const summary = (items: DealItem[]) => items.map((item) => `${item.name} × ${item.quantity} = ${item.total}`);

/** Why a catalog product has no price on this deal, as the line's price error. */
function noPrice(product: Product, deal: { currency: string }, quote: Quote | undefined): string {
  const list = quote?.priceListName ? `price list "${quote.priceListName}"` : 'no price list';
  return `${product.name} has no price in ${list} (${deal.currency}) and its catalog price is in ${product.currency}: give the price`;
}

export function createDealItemService(deps: ServiceDeps) {
  /** What the deal's products cost today (in the workspace's time zone) by its price list, or the catalog. */
  async function quotesFor(ex: Executor, workspaceId: string, deal: ClientRow, products: Product[]): Promise<Map<string, Quote>> {
    const day = localDate(deps.clock.now(), (await getWorkspace(ex, workspaceId)).timezone);
    return quoteProducts(ex, workspaceId, { priceListId: (deal.price_list_id as string | null) ?? null, currency: String(deal.currency) }, products, day);
  }

  /** The price each product would take as a new line of the deal: from its price list, else the catalog in its currency. */
  async function quotes(ctx: Ctx, dealId: string, productIds: string[]): Promise<ProductQuotes> {
    const deal = await loadRecord(deps.db, ctx, 'deal', dealId);
    const found = await productsByIds(deps.db, ctx.actor.workspaceId, productIds);
    const products = [...new Set(productIds)].flatMap((productId) => found.get(productId) ?? []);
    const quoted = await quotesFor(deps.db, ctx.actor.workspaceId, deal, products);
    return { items: products.map((product) => ({ productId: product.id, currency: String(deal.currency), price: null, source: null, priceListName: null, ...quoted.get(product.id) })) };
  }

  async function list(ctx: Ctx, dealId: string): Promise<DealItems> {
    const deal = await loadRecord(deps.db, ctx, 'deal', dealId);
    return itemsAnswer(deps.db, ctx.actor.workspaceId, { id: deal.id, currency: String(deal.currency), version: deal.version });
  }

  /**
   * Writes all of a deal's lines at once, with the deal's version; the deal's amount becomes their total (a deal
   * without lines keeps the amount typed on it). Catalog products lend their name, SKU, unit and tax rate.
   */
  async function replace(ctx: Ctx, dealId: string, inputs: DealItemInput[], version: number | undefined): Promise<DealItems> {
    const expected = requireVersion(version);
    // The lines set the amount: a role that may not change the amount may not change them either.
    assertWritable(ctx.actor, 'deal', { amount: true });
    const errors = dealItemErrors(inputs);
    if (errors.length > 0) throw new AppError('validation', { message: 'The products are not valid', errors });
    return deps.db.transaction().execute(async (trx) => {
      const { workspaceId, userId } = ctx.actor;
      const deal = await loadRecord(trx, ctx, 'deal', dealId, 'update', { forUpdate: true });
      if (deal.version !== expected) throw new AppError('version_conflict', { message: 'The deal was changed meanwhile', currentVersion: deal.version });
      const products = await productsByIds(trx, workspaceId, inputs.flatMap((input) => (input.productId ? [input.productId] : [])));
      const quoted = await quotesFor(trx, workspaceId, deal, [...products.values()]);
      const unpriced: FieldError[] = [];
      inputs.forEach((input, position) => {
        const product = input.productId ? products.get(input.productId) : undefined;
        if (input.productId && !product) throw new AppError('validation', { message: 'No such product', errors: [{ path: `/body/items/${position}/productId`, message: 'no such product in the catalog' }] });
        if (product && input.price === undefined && !quoted.get(product.id)?.price) unpriced.push({ path: `/body/items/${position}/price`, message: noPrice(product, { currency: String(deal.currency) }, quoted.get(product.id)) });
      });
      if (unpriced.length > 0) throw new AppError('validation', { message: 'Some products have no price in the deal’s currency', errors: unpriced });
      const rows = inputs.map((input, position) => {
        const product = input.productId ? products.get(input.productId) : undefined;
        const price = input.price ?? (product ? quoted.get(product.id)?.price : undefined) ?? '0';
        const line = { quantity: input.quantity, price, discountPercent: input.discountPercent ?? '0', taxRate: input.taxRate ?? product?.taxRate ?? '0' };
        return {
          workspace_id: workspaceId,
          id: newId(),
          deal_id: dealId,
          position,
          product_id: product?.id ?? null,
          name: input.name?.trim() ?? product?.name ?? '',
          sku: product?.sku ?? null,
          unit: input.unit?.trim() ?? product?.unit ?? '',
          quantity: normalizeDecimal(line.quantity),
          price: normalizeDecimal(line.price),
          discount_percent: normalizeDecimal(line.discountPercent),
          tax_rate: normalizeDecimal(line.taxRate),
          ...lineAmounts(line),
        };
      });
      const before = (await itemsOfDeal(trx, workspaceId, dealId)).map(toItem);
      await replaceItems(trx, workspaceId, dealId, rows);
      // The lines as written are the lines as stored: no second read.
      const after = rows.map(toItem);
      const totals = dealTotals(after);
      const total = totals.total;
      const amountBefore = decimal(deal.amount);
      const updated = await updateDealRow(trx, workspaceId, dealId, expected, { ...(after.length > 0 ? { amount: total } : {}), updated_by: userId });
      if (!updated) throw new AppError('version_conflict', { message: 'The deal was changed meanwhile', currentVersion: deal.version });
      const changes: Record<string, { from: unknown; to: unknown }> = { products: { from: summary(before), to: summary(after) } };
      if (after.length > 0 && total !== amountBefore) changes.amount = { from: amountBefore, to: total };
      await recordChanged(trx, ctx, 'deal', dealId, 'update', { changes });
      return { items: after, totals, currency: String(updated.currency), dealVersion: updated.version };
    });
  }

  return { list, replace, quotes };
}

export type DealItemService = ReturnType<typeof createDealItemService>;
