import { decimalRule, isCurrencyCode, type Deal, type DealBody, type DealUpdateBody, type ProductRule, type StageKind } from '@rapport/shared';
import { toDecimal } from '../products/product-draft';

/** The deal form as typed: texts as written ("1 250,5"), links by id (null: none chosen). */
export interface DealDraft {
  title: string;
  pipelineId: string | null;
  stageId: string | null;
  amount: string;
  currency: string;
  companyId: string | null;
  contacts: { contactId: string | null; role: string }[];
  expectedCloseDate: string;
  source: string | null;
  campaign: string;
  /** The deal's price list; on a new deal, null leaves the choice to the server (its currency's default list). */
  priceListId: string | null;
  lostReason: string;
  description: string;
  ownerId: string;
  /** Custom field values by key, as the API takes them (null: empty). */
  custom: Record<string, unknown>;
}
export type DealField = 'title' | 'amount' | 'currency' | 'lostReason' | 'stageId';
export type DealRule = ProductRule | 'required';

export interface DealDefaults {
  ownerId: string;
  currency: string;
  pipelineId: string | null;
  stageId?: string | null;
  companyId?: string | null;
  contactId?: string | null;
}

export function draftOfDeal(deal: Deal | null, defaults: DealDefaults): DealDraft {
  if (!deal) {
    return {
      title: '',
      pipelineId: defaults.pipelineId,
      stageId: defaults.stageId ?? null,
      amount: '',
      currency: defaults.currency,
      companyId: defaults.companyId ?? null,
      contacts: defaults.contactId ? [{ contactId: defaults.contactId, role: '' }] : [],
      expectedCloseDate: '',
      source: null,
      campaign: '',
      priceListId: null,
      lostReason: '',
      description: '',
      ownerId: defaults.ownerId,
      custom: {},
    };
  }
  return {
    title: deal.title,
    pipelineId: deal.pipelineId,
    stageId: deal.stageId,
    amount: deal.amount,
    currency: deal.currency,
    companyId: deal.companyId,
    contacts: deal.contacts.map((link) => ({ contactId: link.contactId, role: link.role ?? '' })),
    expectedCloseDate: deal.expectedCloseDate ?? '',
    source: deal.source,
    campaign: deal.campaign ?? '',
    priceListId: deal.priceListId,
    lostReason: deal.lostReason ?? '',
    description: deal.description ?? '',
    ownerId: deal.ownerId,
    custom: { ...deal.custom },
  };
}

/** What the form refuses before sending: a title, money the server would take, a reason for a lost deal. */
export function dealDraftErrors(draft: DealDraft, stageKind: StageKind | undefined): Map<DealField, DealRule> {
  const errors = new Map<DealField, DealRule>();
  if (!draft.title.trim()) errors.set('title', 'required');
  const amountRule = draft.amount.trim() ? decimalRule(toDecimal(draft.amount)) : undefined;
  if (amountRule) errors.set('amount', amountRule);
  if (!isCurrencyCode(draft.currency.trim().toUpperCase())) errors.set('currency', 'unknown_currency');
  if (stageKind === 'lost' && !draft.lostReason.trim()) errors.set('lostReason', 'required');
  return errors;
}

function bodyOf(draft: DealDraft, isNew: boolean): DealBody {
  return {
    title: draft.title.trim(),
    ...(draft.pipelineId ? { pipelineId: draft.pipelineId } : {}),
    ...(draft.stageId ? { stageId: draft.stageId } : {}),
    amount: toDecimal(draft.amount) || '0',
    currency: draft.currency.trim().toUpperCase(),
    companyId: draft.companyId,
    contacts: draft.contacts.flatMap((row) => (row.contactId ? [{ contactId: row.contactId, role: row.role.trim() || null }] : [])),
    expectedCloseDate: draft.expectedCloseDate || null,
    source: draft.source as Deal['source'],
    campaign: draft.campaign.trim() || null,
    ...(isNew && draft.priceListId === null ? {} : { priceListId: draft.priceListId }),
    lostReason: draft.lostReason.trim() || null,
    description: draft.description.trim() || null,
    ownerId: draft.ownerId,
    custom: Object.fromEntries(Object.entries(draft.custom).filter(([, value]) => value !== null && value !== undefined && value !== '')),
  };
}

export const toDealCreateBody = (draft: DealDraft): DealBody => bodyOf(draft, true);

/** Only what changed, with the version the edit started from; the same amount written otherwise ("320" for "320.00") is no change. */
export function toDealUpdateBody(draft: DealDraft, deal: Deal, defaults: DealDefaults): DealUpdateBody {
  const next: Record<string, unknown> = { ...bodyOf(draft, false) };
  const before: Record<string, unknown> = { ...bodyOf(draftOfDeal(deal, defaults), false) };
  const same = (field: string) => (field === 'amount' ? Number(next[field]) === Number(before[field]) : JSON.stringify(next[field]) === JSON.stringify(before[field]));
  const changed = Object.keys(next).filter((field) => field !== 'custom' && !same(field));
  // Custom values go one by one: those changed, an emptied one as null.
  const custom = Object.fromEntries(Object.entries(draft.custom).filter(([key, value]) => JSON.stringify(value ?? null) !== JSON.stringify(deal.custom[key] ?? null)).map(([key, value]) => [key, value === '' || value === undefined ? null : value]));
  return { ...Object.fromEntries(changed.map((field) => [field, next[field]])), ...(Object.keys(custom).length > 0 ? { custom } : {}), version: deal.version } as DealUpdateBody;
}
