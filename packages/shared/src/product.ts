import { Type, type Static } from 'typebox';
import { BodyVersion, DateTime, Uuid } from './contracts.js';

/**
 * Contracts of the product catalog (Settings › Products); deal line items pick from it. Money is numeric(18,2) with an
 * ISO 4217 currency: prices and tax rates travel as decimal strings ("1250.00", "20"), never as JSON numbers, so no
 * float rounding happens on the way. The server answers with exactly two decimals.
 */

export const MAX_SKU_LENGTH = 64;
export const MAX_UNIT_LENGTH = 20;
/** numeric(18,2): at most 16 digits before the point. */
const MAX_INTEGER_DIGITS = 16;

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });
/** Any plain decimal; sign, decimals and size are checked by productFieldErrors so each gets its own message. */
const Decimal = Type.String({ maxLength: 40, pattern: '^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$', description: 'a decimal string such as "1250.00"' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code in upper case, e.g. "EUR"' });

export const Product = Type.Object({
  id: Uuid,
  sku: Type.String(),
  name: Type.String(),
  description: Type.String(),
  unit: Type.String(),
  /** Two decimals, e.g. "1250.00". */
  price: Type.String(),
  currency: Type.String(),
  /** Percent with two decimals, e.g. "20.00". */
  taxRate: Type.String(),
  archivedAt: Type.Union([DateTime, Type.Null()]),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});
export type Product = Static<typeof Product>;

const fields = {
  sku: Text(MAX_SKU_LENGTH),
  name: Text(200),
  description: Type.String({ maxLength: 5000 }),
  unit: Type.String({ maxLength: MAX_UNIT_LENGTH }),
  price: Decimal,
  /** Left out on create: the workspace's currency. */
  currency: Currency,
  taxRate: Decimal,
};

export const ProductBody = Type.Object(
  { sku: fields.sku, name: fields.name, description: Type.Optional(fields.description), unit: Type.Optional(fields.unit), price: fields.price, currency: Type.Optional(fields.currency), taxRate: Type.Optional(fields.taxRate) },
  { additionalProperties: false },
);
export type ProductBody = Static<typeof ProductBody>;

export const ProductUpdateBody = Type.Object(
  {
    sku: Type.Optional(fields.sku),
    name: Type.Optional(fields.name),
    description: Type.Optional(fields.description),
    unit: Type.Optional(fields.unit),
    price: Type.Optional(fields.price),
    currency: Type.Optional(fields.currency),
    taxRate: Type.Optional(fields.taxRate),
    version: BodyVersion,
  },
  { additionalProperties: false },
);
export type ProductUpdateBody = Static<typeof ProductUpdateBody>;

export const ProductListQuery = Type.Object(
  {
    /** Part of the name or SKU, any case. */
    q: Type.Optional(Type.String({ maxLength: 200 })),
    includeArchived: Type.Optional(Type.Boolean({ default: false })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ProductListQuery = Static<typeof ProductListQuery>;

export type ProductRule = 'negative' | 'too_many_decimals' | 'too_large' | 'over_100' | 'unknown_currency' | 'not_a_number';
export interface ProductFieldError {
  path: string;
  message: string;
  /** Which rule, for the web's own wording. */
  rule: ProductRule;
}

/** The server's message for each rule; the web reads the rule back from it to word it in the reader's language. */
export const PRODUCT_RULE_MESSAGES: Record<ProductRule, string> = {
  negative: 'must not be negative',
  too_many_decimals: 'has more than 2 decimals',
  too_large: 'is too large',
  over_100: 'must be between 0 and 100',
  unknown_currency: 'is not an ISO 4217 currency code',
  not_a_number: 'expected a number such as "1250.00"',
};

let currencies: Set<string> | undefined;
/** ISO 4217 codes the runtime knows (Node ≥ 18 and current browsers list them all). */
export function isCurrencyCode(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return currencies.has(code);
}

/** What is wrong with a decimal string as money or a percentage: sign, decimals, size; undefined when it is fine. */
export function decimalRule(value: string, max?: number): ProductRule | undefined {
  const match = /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(value.trim());
  if (!match) return 'not_a_number';
  const [, sign, whole = '', fraction = ''] = match;
  const zero = /^0*$/.test(whole) && /^0*$/.test(fraction);
  if (sign && !zero) return 'negative';
  if (fraction.replace(/0+$/, '').length > 2) return 'too_many_decimals';
  if (max !== undefined) return Number(value) > max ? 'over_100' : undefined;
  return whole.replace(/^0+/, '').length > MAX_INTEGER_DIGITS ? 'too_large' : undefined;
}

/** The rules the schema cannot say, as field errors under `base`: price and tax rate as numbers, the currency code. */
export function productFieldErrors(input: { price?: string | undefined; taxRate?: string | undefined; currency?: string | undefined }, base = '/body'): ProductFieldError[] {
  const errors: ProductFieldError[] = [];
  const add = (field: string, rule: ProductRule | undefined) => {
    if (rule) errors.push({ path: `${base}/${field}`, message: PRODUCT_RULE_MESSAGES[rule], rule });
  };
  if (input.price !== undefined) add('price', decimalRule(input.price));
  if (input.taxRate !== undefined) add('taxRate', decimalRule(input.taxRate, 100));
  if (input.currency !== undefined) add('currency', isCurrencyCode(input.currency) ? undefined : 'unknown_currency');
  return errors;
}

/** "1250.5" → "1250.50": the two-decimal form the server stores and answers with. */
export function normalizeDecimal(value: string): string {
  const [whole = '0', fraction = ''] = value.trim().replace(/^-/, '').split('.');
  return `${whole.replace(/^0+(?=\d)/, '')}.${fraction.replace(/0+$/, '').padEnd(2, '0')}`;
}
