import { Type, type Static } from 'typebox';
import { BodyVersion, DateTime, Uuid } from './contracts.js';
import { decimalRule, isCurrencyCode, PRODUCT_RULE_MESSAGES } from './product.js';

/**
 * Contracts of price lists (Settings › Price lists): a named list in one currency holding a price per catalog product,
 * each optionally valid from / to a date. One live list per currency may be the default: new deals in that currency
 * take it, and a deal's product lines take their prices from the deal's list (else from the catalog price, when it is
 * in the deal's currency).
 */

const Decimal = Type.String({ maxLength: 40, pattern: '^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$', description: 'a decimal string such as "1250.00"' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code in upper case, e.g. "EUR"' });
const DateOnly = Type.String({ format: 'date' });
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });

export const PriceList = Type.Object({
  id: Uuid,
  name: Type.String(),
  currency: Type.String(),
  /** The default list of its currency. */
  isDefault: Type.Boolean(),
  /** How many products it prices. */
  itemCount: Type.Integer(),
  archivedAt: Type.Union([DateTime, Type.Null()]),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});
export type PriceList = Static<typeof PriceList>;

export const PriceListList = Type.Object({ items: Type.Array(PriceList) });
export type PriceListList = Static<typeof PriceListList>;

export const PriceListQuery = Type.Object({ currency: Type.Optional(Currency), includeArchived: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type PriceListQuery = Static<typeof PriceListQuery>;

export const PriceListBody = Type.Object({ name: Name, currency: Currency, isDefault: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type PriceListBody = Static<typeof PriceListBody>;

export const PriceListUpdateBody = Type.Object({ name: Type.Optional(Name), isDefault: Type.Optional(Type.Boolean()), version: BodyVersion }, { additionalProperties: false });
export type PriceListUpdateBody = Static<typeof PriceListUpdateBody>;

/** One product's price in a list, with the catalog's name and SKU for display. */
export const PriceListItem = Type.Object({
  productId: Uuid,
  productName: Type.String(),
  sku: Type.String(),
  /** Two decimals, in the list's currency. */
  price: Type.String(),
  validFrom: Type.Union([DateOnly, Type.Null()]),
  validTo: Type.Union([DateOnly, Type.Null()]),
});
export type PriceListItem = Static<typeof PriceListItem>;

export const PriceListItems = Type.Object({ items: Type.Array(PriceListItem), currency: Type.String(), version: Type.Integer() });
export type PriceListItems = Static<typeof PriceListItems>;

export const PriceListItemInput = Type.Object(
  { productId: Uuid, price: Decimal, validFrom: Type.Optional(Type.Union([DateOnly, Type.Null()])), validTo: Type.Optional(Type.Union([DateOnly, Type.Null()])) },
  { additionalProperties: false },
);
export type PriceListItemInput = Static<typeof PriceListItemInput>;

/** All of a list's prices at once, with the list's version. */
export const PriceListItemsBody = Type.Object({ items: Type.Array(PriceListItemInput, { maxItems: 5000 }), version: BodyVersion }, { additionalProperties: false });
export type PriceListItemsBody = Static<typeof PriceListItemsBody>;

/** Field errors of a list's currency the schema cannot say. */
export function priceListErrors(input: { currency?: string | undefined }): { path: string; message: string }[] {
  return input.currency !== undefined && !isCurrencyCode(input.currency) ? [{ path: '/body/currency', message: PRODUCT_RULE_MESSAGES.unknown_currency }] : [];
}

/** Field errors of a list's prices under `/body/items/<i>/…`: the price as money, the dates in order, each product once. */
export function priceListItemErrors(items: PriceListItemInput[]): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const at = (field: string) => `/body/items/${index}/${field}`;
    const rule = decimalRule(item.price);
    if (rule) errors.push({ path: at('price'), message: PRODUCT_RULE_MESSAGES[rule] });
    if (item.validFrom && item.validTo && item.validFrom > item.validTo) errors.push({ path: at('validTo'), message: 'must not be before the start date' });
    if (seen.has(item.productId)) errors.push({ path: at('productId'), message: 'the same product twice in one list' });
    seen.add(item.productId);
  });
  return errors;
}

/** Whether a price valid from / to these dates (either open) applies on `day` (YYYY-MM-DD). */
export function priceAppliesOn(item: { validFrom: string | null; validTo: string | null }, day: string): boolean {
  return (item.validFrom === null || item.validFrom <= day) && (item.validTo === null || day <= item.validTo);
}

/** The price a deal line takes for a product, and where it came from; null when none applies (see `reason`). */
export const ProductQuote = Type.Object({
  productId: Uuid,
  price: Type.Union([Type.String(), Type.Null()]),
  source: Type.Union([Type.Literal('price_list'), Type.Literal('product'), Type.Null()]),
  currency: Type.String(),
  priceListName: Type.Union([Type.String(), Type.Null()]),
});
export type ProductQuote = Static<typeof ProductQuote>;
export const ProductQuotes = Type.Object({ items: Type.Array(ProductQuote) });
export type ProductQuotes = Static<typeof ProductQuotes>;

/** Workspace requisites for documents: legal name, address, tax ids, bank account. Every field may be blank. */
export const PAYMENT_DETAIL_FIELDS = ['legalName', 'address', 'taxId', 'kpp', 'bankName', 'account', 'bic', 'correspondentAccount'] as const;
export type PaymentDetailField = (typeof PAYMENT_DETAIL_FIELDS)[number];
const Detail = (maxLength: number) => Type.String({ maxLength });
export const PaymentDetails = Type.Object(
  {
    legalName: Detail(300),
    address: Detail(500),
    taxId: Detail(40),
    kpp: Detail(40),
    bankName: Detail(300),
    account: Detail(64),
    bic: Detail(40),
    correspondentAccount: Detail(64),
  },
  { additionalProperties: false },
);
export type PaymentDetails = Static<typeof PaymentDetails>;

export const WorkspaceSettings = Type.Object({ name: Type.String(), currency: Type.String(), locale: Type.String(), paymentDetails: PaymentDetails, version: Type.Integer() });
export type WorkspaceSettings = Static<typeof WorkspaceSettings>;
export const WorkspaceSettingsBody = Type.Object({ paymentDetails: PaymentDetails, version: BodyVersion }, { additionalProperties: false });
export type WorkspaceSettingsBody = Static<typeof WorkspaceSettingsBody>;

/** Blank details, for a workspace that has none yet (the column holds `{}`). */
export function paymentDetailsOf(stored: Partial<PaymentDetails> | null | undefined): PaymentDetails {
  return Object.fromEntries(PAYMENT_DETAIL_FIELDS.map((field) => [field, stored?.[field] ?? ''])) as PaymentDetails;
}
