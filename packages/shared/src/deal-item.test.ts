import { describe, expect, it } from 'vitest';
import { dealItemErrors, dealTotals, lineAmounts } from './deal-item.js';

describe('deal line items', () => {
  it('computes net, tax and total in whole cents, rounding each line half up', () => {
    expect(lineAmounts({ quantity: '3', price: '0.10', discountPercent: '0', taxRate: '0' })).toEqual({ net: '0.30', tax: '0.00', total: '0.30' });
    expect(lineAmounts({ quantity: '2.5', price: '1250.50', discountPercent: '10', taxRate: '20' })).toEqual({ net: '2813.63', tax: '562.73', total: '3376.36' });
    expect(lineAmounts({ quantity: '1', price: '0.05', discountPercent: '50', taxRate: '0' })).toEqual({ net: '0.03', tax: '0.00', total: '0.03' });
    expect(lineAmounts({ quantity: '1', price: '99.99', discountPercent: '100', taxRate: '20' })).toEqual({ net: '0.00', tax: '0.00', total: '0.00' });
  });

  it('adds the lines up exactly', () => {
    const lines = [lineAmounts({ quantity: '1', price: '0.10', discountPercent: '0', taxRate: '0' }), lineAmounts({ quantity: '1', price: '0.20', discountPercent: '0', taxRate: '0' })];
    expect(dealTotals(lines)).toEqual({ net: '0.30', tax: '0.00', total: '0.30' });
    expect(dealTotals([])).toEqual({ net: '0.00', tax: '0.00', total: '0.00' });
  });

  it('names each bad number by its line and field', () => {
    expect(dealItemErrors([{ name: 'Window', quantity: '0', price: '-1', discountPercent: '120' }, { quantity: '1', price: '1.005' }])).toEqual([
      { path: '/body/items/0/quantity', message: 'must be greater than 0' },
      { path: '/body/items/0/price', message: 'must not be negative' },
      { path: '/body/items/0/discountPercent', message: 'must be between 0 and 100' },
      { path: '/body/items/1/price', message: 'has more than 2 decimals' },
      { path: '/body/items/1/name', message: 'a line needs a product or a name' },
    ]);
  });
});
