import { describe, expect, it } from 'vitest';
import { dealItemErrors } from './deal-item.js';
import { paymentDetailsOf, priceAppliesOn, priceListErrors, priceListItemErrors } from './price-list.js';

const A = '01a00000-0000-7000-8000-000000000001';
const B = '01a00000-0000-7000-8000-000000000002';

describe('price lists', () => {
  it('names a bad price, reversed dates and a product listed twice by path', () => {
    expect(priceListItemErrors([{ productId: A, price: '-5' }, { productId: B, price: '1', validFrom: '2026-03-01', validTo: '2026-02-01' }, { productId: A, price: '2' }])).toEqual([
      { path: '/body/items/0/price', message: 'must not be negative' },
      { path: '/body/items/1/validTo', message: 'must not be before the start date' },
      { path: '/body/items/2/productId', message: 'the same product twice in one list' },
    ]);
    expect(priceListItemErrors([{ productId: A, price: '0', validFrom: '2026-01-01', validTo: '2026-01-01' }])).toEqual([]);
    expect(priceListErrors({ currency: 'XYZ' })).toEqual([{ path: '/body/currency', message: 'is not an ISO 4217 currency code' }]);
    expect(priceListErrors({ currency: 'EUR' })).toEqual([]);
  });

  it('applies a price on the days between its dates, either end open', () => {
    expect(priceAppliesOn({ validFrom: null, validTo: null }, '2026-05-01')).toBe(true);
    expect(priceAppliesOn({ validFrom: '2026-05-01', validTo: null }, '2026-05-01')).toBe(true);
    expect(priceAppliesOn({ validFrom: '2026-05-02', validTo: null }, '2026-05-01')).toBe(false);
    expect(priceAppliesOn({ validFrom: null, validTo: '2026-04-30' }, '2026-05-01')).toBe(false);
  });

  it('lets a catalog line leave its price to the price list, but not a typed one', () => {
    expect(dealItemErrors([{ productId: A, quantity: '1' }])).toEqual([]);
    expect(dealItemErrors([{ name: 'Delivery', quantity: '1' }])).toEqual([{ path: '/body/items/0/price', message: 'a line without a product needs a price' }]);
  });

  it('fills the payment details a workspace has not kept with blanks', () => {
    expect(paymentDetailsOf({ bankName: 'Sberbank' })).toEqual({ legalName: '', address: '', taxId: '', kpp: '', bankName: 'Sberbank', account: '', bic: '', correspondentAccount: '' });
  });
});
