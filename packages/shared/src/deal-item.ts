import { Type, type Static } from 'typebox';
import { BodyVersion, Uuid } from './contracts.js';
import { decimalRule, normalizeDecimal, PRODUCT_RULE_MESSAGES } from './product.js';

/**
 * Contracts of a deal's products (line items): quantity × price, less a discount, plus tax, in the deal's currency.
 * Numbers travel as decimal strings and are computed in whole cents, so "0.1 + 0.2" never happens; each line rounds
 * half up to the cent, and the deal's totals are the sums of its lines.
 */

const Decimal = Type.String({ maxLength: 40, pattern: '^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$', description: 'a decimal string such as "2.5"' });

export const DealItem = Type.Object({
  id: Uuid,
  productId: Type.Union([Uuid, Type.Null()]),
  name: Type.String(),
  sku: Type.Union([Type.String(), Type.Null()]),
  unit: Type.String(),
  quantity: Type.String(),
  price: Type.String(),
  discountPercent: Type.String(),
  taxRate: Type.String(),
  /** After the discount, before tax. */
  net: Type.String(),
  tax: Type.String(),
  total: Type.String(),
});
export type DealItem = Static<typeof DealItem>;

export const DealTotals = Type.Object({ net: Type.String(), tax: Type.String(), total: Type.String() });
export type DealTotals = Static<typeof DealTotals>;

export const DealItems = Type.Object({ items: Type.Array(DealItem), totals: DealTotals, currency: Type.String(), dealVersion: Type.Integer() });
export type DealItems = Static<typeof DealItems>;

export const DealItemInput = Type.Object(
  {
    /** A catalog product: its name, SKU, unit and tax rate are taken from it unless given here. */
    productId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
    unit: Type.Optional(Type.String({ maxLength: 20 })),
    quantity: Decimal,
    /** Left out for a catalog product: the deal's price list price, else the catalog price in the deal's currency. */
    price: Type.Optional(Decimal),
    discountPercent: Type.Optional(Decimal),
    taxRate: Type.Optional(Decimal),
  },
  { additionalProperties: false },
);
export type DealItemInput = Static<typeof DealItemInput>;

/** All of a deal's lines at once, with the deal's version: the amount follows the lines' total. */
export const DealItemsBody = Type.Object({ items: Type.Array(DealItemInput, { maxItems: 200 }), version: BodyVersion }, { additionalProperties: false });
export type DealItemsBody = Static<typeof DealItemsBody>;

/** Field errors the schema cannot say, under `/body/items/<i>/…`. */
export function dealItemErrors(items: DealItemInput[]): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  items.forEach((item, index) => {
    const at = (field: string) => `/body/items/${index}/${field}`;
    const quantity = decimalRule(item.quantity);
    if (quantity) errors.push({ path: at('quantity'), message: PRODUCT_RULE_MESSAGES[quantity] });
    else if (Number(item.quantity) <= 0) errors.push({ path: at('quantity'), message: 'must be greater than 0' });
    const price = item.price === undefined ? undefined : decimalRule(item.price);
    if (price) errors.push({ path: at('price'), message: PRODUCT_RULE_MESSAGES[price] });
    if (item.price === undefined && !item.productId) errors.push({ path: at('price'), message: 'a line without a product needs a price' });
    for (const field of ['discountPercent', 'taxRate'] as const) {
      const value = item[field];
      const rule = value === undefined ? undefined : decimalRule(value, 100);
      if (rule) errors.push({ path: at(field), message: PRODUCT_RULE_MESSAGES[rule] });
    }
    if (!item.productId && !item.name) errors.push({ path: at('name'), message: 'a line needs a product or a name' });
  });
  return errors;
}

/** "12.5" → 1250n: a two-decimal string in hundredths. */
const hundredths = (value: string): bigint => BigInt(normalizeDecimal(value).replace('.', ''));
const fromCents = (cents: bigint): string => {
  const text = cents.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
};
/** a ÷ b rounded half up, for non-negative a and positive b. */
const divideRound = (a: bigint, b: bigint): bigint => (a * 2n + b) / (b * 2n);

/** One line's net (after discount), tax and total, in cents as decimal strings. */
export function lineAmounts(line: { quantity: string; price: string; discountPercent: string; taxRate: string }): { net: string; tax: string; total: string } {
  // quantity and price in hundredths: their product is in 1/10 000; the discount's remainder is in 1/10 000 too.
  const gross = hundredths(line.quantity) * hundredths(line.price);
  const net = divideRound(gross * (10_000n - hundredths(line.discountPercent)), 1_000_000n);
  const tax = divideRound(net * hundredths(line.taxRate), 10_000n);
  return { net: fromCents(net), tax: fromCents(tax), total: fromCents(net + tax) };
}

/** The sums of the lines' net, tax and total. */
export function dealTotals(lines: { net: string; tax: string; total: string }[]): DealTotals {
  const sum = (key: 'net' | 'tax' | 'total') => fromCents(lines.reduce((acc, line) => acc + hundredths(line[key]), 0n));
  return { net: sum('net'), tax: sum('tax'), total: sum('total') };
}
