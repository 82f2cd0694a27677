import type { Deal } from '@rapport/shared';
import { describe, expect, it } from 'vitest';
import { fillPlaceholders } from './action-library.js';

const deal = {
  title: 'Bay window',
  amount: '84000.00',
  currency: 'RUB',
  expectedCloseDate: '2031-03-05',
  contacts: [],
  ownerId: 'u1',
  ownerName: 'Max',
  tags: [],
  custom: { visit_at: '2031-03-02T07:30:00.000Z', floor: 3 },
} as unknown as Deal;

describe('robot texts', () => {
  it('fill fields in, with dates and moments written the workspace’s way and in its time zone; unknown fields are empty', () => {
    const text = 'Install {{title}} by {{expectedCloseDate}}; visit {{custom.visit_at}}, floor {{custom.floor}}, {{owner.name}}{{nothing.here}}';
    expect(fillPlaceholders(text, deal, { locale: 'en', timeZone: 'UTC' })).toBe('Install Bay window by March 5, 2031; visit March 2, 2031 at 7:30 AM, floor 3, Max');
    expect(fillPlaceholders(text, deal, { locale: 'ru', timeZone: 'Europe/Moscow' })).toBe('Install Bay window by 5 марта 2031 г.; visit 2 марта 2031 г. в 10:30, floor 3, Max');
  });
});
