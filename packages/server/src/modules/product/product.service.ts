import { normalizeDecimal, productFieldErrors, type PageOf, type Product, type ProductBody, type ProductListQuery, type ProductUpdateBody } from '@rapport/shared';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import { decodeCursor, toPage } from '../../core/pagination.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { getWorkspace } from '../workspace/workspace.service.js';
import { deleteProducts, findProduct, findProducts, insertProduct, listProducts, liveProductWithSku, productsInUse, productStates, updateProduct, type ProductRow } from './product.repository.js';

function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    unit: row.unit,
    price: normalizeDecimal(String(row.price)),
    currency: row.currency,
    taxRate: normalizeDecimal(String(row.tax_rate)),
    archivedAt: row.archived_at ? row.archived_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** Catalog products by id (archived ones too: a deal may still hold them), for other modules' lines. */
export async function productsByIds(ex: Executor, workspaceId: string, ids: string[]): Promise<Map<string, Product>> {
  return new Map((await findProducts(ex, workspaceId, [...new Set(ids)])).map((row) => [row.id, toProduct(row)]));
}

/** The fields an edit may touch, as the audit log and the API name them. */
const AUDITED = ['sku', 'name', 'description', 'unit', 'price', 'currency', 'taxRate'] as const;

/** Trimmed text and two-decimal numbers, as stored; fields left out stay out. */
function columnsOf(input: Partial<Omit<ProductBody, 'version'>>) {
  return {
    ...(input.sku !== undefined ? { sku: input.sku.trim() } : {}),
    ...(input.name !== undefined ? { name: input.name.trim() } : {}),
    ...(input.description !== undefined ? { description: input.description.trim() } : {}),
    ...(input.unit !== undefined ? { unit: input.unit.trim() } : {}),
    ...(input.price !== undefined ? { price: normalizeDecimal(input.price) } : {}),
    ...(input.currency !== undefined ? { currency: input.currency } : {}),
    ...(input.taxRate !== undefined ? { tax_rate: normalizeDecimal(input.taxRate) } : {}),
  };
}

function checkFields(input: Partial<Omit<ProductBody, 'version'>>): void {
  const errors = productFieldErrors(input).map(({ path, message }) => ({ path, message }));
  if (errors.length > 0) throw new AppError('validation', { message: 'The product is not valid', errors });
}

const skuTaken = () => new AppError('conflict', { message: 'Another product has this SKU', errors: [{ path: '/body/sku', message: 'already in use' }] });

/** A race past the check below still meets the unique index; it is the same duplicate SKU. */
async function guardSku<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw skuTaken();
    throw error;
  }
}

async function ensureSkuFree(ex: Executor, workspaceId: string, sku: string, exceptId?: string): Promise<void> {
  if (await liveProductWithSku(ex, workspaceId, sku.trim(), exceptId)) throw skuTaken();
}

export function createProductService(deps: ServiceDeps) {
  async function list(ctx: Ctx, query: ProductListQuery): Promise<PageOf<Product>> {
    const limit = query.limit ?? 50;
    const after = decodeCursor(query.cursor, ['text', 'uuid']) as [string, string] | undefined;
    const rows = await listProducts(deps.db, ctx.actor.workspaceId, { q: query.q, includeArchived: query.includeArchived === true, limit, after });
    const page = toPage(rows, limit, (row) => [row.name, row.id]);
    return { items: page.items.map(toProduct), nextCursor: page.nextCursor };
  }

  async function load(ex: Executor, ctx: Ctx, id: string, forUpdate = false): Promise<ProductRow> {
    const row = await findProduct(ex, ctx.actor.workspaceId, id, forUpdate);
    if (!row) throw new AppError('not_found', { message: 'No such product' });
    return row;
  }

  /** Creates a product in the caller's transaction (an import writes many in one). */
  async function insertIn(trx: Executor, ctx: Ctx, body: ProductBody): Promise<Product> {
    checkFields(body);
    const { workspaceId, userId } = ctx.actor;
    await ensureSkuFree(trx, workspaceId, body.sku);
    const currency = body.currency ?? (await getWorkspace(trx, workspaceId)).currency;
    const { description, unit, taxRate } = body;
    const row = await insertProduct(trx, { workspace_id: workspaceId, id: newId(), sku: body.sku.trim(), name: body.name.trim(), price: normalizeDecimal(body.price), currency, ...columnsOf({ description, unit, taxRate }), created_by: userId, updated_by: userId });
    const product = toProduct(row);
    await recordAudit(trx, ctx, { action: 'product.create', objectType: 'product', objectId: product.id, meta: { sku: product.sku, name: product.name, price: product.price, currency: product.currency } });
    return product;
  }

  async function create(ctx: Ctx, body: ProductBody): Promise<Product> {
    return guardSku(() => deps.db.transaction().execute((trx) => insertIn(trx, ctx, body)));
  }

  /** Updates a product in the caller's transaction (an import writes many in one). */
  async function updateIn(trx: Executor, ctx: Ctx, id: string, patch: Omit<ProductUpdateBody, 'version'>, version: number | undefined): Promise<Product> {
    const expected = requireVersion(version);
    checkFields(patch);
    const { workspaceId, userId } = ctx.actor;
    const current = await load(trx, ctx, id, true);
    if (current.version !== expected) throw new AppError('version_conflict', { message: 'The product was changed meanwhile', currentVersion: current.version });
    if (current.archived_at) throw new AppError('conflict', { message: 'Restore the product before editing it' });
    if (patch.sku !== undefined) await ensureSkuFree(trx, workspaceId, patch.sku, id);
    const updated = await updateProduct(trx, workspaceId, id, expected, columnsOf(patch), userId);
    if (!updated) throw new AppError('version_conflict', { message: 'The product was changed meanwhile', currentVersion: current.version });
    const after = toProduct(updated);
    const changes = diffFields(toProduct(current), after, AUDITED);
    await recordAudit(trx, ctx, { action: 'product.update', objectType: 'product', objectId: id, changes });
    return after;
  }

  async function update(ctx: Ctx, id: string, patch: Omit<ProductUpdateBody, 'version'>, version: number | undefined): Promise<Product> {
    return guardSku(() => deps.db.transaction().execute((trx) => updateIn(trx, ctx, id, patch, version)));
  }

  /** The live product with this SKU (any case): what an import's row matches. */
  async function bySku(ex: Executor, ctx: Ctx, sku: string): Promise<Product | undefined> {
    const row = await liveProductWithSku(ex, ctx.actor.workspaceId, sku.trim());
    return row ? toProduct(row) : undefined;
  }

  /** Puts stored column values back (an import's undo), in the caller's transaction; false when changed since `version`. */
  async function restoreColumns(trx: Executor, ctx: Ctx, id: string, columns: Record<string, unknown>, version: number, meta: Record<string, unknown>): Promise<boolean> {
    const current = await load(trx, ctx, id);
    const updated = await updateProduct(trx, ctx.actor.workspaceId, id, version, columns, ctx.actor.userId);
    if (!updated) return false;
    await recordAudit(trx, ctx, { action: 'product.update', objectType: 'product', objectId: id, changes: diffFields(toProduct(current), toProduct(updated), AUDITED), meta });
    return true;
  }

  /** Version and archiving of products (an import's undo checks nothing changed since), and those now in use. */
  async function importStates(ex: Executor, ctx: Ctx, ids: string[]) {
    const states = await productStates(ex, ctx.actor.workspaceId, ids);
    return { states: states.map((row) => ({ id: row.id, version: row.version, archived: row.archived_at !== null })), inUse: await productsInUse(ex, ctx.actor.workspaceId, ids) };
  }

  /** Removes products for good (an import's undo of those it created), each with its audit entry. */
  async function purge(trx: Executor, ctx: Ctx, ids: string[], meta: Record<string, unknown>): Promise<void> {
    for (const row of await findProducts(trx, ctx.actor.workspaceId, ids)) await recordAudit(trx, ctx, { action: 'product.purge', objectType: 'product', objectId: row.id, meta: { ...meta, sku: row.sku, name: row.name } });
    await deleteProducts(trx, ctx.actor.workspaceId, ids);
  }

  /** Archives (`archived`) or restores a product; a restored one needs its SKU to be free again. */
  async function setArchived(ctx: Ctx, id: string, archived: boolean): Promise<Product> {
    return guardSku(() =>
      deps.db.transaction().execute(async (trx) => {
        const current = await load(trx, ctx, id, true);
        if ((current.archived_at !== null) === archived) return toProduct(current);
        if (!archived && (await liveProductWithSku(trx, ctx.actor.workspaceId, current.sku, id))) throw new AppError('conflict', { message: 'A live product has this SKU now; change its SKU first' });
        const updated = await updateProduct(trx, ctx.actor.workspaceId, id, current.version, { archived_at: archived ? new Date() : null }, ctx.actor.userId);
        if (!updated) throw new AppError('version_conflict', { message: 'The product was changed meanwhile', currentVersion: current.version });
        await recordAudit(trx, ctx, { action: archived ? 'product.delete' : 'product.restore', objectType: 'product', objectId: id, meta: { sku: current.sku, name: current.name } });
        return toProduct(updated);
      }),
    );
  }

  return {
    list,
    get: async (ctx: Ctx, id: string) => toProduct(await load(deps.db, ctx, id)),
    create,
    insertIn,
    update,
    updateIn,
    bySku,
    restoreColumns,
    importStates,
    purge,
    archive: (ctx: Ctx, id: string) => setArchived(ctx, id, true),
    restore: (ctx: Ctx, id: string) => setArchived(ctx, id, false),
  };
}

export type ProductService = ReturnType<typeof createProductService>;
