import type { Product } from '@rapport/shared';
import { describe, expect, it } from 'vitest';
import { draftErrors, draftOf, formatPrice, ruleOfMessage, toCreateBody, toDecimal, toUpdateBody } from './product-draft';

const door: Product = {
  id: '0190a0a0-0000-7000-8000-000000000001',
  sku: 'DOOR',
  name: 'Door',
  description: '',
  unit: 'pcs',
  price: '320.00',
  currency: 'EUR',
  taxRate: '20.00',
  archivedAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 3,
};

describe('product draft', () => {
  it('reads prices typed the local way', () => {
    expect(toDecimal('1 250,50')).toBe('1250.50');
    expect(toDecimal('1\u00a0250.5')).toBe('1250.5');
  });

  it('starts a new product in the workspace currency with no tax', () => {
    expect(draftOf(null, 'RUB')).toMatchObject({ currency: 'RUB', taxRate: '0', price: '' });
  });

  it('refuses blanks, bad numbers and unknown currencies by field', () => {
    expect([...draftErrors(draftOf(null, 'USD'))]).toEqual([
      ['sku', 'required'],
      ['name', 'required'],
      ['price', 'required'],
    ]);
    const bad = { ...draftOf(door, 'USD'), price: '-5', taxRate: '101', currency: 'abc' };
    expect(Object.fromEntries(draftErrors(bad))).toEqual({ price: 'negative', taxRate: 'over_100', currency: 'unknown_currency' });
    expect(draftErrors({ ...draftOf(door, 'USD'), price: '1,005' }).get('price')).toBe('too_many_decimals');
    expect(draftErrors({ ...draftOf(door, 'USD'), currency: 'rub' }).size).toBe(0);
  });

  it('sends trimmed values, and on edit only what changed with the version', () => {
    expect(toCreateBody({ sku: ' W-1 ', name: ' Window ', description: '', unit: 'pcs', price: '1 250,5', currency: 'eur', taxRate: '' })).toEqual({ sku: 'W-1', name: 'Window', description: '', unit: 'pcs', price: '1250.5', currency: 'EUR', taxRate: '0' });
    expect(toUpdateBody({ ...draftOf(door, 'USD'), price: '320', name: 'Front door' }, door)).toEqual({ name: 'Front door', version: 3 });
    expect(toUpdateBody({ ...draftOf(door, 'USD'), price: '330,10' }, door)).toEqual({ price: '330.10', version: 3 });
  });

  it('knows the server messages of its rules', () => {
    expect(ruleOfMessage('has more than 2 decimals')).toBe('too_many_decimals');
    expect(ruleOfMessage('already in use')).toBeUndefined();
  });

  it('formats a price in its currency for the reader', () => {
    expect(formatPrice('1250.50', 'USD', 'en-US')).toBe('$1,250.50');
    expect(formatPrice('1250.50', 'RUB', 'ru-RU')).toMatch(/^1\s250,50\s₽$/);
  });
});
