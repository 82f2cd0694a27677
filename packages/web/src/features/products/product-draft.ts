import { fieldOf, isApiError } from '../../api/api-client';
import { PRODUCT_RULE_MESSAGES, productFieldErrors, type Product, type ProductBody, type ProductRule, type ProductUpdateBody } from '@rapport/shared';

/** The product form as typed: every field text, the price and tax as the user wrote them ("1 250,5"). */
export interface ProductDraft {
  sku: string;
  name: string;
  description: string;
  unit: string;
  price: string;
  currency: string;
  taxRate: string;
}
export type DraftField = keyof ProductDraft;
export type DraftRule = ProductRule | 'required';

export function draftOf(product: Product | null, defaultCurrency: string): ProductDraft {
  if (!product) return { sku: '', name: '', description: '', unit: '', price: '', currency: defaultCurrency, taxRate: '0' };
  return { sku: product.sku, name: product.name, description: product.description, unit: product.unit, price: product.price, currency: product.currency, taxRate: product.taxRate };
}

/** "1 250,50" (a Russian keyboard, spaces between thousands) → "1250.50", the decimal string the API reads. */
export function toDecimal(typed: string): string {
  return typed.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
}

/** What the form refuses before sending, by field: blanks and the same number and currency rules the server has. */
export function draftErrors(draft: ProductDraft): Map<DraftField, DraftRule> {
  const errors = new Map<DraftField, DraftRule>();
  for (const field of ['sku', 'name', 'price'] as const) if (!draft[field].trim()) errors.set(field, 'required');
  const checked = productFieldErrors({ price: draft.price.trim() ? toDecimal(draft.price) : undefined, taxRate: toDecimal(draft.taxRate) || '0', currency: draft.currency.trim().toUpperCase() }, '');
  for (const error of checked) errors.set(error.path.slice(1) as DraftField, error.rule);
  return errors;
}

function bodyOf(draft: ProductDraft): Required<ProductBody> {
  return {
    sku: draft.sku.trim(),
    name: draft.name.trim(),
    description: draft.description.trim(),
    unit: draft.unit.trim(),
    price: toDecimal(draft.price),
    currency: draft.currency.trim().toUpperCase(),
    taxRate: toDecimal(draft.taxRate) || '0',
  };
}

export const toCreateBody = (draft: ProductDraft): ProductBody => bodyOf(draft);

/** Only what changed, with the version the edit started from; the same number written otherwise ("320" for "320.00") is no change. */
export function toUpdateBody(draft: ProductDraft, product: Product): ProductUpdateBody {
  const next = bodyOf(draft);
  const before = bodyOf(draftOf(product, product.currency));
  const same = (field: keyof typeof next) => (field === 'price' || field === 'taxRate' ? Number(next[field]) === Number(before[field]) : next[field] === before[field]);
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((field) => !same(field));
  return { ...Object.fromEntries(changed.map((field) => [field, next[field]])), version: product.version };
}

/**
 * A refused request's field errors as sentences by form field: the money rules in the form's own words, any other
 * message through the app's field messages. Fields the form does not show are left to the form's general error.
 */
export function serverFieldErrors(error: unknown, shown: (field: string) => boolean, ruleText: (rule: ProductRule) => string, fieldMessage: (message: string) => string): Map<string, string> {
  const byField = new Map<string, string>();
  if (!isApiError(error)) return byField;
  for (const fieldError of error.fieldErrors) {
    const field = fieldOf(fieldError.path);
    const rule = ruleOfMessage(fieldError.message);
    if (shown(field) && !byField.has(field)) byField.set(field, rule ? ruleText(rule) : fieldMessage(fieldError.message));
  }
  return byField;
}

/** The rule behind a server field message, when it is one of the catalog's own. */
export function ruleOfMessage(message: string): ProductRule | undefined {
  return (Object.entries(PRODUCT_RULE_MESSAGES) as [ProductRule, string][]).find(([, text]) => text === message)?.[0];
}

/** A price in its currency the reader's way: "$1,250.50", "1 250,50 ₽". */
export function formatPrice(price: string, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(Number(price));
  } catch {
    return `${price} ${currency}`;
  }
}
