import type { Company } from '@rapport/shared';
import { describe, expect, it } from 'vitest';
import { mergeChoices } from './merge-state';

const company = (id: string, values: Partial<Company>) => ({ id, name: 'Acme', industry: null, inn: null, custom: {}, phones: [], emails: [], ...values }) as unknown as Company;

describe('merge choices', () => {
  const a = company('a', { name: 'Acme', industry: null, custom: { loyalty: 'gold' } });
  const b = company('b', { name: 'ACME Ltd', industry: 'Retail', custom: { loyalty: 'gold' } });
  const c = company('c', { name: 'Acme', industry: 'Food', inn: '7707083893', custom: {} });

  it('lists only the fields whose values differ', () => {
    expect(mergeChoices([a, b], ['name', 'industry', 'inn', 'custom.loyalty'], 'a').map((choice) => choice.key)).toEqual(['name', 'industry']);
    expect(mergeChoices([a, c], ['name', 'inn', 'custom.loyalty'], 'a').map((choice) => choice.key)).toEqual(['inn', 'custom.loyalty']);
  });

  it("keeps the survivor's value, or the first filled one when the survivor has none", () => {
    expect(mergeChoices([a, b, c], ['name', 'industry', 'inn', 'custom.loyalty'], 'a')).toEqual([
      { key: 'name', defaultId: 'a' },
      { key: 'industry', defaultId: 'b' },
      { key: 'inn', defaultId: 'c' },
      { key: 'custom.loyalty', defaultId: 'a' },
    ]);
    expect(mergeChoices([a, b, c], ['industry'], 'c')).toEqual([{ key: 'industry', defaultId: 'c' }]);
  });

  it('has nothing to choose for identical records', () => {
    expect(mergeChoices([a, { ...a, id: 'a2' }], ['name', 'industry', 'custom.loyalty'], 'a')).toEqual([]);
    expect(mergeChoices([], ['name'], 'a')).toEqual([]);
  });
});
