import { describe, expect, it } from 'vitest';
import { KEY_PATTERN, keyFromLabel } from './field-key';

describe('custom field keys from labels', () => {
  it('makes keys the API accepts', () => {
    expect(keyFromLabel('Loyalty level')).toBe('loyalty_level');
    expect(keyFromLabel('  Net promoter score (NPS)! ')).toBe('net_promoter_score_nps');
    expect(keyFromLabel('Уровень лояльности')).toBe('uroven_loialnosti');
    expect(keyFromLabel('Café crème')).toBe('cafe_creme');
    expect(keyFromLabel('2nd phone')).toBe('f_2nd_phone');
    expect(keyFromLabel('Gold')).toBe('gold');
    expect(keyFromLabel('???')).toBe('');
    for (const label of ['Loyalty level', 'Уровень лояльности', '2nd phone', 'x'.repeat(100)]) expect(KEY_PATTERN.test(keyFromLabel(label)), label).toBe(true);
  });
});
