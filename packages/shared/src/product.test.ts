import { describe, expect, it } from 'vitest';
import { decimalRule, isCurrencyCode, normalizeDecimal, productFieldErrors } from './product.js';

describe('product money rules', () => {
  it('accepts prices with up to two decimals and 16 digits before the point', () => {
    for (const ok of ['0', '0.00', '1250', '1250.5', '1250.50', '1250.500', '9999999999999999.99', '-0']) expect(decimalRule(ok), ok).toBeUndefined();
  });

  it('names what is wrong with a price', () => {
    expect(decimalRule('-1')).toBe('negative');
    expect(decimalRule('-0.01')).toBe('negative');
    expect(decimalRule('1.005')).toBe('too_many_decimals');
    expect(decimalRule('10000000000000000')).toBe('too_large');
    expect(decimalRule('12,50')).toBe('not_a_number');
    expect(decimalRule('')).toBe('not_a_number');
  });

  it('keeps a tax rate between 0 and 100', () => {
    expect(decimalRule('0', 100)).toBeUndefined();
    expect(decimalRule('100.00', 100)).toBeUndefined();
    expect(decimalRule('20.25', 100)).toBeUndefined();
    expect(decimalRule('100.01', 100)).toBe('over_100');
    expect(decimalRule('-1', 100)).toBe('negative');
    expect(decimalRule('7.125', 100)).toBe('too_many_decimals');
  });

  it('knows ISO 4217 codes', () => {
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('RUB')).toBe(true);
    expect(isCurrencyCode('ABC')).toBe(false);
    expect(isCurrencyCode('eur')).toBe(false);
  });

  it('reports each broken field at its path', () => {
    expect(productFieldErrors({ price: '-5', taxRate: '120', currency: 'XYZ' }).map((e) => [e.path, e.rule])).toEqual([
      ['/body/price', 'negative'],
      ['/body/taxRate', 'over_100'],
      ['/body/currency', 'unknown_currency'],
    ]);
    expect(productFieldErrors({ price: '10.50' })).toEqual([]);
  });

  it('writes decimals with exactly two places', () => {
    expect(normalizeDecimal('1250')).toBe('1250.00');
    expect(normalizeDecimal('1250.5')).toBe('1250.50');
    expect(normalizeDecimal('007.100')).toBe('7.10');
    expect(normalizeDecimal(' 0 ')).toBe('0.00');
  });
});
