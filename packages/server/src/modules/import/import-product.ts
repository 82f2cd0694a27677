import { decimalRule, isCurrencyCode, normalizeDecimal, PRODUCT_RULE_MESSAGES, type ImportCellProblem, type ImportMode, type Product, type ProductBody, type ProductUpdateBody } from '@rapport/shared';
import { AppError } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import type { Executor } from '../../infra/db.js';
import type { ProductService } from '../product/product.service.js';
import type { RowDraft } from './import-row.js';

type Fail = (field: string, code: ImportCellProblem, message: string, params?: Record<string, string | number>) => void;
export type ProductWriter = Pick<ProductService, 'insertIn' | 'updateIn' | 'bySku' | 'restoreColumns' | 'importStates' | 'purge'>;

/** A product's text fields a cell fills as it is, with the catalog's length limits. */
export const PRODUCT_TEXT_FIELDS: Record<string, number> = { sku: 64, name: 200, description: 5000, unit: 20 };

/** Import field → the product's column: what an update saves for undo. */
const COLUMNS: Record<keyof ProductBody, string> = { sku: 'sku', name: 'name', description: 'description', unit: 'unit', price: 'price', currency: 'currency', taxRate: 'tax_rate' };

/**
 * A product's money cells: price and tax rate as numbers in the file's locale ("1 250,50" or "1,250.50"), checked as
 * the catalog checks them, and the currency as an ISO code in any case. False for the text fields.
 */
export function readProductCell(field: string, raw: string, draft: RowDraft, fail: Fail, readNumber: (text: string) => number | null): boolean {
  if (field === 'price' || field === 'taxRate') {
    const number = readNumber(raw);
    if (number === null) return (fail(field, 'number', `not a number: ${raw}`, { value: raw }), true);
    const text = String(number);
    const rule = decimalRule(text, field === 'taxRate' ? 100 : undefined);
    if (rule) fail(field, 'invalid', `${PRODUCT_RULE_MESSAGES[rule]}: ${raw}`, { value: raw });
    else draft.fields[field] = draft.values[field] = normalizeDecimal(text);
    return true;
  }
  if (field === 'currency') {
    const code = raw.toUpperCase();
    if (!isCurrencyCode(code)) fail(field, 'invalid', `${PRODUCT_RULE_MESSAGES.unknown_currency}: ${raw}`, { value: raw });
    else draft.fields.currency = draft.values.currency = code;
    return true;
  }
  return false;
}

/** A product row is matched by its SKU, so it needs one. */
export function checkProductRow(draft: RowDraft, fail: Fail): void {
  if (draft.fields.sku === undefined) fail('sku', 'required_sku', 'a SKU is required');
}

/** What the import keeps of a row it wrote: its undo tag. */
type Tag = (record: { recordId: string; action: 'created' | 'updated'; before: Record<string, unknown> | null; versionAfter: number }) => Promise<void>;

/**
 * One product row, in the batch's transaction. A live product with the same SKU (any case; an earlier row of the file
 * made one too) is skipped, has its empty description or unit filled, or is overwritten. SKUs are unique in the
 * catalog, so "create anyway" refuses a row whose SKU is taken (listed with the reason) rather than making a double.
 */
export async function importProductRow(trx: Executor, ctx: Ctx, products: ProductWriter, mode: ImportMode, draft: RowDraft, tag: Tag): Promise<'created' | 'updated' | 'skipped'> {
  const fields = draft.fields as Partial<ProductBody>;
  const existing = mode === 'create' ? undefined : await products.bySku(trx, ctx, fields.sku!);
  if (existing) {
    if (mode === 'skip') return 'skipped';
    const patch: Omit<ProductUpdateBody, 'version'> = {};
    for (const [field, value] of Object.entries(fields) as [keyof ProductBody, string][]) {
      const current = existing[field as keyof Product];
      if (field !== 'sku' && current !== value && (mode === 'overwrite' || current === '')) patch[field] = value;
    }
    if (Object.keys(patch).length === 0) return 'skipped';
    const before = Object.fromEntries(Object.entries(COLUMNS).map(([field, column]) => [column, existing[field as keyof Product]]));
    const after = await products.updateIn(trx, ctx, existing.id, patch, existing.version);
    await tag({ recordId: existing.id, action: 'updated', before, versionAfter: after.version });
    return 'updated';
  }
  const missing = (['name', 'price'] as const).filter((field) => fields[field] === undefined);
  if (missing.length > 0) throw new AppError('validation', { message: 'A new product needs a name and a price', errors: missing.map((field) => ({ path: `/body/${field}`, message: 'required to create the product' })) });
  const product = await products.insertIn(trx, ctx, fields as ProductBody);
  await tag({ recordId: product.id, action: 'created', before: null, versionAfter: product.version });
  return 'created';
}

/** Imported products that changed since the import (or were archived), or that something now uses: undo refuses them. */
export async function productUndoConflicts(ex: Executor, ctx: Ctx, products: ProductWriter, records: { record_id: string; action: string; row_number: number; version_after: number }[]) {
  const { states, inUse } = await products.importStates(ex, ctx, records.map((record) => record.record_id));
  const byId = new Map(states.map((state) => [state.id, state]));
  const created = new Set(records.filter((record) => record.action === 'created').map((record) => record.record_id));
  return [
    ...records.flatMap((record) => {
      const state = byId.get(record.record_id);
      return !state || state.archived || state.version !== record.version_after ? [{ path: `/records/product/${record.record_id}`, message: `changed since the import (row ${record.row_number})` }] : [];
    }),
    ...inUse.filter((id) => created.has(id)).map((id) => ({ path: `/records/product/${id}`, message: 'other records now refer to it' })),
  ];
}
