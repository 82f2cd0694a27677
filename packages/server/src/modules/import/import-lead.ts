import { type ImportCellProblem, type Lead, type LeadBody } from '@rapport/shared';
import { headerKey } from './import-mapping.js';
import type { RowDraft } from './import-row.js';

type Fail = (field: string, code: ImportCellProblem, message: string, params?: Record<string, string | number>) => void;

/** A lead's text fields a cell fills as it is, with their length limits (those of the lead's form). */
export const LEAD_TEXT_FIELDS: Record<string, number> = { name: 300, position: 200, disqualifyReason: 500, description: 5000 };

/** A lead's import fields that are not named like their column, for "update empty fields". */
export const LEAD_COLUMNS: Record<string, string> = { companyName: 'company_name', source: 'source', status: 'status', disqualifyReason: 'disqualify_reason', description: 'description' };

/** The columns a lead import may change, saved before an update so that undo puts them back exactly. */
export const LEAD_SNAPSHOT = ['name', 'company_name', 'position', 'phones', 'emails', 'source', 'status', 'disqualify_reason', 'description', 'tags', 'custom', 'search_name', 'search_phones', 'search_emails'];

/** How files write a lead's source and status: the stored value, or its English or Russian label (as the web shows them). */
const SOURCE_WORDS: Record<Lead['source'], string[]> = {
  website: ['website', 'web site', 'site', 'web', 'сайт', 'веб сайт'],
  call: ['call', 'phone call', 'phone', 'звонок', 'телефон'],
  email: ['email', 'e mail', 'mail', 'письмо', 'почта', 'эл почта'],
  campaign: ['campaign', 'ad', 'кампания', 'реклама', 'рассылка'],
  referral: ['referral', 'recommendation', 'рекомендация', 'по рекомендации'],
  other: ['other', 'другое', 'прочее'],
};
const STATUS_WORDS: Record<Lead['status'], string[]> = {
  new: ['new', 'новый', 'новая'],
  in_work: ['in work', 'in progress', 'working', 'в работе'],
  qualified: ['qualified', 'квалифицирован', 'квалифицирована'],
  disqualified: ['disqualified', 'отказ', 'дисквалифицирован', 'дисквалифицирована'],
};

function byWord<T extends string>(words: Record<T, string[]>): Map<string, T> {
  return new Map(Object.entries<string[]>(words).flatMap(([value, list]) => [value, ...list].map((word) => [headerKey(word), value as T] as const)));
}
const SOURCES = byWord(SOURCE_WORDS);
const STATUSES = byWord(STATUS_WORDS);

/** A lead's or deal's source as a file writes it (the value or its label), or undefined when it is none. */
export const readSource = (text: string): Lead['source'] | undefined => SOURCES.get(headerKey(text));

/**
 * A lead's own cells: source and status (a value or its label), and the company name, which a lead keeps as text
 * rather than linking a company. False for the fields every object reads alike.
 */
export function readLeadCell(field: string, raw: string, draft: RowDraft, fail: Fail): boolean {
  if (field === 'source' || field === 'status') {
    const value = field === 'source' ? readSource(raw) : STATUSES.get(headerKey(raw));
    if (value === undefined) fail(field, 'option', `not one of the options: ${raw}`, { value: raw });
    else draft.fields[field] = draft.values[field] = value;
    return true;
  }
  if (field === 'companyName') {
    if (raw.length > 300) fail(field, 'too_long', 'longer than 300 characters', { limit: 300 });
    else draft.fields.companyName = draft.values.companyName = raw;
    return true;
  }
  return false;
}

/** What a lead row needs as a whole: a name, and a reason when it comes in disqualified (as the lead's form asks). */
export function checkLeadRow(draft: RowDraft, fail: Fail): void {
  if (draft.fields.name === undefined) fail('name', 'required_name', 'a name is required');
  if (draft.fields.status === 'disqualified' && draft.fields.disqualifyReason === undefined) fail('disqualifyReason', 'required_reason', 'a disqualified lead needs the reason');
}

/**
 * The lead a row creates. Phones go in as the row read them, in E.164 with the import's default country, so the lead
 * service (which would use the workspace's country) reads them the same.
 */
export function leadBody(draft: RowDraft): LeadBody {
  return {
    ...(draft.fields as Pick<LeadBody, 'name'>),
    phones: draft.phones.map((phone, i) => ({ ...phone, number: draft.keys.phones[i]! })),
    emails: draft.emails.map((email) => ({ email })),
    custom: draft.custom,
  };
}
