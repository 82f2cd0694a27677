import type { Deal } from '@rapport/shared';
import { describe, expect, it } from 'vitest';
import { dealDraftErrors, draftOfDeal, toDealCreateBody, toDealUpdateBody } from './deal-draft';

const defaults = { ownerId: 'me', currency: 'EUR', pipelineId: 'p1' };
const deal = {
  id: 'd1',
  title: 'Windows',
  pipelineId: 'p1',
  stageId: 's1',
  amount: '320.00',
  currency: 'EUR',
  companyId: null,
  contacts: [{ contactId: 'c1', contactName: 'Olga', role: 'Buyer' }],
  expectedCloseDate: null,
  source: null,
  lostReason: null,
  description: null,
  ownerId: 'me',
  custom: { visit_at: '2031-03-05T10:00:00.000Z', floor: 3 },
  version: 4,
} as unknown as Deal;

describe('deal draft', () => {
  it('starts a new deal in the given pipeline and stage, in the workspace currency, with the person it is made from', () => {
    expect(draftOfDeal(null, { ...defaults, stageId: 's2', contactId: 'c9' })).toMatchObject({ pipelineId: 'p1', stageId: 's2', currency: 'EUR', contacts: [{ contactId: 'c9', role: '' }], ownerId: 'me' });
  });

  it('refuses what the server would: no title, a negative or over-precise amount, an unknown currency, a lost deal without a reason', () => {
    const draft = { ...draftOfDeal(null, defaults), amount: '-5', currency: 'ABC' };
    expect([...dealDraftErrors(draft, 'open')]).toEqual([
      ['title', 'required'],
      ['amount', 'negative'],
      ['currency', 'unknown_currency'],
    ]);
    expect(dealDraftErrors({ ...draft, title: 'A', amount: '1 250,5', currency: 'usd' }, 'lost')).toEqual(new Map([['lostReason', 'required']]));
  });

  it('sends typed amounts as decimals and leaves out empty contact rows', () => {
    const body = toDealCreateBody({ ...draftOfDeal(null, defaults), title: ' Doors ', amount: '1 250,5', contacts: [{ contactId: null, role: 'x' }, { contactId: 'c1', role: ' CEO ' }] });
    expect(body).toMatchObject({ title: 'Doors', amount: '1250.5', currency: 'EUR', contacts: [{ contactId: 'c1', role: 'CEO' }], companyId: null });
  });

  it('an edit sends only what changed, with the version; the same amount written otherwise is no change', () => {
    const draft = { ...draftOfDeal(deal, defaults), amount: '320', title: 'Big windows' };
    expect(toDealUpdateBody(draft, deal, defaults)).toEqual({ title: 'Big windows', version: 4 });
  });

  it('sends custom values one by one: a new deal its filled ones, an edit the changed ones and an emptied one as null', () => {
    expect(toDealCreateBody({ ...draftOfDeal(null, defaults), title: 'A', custom: { floor: 2, note: '', visit_at: null } }).custom).toEqual({ floor: 2 });
    const draft = { ...draftOfDeal(deal, defaults), custom: { visit_at: '2031-03-06T10:00:00.000Z', floor: '' } };
    expect(toDealUpdateBody(draft, deal, defaults)).toEqual({ custom: { visit_at: '2031-03-06T10:00:00.000Z', floor: null }, version: 4 });
  });
});
