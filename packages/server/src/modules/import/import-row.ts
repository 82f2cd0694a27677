import { normalizeEmail, toE164, type CustomField, type ImportCellProblem, type ImportObject, type ImportPreviewRow, type PhoneInput } from '@rapport/shared';
import { AppError } from '../../core/app-error.js';
import { applyCustomValues } from '../custom-field/custom-field.service.js';
import { checkDealRow, DEAL_TEXT_FIELDS, readDealCell } from './import-deal.js';
import { checkLeadRow, LEAD_TEXT_FIELDS, readLeadCell } from './import-lead.js';
import { checkProductRow, PRODUCT_TEXT_FIELDS, readProductCell } from './import-product.js';

/** Custom field kinds a file's cell can fill. */
export const IMPORTABLE_CUSTOM_KINDS = new Set(['text', 'phone', 'email', 'url', 'number', 'money', 'date', 'boolean', 'select']);

export interface RowOptions {
  object: ImportObject;
  mapping: (string | null)[];
  defaultCountry: string;
  fileLocale: 'en' | 'ru';
  customFields: CustomField[];
}

/** One row read into the fields of a record, each value as it would be stored, or the reason it cannot be. */
export interface RowDraft {
  values: Record<string, string>;
  errors: ImportPreviewRow['errors'];
  /** Field → value for the record's create or update (the service's input names). */
  fields: Record<string, unknown>;
  phones: PhoneInput[];
  emails: string[];
  /** Normalized phones, e-mails and tax numbers: what finds an existing record. */
  keys: { phones: string[]; emails: string[]; taxIds: string[] };
  company: { name: string | null; inn: string | null } | null;
  custom: Record<string, unknown>;
}

const PATRONYMIC = /(вич|вна|ична|инична|оглы|кызы)$/i;

/**
 * "Иванов Иван Петрович" → last, first, middle. Two words are "Фамилия Имя" in Cyrillic (how Russian lists write
 * them) and "First Last" in Latin script; one word is a first name.
 */
export function splitFullName(full: string): { firstName: string; middleName: string | null; lastName: string | null } {
  const words = full.trim().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return { firstName: '', middleName: null, lastName: null };
  if (words.length === 1) return { firstName: words[0]!, middleName: null, lastName: null };
  const cyrillic = /[а-яё]/i.test(full);
  if (words.length === 3 && (cyrillic || PATRONYMIC.test(words[2]!))) return { lastName: words[0]!, firstName: words[1]!, middleName: words[2]! };
  if (cyrillic) return { lastName: words[0]!, firstName: words.slice(1).join(' '), middleName: null };
  return { firstName: words.slice(0, -1).join(' '), lastName: words.at(-1)!, middleName: null };
}

/** A date in the file's locale (31.12.1980 in Russian files, 12/31/1980 in English ones) or ISO, as YYYY-MM-DD. */
export function parseLocaleDate(text: string, locale: 'en' | 'ru'): string | null {
  const value = text.trim();
  let year: number;
  let month: number;
  let day: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(value);
  const local = /^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$/.exec(value);
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (local) {
    const [a, b] = [Number(local[1]), Number(local[2])];
    [day, month] = locale === 'ru' || local[0].includes('.') ? [a, b] : [b, a];
    year = Number(local[3]);
    if (local[3]!.length === 2) year += year > (new Date().getFullYear() % 100) ? 1900 : 2000;
  } else return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * A number in the file's locale: "1 234,50" in Russian files, "1,234.50" in English ones. An English comma must group
 * thousands: "12 500,50" (a Russian price read as English) is no number, not 1,250,050, so the preview flags it.
 */
export function parseLocaleNumber(text: string, locale: 'en' | 'ru'): number | null {
  let value = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (locale === 'en' && value.includes(',') && !/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(value)) return null;
  value = locale === 'ru' ? value.replace(/\.(?=\d{3}(\D|$))/g, '').replace(',', '.') : value.replace(/,/g, '');
  if (!/^[-+]?\d+(\.\d+)?$/.test(value)) return null;
  return Number(value);
}

const TRUE = new Set(['1', 'да', 'yes', 'true', 'y', 'д', 'x', '+']);
const FALSE = new Set(['0', 'нет', 'no', 'false', 'n', 'н', '-']);

function customValue(field: CustomField, text: string, locale: 'en' | 'ru'): { ok: true; value: unknown } | { ok: false; code: ImportCellProblem; message: string } {
  switch (field.kind) {
    case 'number':
    case 'money': {
      const number = parseLocaleNumber(text, locale);
      return number === null ? { ok: false, code: 'number', message: 'not a number' } : { ok: true, value: number };
    }
    case 'date': {
      const date = parseLocaleDate(text, locale);
      return date === null ? { ok: false, code: 'date', message: 'not a date' } : { ok: true, value: date };
    }
    case 'boolean': {
      const key = text.trim().toLowerCase();
      return TRUE.has(key) ? { ok: true, value: true } : FALSE.has(key) ? { ok: true, value: false } : { ok: false, code: 'boolean', message: 'not yes or no' };
    }
    case 'select': {
      const key = text.trim().toLowerCase();
      const option = field.options.find((o) => o.value.toLowerCase() === key || o.label.toLowerCase() === key);
      return option ? { ok: true, value: option.value } : { ok: false, code: 'option', message: 'not one of the options' };
    }
    default:
      return { ok: true, value: text.trim() };
  }
}

const TEXT_FIELDS: Record<ImportObject, Record<string, number>> = {
  contact: { firstName: 100, middleName: 100, lastName: 100, position: 200, address: 500 },
  company: { name: 300, legalName: 300, industry: 100, website: 300, legalAddress: 500, actualAddress: 500 },
  lead: LEAD_TEXT_FIELDS,
  product: PRODUCT_TEXT_FIELDS,
  deal: DEAL_TEXT_FIELDS,
};
const TAX_PATTERNS: Record<string, RegExp> = { inn: /^(\d{10}|\d{12})$/, kpp: /^\d{9}$/, ogrn: /^(\d{13}|\d{15})$/, companyInn: /^(\d{10}|\d{12})$/ };

/** Reads one row of the file through the mapping: normalizes every cell and names what cannot be stored. */
export function readRow(cells: string[], options: RowOptions): RowDraft {
  const draft: RowDraft = { values: {}, errors: [], fields: {}, phones: [], emails: [], keys: { phones: [], emails: [], taxIds: [] }, company: null, custom: {} };
  const fail = (field: string, code: ImportCellProblem, message: string, params: Record<string, string | number> = {}) => draft.errors.push({ field, code, params, message });
  const customByKey = new Map(options.customFields.map((field) => [field.key, field]));
  let fullName: string | null = null;
  options.mapping.forEach((field, i) => {
    const raw = (cells[i] ?? '').trim();
    if (!field || raw === '') return;
    if (options.object === 'lead' && readLeadCell(field, raw, draft, fail)) return;
    if (options.object === 'product' && readProductCell(field, raw, draft, fail, (text) => parseLocaleNumber(text, options.fileLocale))) return;
    if (options.object === 'deal' && readDealCell(field, raw, draft, fail, { number: (text) => parseLocaleNumber(text, options.fileLocale), date: (text) => parseLocaleDate(text, options.fileLocale), country: options.defaultCountry })) return;
    if (field === 'phone') {
      for (const part of raw.split(/[,;]|\s{2,}/).map((p) => p.trim()).filter((p) => p !== '')) {
        const e164 = toE164(part, options.defaultCountry);
        if (!e164) fail('phone', 'phone', `not a phone number we can read: ${part}`, { value: part });
        else if (!draft.keys.phones.includes(e164)) {
          draft.phones.push({ number: part, type: draft.phones.length === 0 ? 'mobile' : 'work' });
          draft.keys.phones.push(e164);
        }
      }
      draft.values.phone = draft.keys.phones.join(', ');
    } else if (field === 'email') {
      for (const part of raw.split(/[,;]/).map((p) => p.trim()).filter((p) => p !== '')) {
        const email = normalizeEmail(part);
        if (!email) fail('email', 'email', `not a valid e-mail address: ${part}`, { value: part });
        else if (!draft.emails.includes(email)) draft.emails.push(email);
      }
      draft.keys.emails = draft.emails;
      draft.values.email = draft.emails.join(', ');
    } else if (field === 'fullName') {
      fullName = raw.replace(/\s+/g, ' ');
    } else if (field === 'birthday') {
      const date = parseLocaleDate(raw, options.fileLocale);
      if (!date) fail(field, 'date', `not a date: ${raw}`, { value: raw });
      else draft.fields.birthday = draft.values.birthday = date;
    } else if (field === 'tags') {
      const tags = [...new Set(raw.split(/[,;]/).map((tag) => tag.trim()).filter((tag) => tag !== '' && tag.length <= 50))];
      draft.fields.tags = tags;
      draft.values.tags = tags.join(', ');
    } else if (field in TAX_PATTERNS) {
      const digits = raw.replace(/\s/g, '');
      if (!TAX_PATTERNS[field]!.test(digits)) {
        const kind = field === 'companyInn' ? 'INN' : field.toUpperCase();
        fail(field, 'tax_id', `not a valid ${kind}: ${raw}`, { kind, value: raw });
      }
      else if (field === 'companyInn') draft.company = { name: draft.company?.name ?? null, inn: (draft.values.companyInn = digits) };
      else {
        draft.fields[field] = draft.values[field] = digits;
        if (field === 'inn') draft.keys.taxIds.push(digits);
      }
    } else if (field === 'companyName') {
      draft.company = { name: (draft.values.companyName = raw.slice(0, 300)), inn: draft.company?.inn ?? null };
    } else if (field.startsWith('custom.')) {
      const definition = customByKey.get(field.slice('custom.'.length));
      if (!definition || !IMPORTABLE_CUSTOM_KINDS.has(definition.kind)) return fail(field, 'unknown_field', 'not a field of this object that a file can fill');
      const value = customValue(definition, raw, options.fileLocale);
      if (!value.ok) return fail(field, value.code, `${value.message}: ${raw}`, { value: raw });
      try {
        Object.assign(draft.custom, applyCustomValues([definition], {}, { [definition.key]: value.value }));
        draft.values[field] = String(draft.custom[definition.key]);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        fail(field, 'invalid', `${error.errors?.[0]?.message ?? error.message}: ${raw}`, { value: raw });
      }
    } else {
      const limit = TEXT_FIELDS[options.object][field];
      if (limit === undefined) return fail(field, 'unknown_field', 'not a field of this object');
      if (raw.length > limit) return fail(field, 'too_long', `longer than ${limit} characters`, { limit });
      draft.fields[field] = draft.values[field] = raw;
    }
  });
  if (options.object === 'contact') {
    if (fullName !== null && draft.fields.firstName === undefined && draft.fields.lastName === undefined) {
      const split = splitFullName(fullName);
      draft.fields.firstName = draft.values.firstName = split.firstName;
      if (split.lastName) draft.fields.lastName = draft.values.lastName = split.lastName;
      if (split.middleName) draft.fields.middleName = draft.values.middleName = split.middleName;
    }
    if (draft.fields.firstName === undefined) fail('firstName', 'required_first_name', 'a first name (or a full name) is required');
  } else if (options.object === 'lead') {
    checkLeadRow(draft, fail);
  } else if (options.object === 'product') {
    checkProductRow(draft, fail);
  } else if (options.object === 'deal') {
    checkDealRow(draft, fail);
  } else if (draft.fields.name === undefined) {
    fail('name', 'required_name', 'a company name is required');
  }
  return draft;
}
