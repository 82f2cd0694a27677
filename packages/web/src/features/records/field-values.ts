import type { FieldKind } from '@rapport/shared';
import type { AnyRecord } from './objects';

/**
 * Where a field catalogue key's value lives on a record. Filter keys and record properties mostly match; the
 * exceptions are the contact points (filtered one at a time, `phone`, stored as a list, `phones`) and links.
 */
const PROPERTY_OF_KEY: Record<string, string> = { phone: 'phones', email: 'emails', companyId: 'companies', messenger: 'messengers' };

/** The raw value of a catalogue field on a record (custom fields from `custom`). */
export function rawValue(record: AnyRecord, key: string): unknown {
  if (key.startsWith('custom.')) return record.custom[key.slice('custom.'.length)];
  const property = PROPERTY_OF_KEY[key] ?? key;
  return (record as unknown as Record<string, unknown>)[property];
}

/** Timeline changes name database columns (`legal_name`, `owner_id`); the catalogue names fields (`legalName`, `ownerId`). */
export function fieldKeyOfColumn(column: string): string {
  if (column === 'full_name') return 'name';
  if (column === 'phones') return 'phone';
  if (column === 'emails') return 'email';
  if (column === 'messengers') return 'messenger';
  return column.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** Values of a kind that are shown as a list of items (chips) rather than one text. */
export function isListKind(kind: FieldKind): boolean {
  return kind === 'multiselect';
}

/** True when a value counts as "not filled" in cards, merge and forms. */
export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/** Compares two field values for the merge dialog: lists as sets of their JSON, everything else by JSON. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isEmptyValue(a) && isEmptyValue(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    const left = new Set(a.map((item) => JSON.stringify(item)));
    const right = new Set(b.map((item) => JSON.stringify(item)));
    return left.size === right.size && [...left].every((item) => right.has(item));
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A link for a URL value: http(s) as typed, a bare domain as https; any other scheme (javascript:, data:) is no link. */
export function safeHref(value: string): string | null {
  const text = value.trim();
  if (/^https?:\/\//i.test(text)) return text;
  if (/^[\w.-]+\.[a-z]{2,}(?:[/:?#]\S*)?$/i.test(text)) return `https://${text}`;
  return null;
}
