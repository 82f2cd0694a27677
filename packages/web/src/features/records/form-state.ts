import type { Contact, CustomField, DuplicateCheckBody, EMAIL_TYPES, MESSENGER_TYPES, PHONE_TYPES } from '@rapport/shared';
import type { ClientRecord, FormObject } from './objects';

export type PhoneType = (typeof PHONE_TYPES)[number];
export type EmailType = (typeof EMAIL_TYPES)[number];
export type MessengerType = (typeof MESSENGER_TYPES)[number];

export interface CompanyLinkRow {
  companyId: string | null;
  role: string;
  isPrimary: boolean;
}

/** The form's values: text fields as strings (empty = not set), lists as rows, custom values typed. */
export interface Draft {
  text: Record<string, string>;
  /** Enum and other choice fields; null = not set. */
  choice: Record<string, string | null>;
  flags: Record<string, boolean>;
  phones: { type: PhoneType; number: string }[];
  emails: { type: EmailType; email: string }[];
  messengers: { type: MessengerType; handle: string }[];
  companies: CompanyLinkRow[];
  ownerId: string;
  tags: string[];
  custom: Record<string, unknown>;
}

/** Plain text properties of each object's body. */
export const TEXT_FIELDS: Record<FormObject, string[]> = {
  company: ['name', 'legalName', 'industry', 'website', 'inn', 'kpp', 'ogrn', 'vat', 'legalAddress', 'actualAddress'],
  contact: ['firstName', 'middleName', 'lastName', 'position', 'birthday', 'address', 'photoUrl'],
  lead: ['name', 'companyName', 'position', 'disqualifyReason', 'description'],
};

/** Choice properties (enums, links by id); `parentId` is a company picker. */
export const CHOICE_FIELDS: Record<FormObject, string[]> = {
  company: ['kind', 'status', 'parentId'],
  contact: ['source'],
  lead: ['source', 'status'],
};

export const FLAG_FIELDS: Record<FormObject, string[]> = { company: [], contact: ['emailOptIn', 'smsOptIn'], lead: [] };

/** The property a new record cannot do without. */
export const REQUIRED_FIELD: Record<FormObject, string> = { company: 'name', contact: 'firstName', lead: 'name' };

const DEFAULT_CHOICES: Record<FormObject, Record<string, string | null>> = {
  company: { kind: 'prospect', status: 'active', parentId: null },
  contact: { source: null },
  lead: { source: 'other', status: 'new' },
};

const prop = (record: ClientRecord | null, key: string): unknown => (record ? (record as unknown as Record<string, unknown>)[key] : undefined);

/** The form's starting values: the record's, or an empty record owned by the user. */
export function draftOf(object: FormObject, record: ClientRecord | null, ownerId: string): Draft {
  const text: Record<string, string> = {};
  for (const key of TEXT_FIELDS[object]) {
    const value = prop(record, key);
    text[key] = typeof value === 'string' ? value : '';
  }
  const choice: Record<string, string | null> = {};
  for (const key of CHOICE_FIELDS[object]) {
    const value = prop(record, key);
    choice[key] = record ? (typeof value === 'string' ? value : null) : (DEFAULT_CHOICES[object][key] ?? null);
  }
  const flags: Record<string, boolean> = {};
  for (const key of FLAG_FIELDS[object]) flags[key] = prop(record, key) === true;
  const contact = record && object === 'contact' ? (record as Contact) : null;
  return {
    text,
    choice,
    flags,
    phones: (record?.phones ?? []).map((phone) => ({ type: phone.type, number: phone.number })),
    emails: (record?.emails ?? []).map((entry) => ({ type: entry.type, email: entry.email })),
    messengers: (contact?.messengers ?? []).map((entry) => ({ type: entry.type, handle: entry.handle })),
    companies: (contact?.companies ?? []).map((link) => ({ companyId: link.companyId, role: link.role ?? '', isPrimary: link.isPrimary })),
    ownerId: record?.ownerId ?? ownerId,
    tags: record?.tags ?? [],
    custom: { ...(record?.custom ?? {}) },
  };
}

/** What was sent, and for each sent list item the form row it came from (field errors point at sent indexes). */
export interface BuiltBody {
  body: Record<string, unknown>;
  rowOf: { phones: number[]; emails: number[]; messengers: number[]; companies: number[] };
  /** Name, phones, e-mails or tax numbers changed: worth a duplicate check. */
  identityChanged: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function kept<T>(rows: T[], filled: (row: T) => boolean): { items: T[]; rowOf: number[] } {
  const items: T[] = [];
  const rowOf: number[] = [];
  rows.forEach((row, index) => {
    if (filled(row)) {
      items.push(row);
      rowOf.push(index);
    }
  });
  return { items, rowOf };
}

const isBlank = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/**
 * The request body: everything filled for a new record; for an edit, only what changed since the form opened
 * (emptied text becomes null) plus the version it was based on.
 */
export function buildBody(object: FormObject, draft: Draft, initial: Draft, version: number | null): BuiltBody {
  const creating = version === null;
  const body: Record<string, unknown> = {};
  const changed = (a: unknown, b: unknown) => creating || !same(a, b);

  for (const key of TEXT_FIELDS[object]) {
    const value = draft.text[key]?.trim() ?? '';
    if (creating ? value !== '' : value !== (initial.text[key] ?? '').trim()) body[key] = value === '' ? null : value;
  }
  for (const key of CHOICE_FIELDS[object]) {
    const value = draft.choice[key] ?? null;
    if (creating ? value !== null : value !== (initial.choice[key] ?? null)) body[key] = value;
  }
  for (const key of FLAG_FIELDS[object]) if (creating ? draft.flags[key] : draft.flags[key] !== initial.flags[key]) body[key] = draft.flags[key] ?? false;

  const phones = kept(draft.phones, (row) => row.number.trim() !== '');
  const emails = kept(draft.emails, (row) => row.email.trim() !== '');
  const messengers = kept(draft.messengers, (row) => row.handle.trim() !== '');
  const companies = kept(draft.companies, (row) => row.companyId !== null);
  const trimmedPhones = phones.items.map((row) => ({ type: row.type, number: row.number.trim() }));
  const trimmedEmails = emails.items.map((row) => ({ type: row.type, email: row.email.trim() }));
  const phonesChanged = !same(trimmedPhones, initial.phones);
  const emailsChanged = !same(trimmedEmails, initial.emails);
  if (creating ? trimmedPhones.length > 0 : phonesChanged) body.phones = trimmedPhones;
  if (creating ? trimmedEmails.length > 0 : emailsChanged) body.emails = trimmedEmails;
  if (object === 'contact') {
    const handles = messengers.items.map((row) => ({ type: row.type, handle: row.handle.trim() }));
    if (creating ? handles.length > 0 : !same(handles, initial.messengers)) body.messengers = handles;
    const links = companies.items.map((row) => ({ companyId: row.companyId!, role: row.role.trim() || null, isPrimary: row.isPrimary }));
    const initialLinks = initial.companies.map((row) => ({ companyId: row.companyId!, role: row.role.trim() || null, isPrimary: row.isPrimary }));
    if (creating ? links.length > 0 : !same(links, initialLinks)) body.companies = links;
  }
  if (changed(draft.ownerId, initial.ownerId) && draft.ownerId) body.ownerId = draft.ownerId;
  if (creating ? draft.tags.length > 0 : !same(draft.tags, initial.tags)) body.tags = draft.tags;

  const custom: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(draft.custom)) {
    if (creating ? !isBlank(value) : !same(isBlank(value) ? null : value, isBlank(initial.custom[key]) ? null : initial.custom[key])) custom[key] = isBlank(value) ? null : value;
  }
  if (Object.keys(custom).length > 0) body.custom = custom;
  if (!creating) body.version = version;

  const nameKeys = object === 'contact' ? ['firstName', 'middleName', 'lastName'] : ['name'];
  const taxKeys = object === 'company' ? ['inn', 'vat'] : [];
  const identityChanged = creating || phonesChanged || emailsChanged || [...nameKeys, ...taxKeys].some((key) => (draft.text[key] ?? '').trim() !== (initial.text[key] ?? '').trim());
  return { body, rowOf: { phones: phones.rowOf, emails: emails.rowOf, messengers: messengers.rowOf, companies: companies.rowOf }, identityChanged };
}

/** What the duplicate check gets from a draft. */
export function duplicateQuery(object: FormObject, draft: Draft, excludeId: string | null): DuplicateCheckBody {
  const name = object === 'contact' ? [draft.text.firstName, draft.text.middleName, draft.text.lastName].map((part) => part?.trim()).filter(Boolean).join(' ') : (draft.text.name ?? '').trim();
  const query: DuplicateCheckBody = {};
  if (name) query.name = name.slice(0, 300);
  const phones = draft.phones.filter((row) => row.number.trim() !== '').map((row) => ({ type: row.type, number: row.number.trim().slice(0, 40) }));
  const emails = draft.emails.filter((row) => row.email.trim() !== '').map((row) => ({ type: row.type, email: row.email.trim().slice(0, 254) }));
  if (phones.length > 0) query.phones = phones;
  if (emails.length > 0) query.emails = emails;
  if (object === 'company') {
    if (draft.text.inn?.trim()) query.inn = draft.text.inn.trim().slice(0, 12);
    if (draft.text.vat?.trim()) query.vat = draft.text.vat.trim().slice(0, 30);
  }
  if (object === 'contact') {
    const companyIds = draft.companies.map((row) => row.companyId).filter((id): id is string => id !== null);
    if (companyIds.length > 0) query.companyIds = companyIds;
  }
  if (excludeId) query.excludeId = excludeId;
  return query;
}

/**
 * The form key a server field error belongs to: `/body/phones/1/number` → `phones.3.number` when the second phone
 * sent was the form's fourth row; `/body/custom/loyalty` → `custom.loyalty`.
 */
export function errorKey(path: string, rowOf: BuiltBody['rowOf']): string {
  const parts = path.split('/').filter(Boolean);
  const [where, list, index, ...rest] = parts;
  if (where !== 'body' || list === undefined) return parts.slice(1).join('.');
  if ((list === 'phones' || list === 'emails' || list === 'messengers' || list === 'companies') && index !== undefined && /^\d+$/.test(index)) {
    const row = rowOf[list][Number(index)] ?? Number(index);
    return [list, String(row), ...rest].join('.');
  }
  return parts.slice(1).join('.');
}

/** Field errors about unreadable phones or e-mails: the server keeps such values in a note when asked to. */
export function isContactPointError(key: string): boolean {
  return /^(phones\.\d+\.number|emails\.\d+\.email)$/.test(key);
}

/** Required custom fields left empty, by form key. */
export function missingRequired(draft: Draft, object: FormObject, customFields: CustomField[]): string[] {
  const missing: string[] = [];
  if ((draft.text[REQUIRED_FIELD[object]] ?? '').trim() === '') missing.push(REQUIRED_FIELD[object]);
  for (const field of customFields) if (field.required && isBlank(draft.custom[field.key])) missing.push(`custom.${field.key}`);
  return missing;
}
