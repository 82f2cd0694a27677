import { PassThrough, Readable } from 'node:stream';
import { csvLine, type ClientObject, type CsvValue, type ObjectField } from '@rapport/shared';
import ExcelJS from 'exceljs';

/** One exported value: text, a number, a yes/no, or empty. */
export type Cell = CsvValue;

/** Names that turn stored ids into what a person reads. */
export interface CellNames {
  teams: Map<string, string>;
  users: Map<string, string>;
}

type Dto = Record<string, unknown>;

/** A list's fields whose record property has another name (contact points are filtered one at a time, stored as lists). */
const PROPERTY_OF_KEY: Record<string, string> = { phone: 'phones', email: 'emails', messenger: 'messengers', companyId: 'companies', contactId: 'contacts' };

/** Whether a role's field rules hide a column: by its key, by the property it reads, or (custom fields) all custom values. */
export function isHiddenColumn(rules: Record<string, string> | undefined, key: string): boolean {
  if (!rules) return false;
  if (rules[key] === 'hidden' || rules[PROPERTY_OF_KEY[key] ?? key] === 'hidden') return true;
  return key.startsWith('custom.') && rules.custom === 'hidden';
}

const join = <T>(value: unknown, read: (item: T) => unknown, separator = '; '): string | null => {
  if (!Array.isArray(value) || value.length === 0) return null;
  return (value as T[]).map((item) => String(read(item) ?? '')).join(separator);
};

function scalar(kind: ObjectField['kind'], value: unknown): Cell {
  if (value === null || value === undefined || value === '') return null;
  switch (kind) {
    case 'number':
    case 'money': {
      const n = Number(value);
      return Number.isFinite(n) ? n : String(value);
    }
    case 'boolean':
      return value === true || value === 'true';
    case 'date':
      return String(value).slice(0, 10);
    default:
      if (Array.isArray(value)) return value.length === 0 ? null : value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))).join(', ');
      return typeof value === 'object' ? JSON.stringify(value) : String(value as string | number | boolean);
  }
}

function customCell(field: ObjectField, value: unknown, names: CellNames): Cell {
  const label = (option: unknown) => field.options.find((candidate) => candidate.value === option)?.label ?? String(option);
  if (value === null || value === undefined) return null;
  switch (field.kind) {
    case 'select':
      return label(value);
    case 'multiselect':
      return join(value, label, ', ');
    case 'user':
      return names.users.get(String(value)) ?? String(value);
    default:
      return scalar(field.kind, value);
  }
}

/**
 * A column's value on a record as a person reads it: people, teams, companies and stages by name, phones and e-mails as
 * text (several joined by "; "), tags by ", ", numbers and money as numbers, dates as YYYY-MM-DD and times as ISO 8601
 * UTC, select options as their label (custom) or stored value (system fields). `field` null is the record's id.
 */
export function cellOf(object: ClientObject, dto: Dto, field: ObjectField | null, names: CellNames): Cell {
  if (field === null) return String(dto.id);
  const key = field.key;
  if (key.startsWith('custom.')) return customCell(field, (dto.custom as Dto | undefined)?.[key.slice('custom.'.length)], names);
  switch (key) {
    case 'phone':
      return join<{ number: string }>(dto.phones, (phone) => phone.number);
    case 'email':
      return join<{ email: string }>(dto.emails, (email) => email.email);
    case 'tags':
      return join<string>(dto.tags, (tag) => tag, ', ');
    case 'teamId':
      return typeof dto.teamId === 'string' ? (names.teams.get(dto.teamId) ?? dto.teamId) : null;
    case 'contactId':
      return join<{ contactName: string }>(dto.contacts, (link) => link.contactName);
    case 'companyId':
      if (object === 'contact') return join<{ companyName: string }>(dto.companies, (link) => link.companyName);
      break;
  }
  // A reference shows its name where the record carries one (ownerId → ownerName, stageId → stageName, ...).
  const nameKey = key.endsWith('Id') ? `${key.slice(0, -2)}Name` : null;
  if (nameKey && nameKey in dto) return scalar('text', dto[nameKey]);
  return scalar(field.kind, dto[key]);
}

/** UTF-8 with a byte-order mark, so spreadsheets open Cyrillic right; lines end in CRLF (RFC 4180). */
export function csvStream(headers: string[], pages: AsyncIterable<Cell[][]>, delimiter: string): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    yield Buffer.from(`\uFEFF${csvLine(headers, delimiter)}`, 'utf8');
    for await (const rows of pages) yield Buffer.from(rows.map((row) => csvLine(row, delimiter)).join(''), 'utf8');
  }
  return Readable.from(chunks(), { objectMode: false });
}

/**
 * An XLSX workbook written row by row with exceljs' streaming writer: each row is committed (and leaves memory) as it
 * is added, and a page waits while the response is slower than the database. Text is always written as text, never
 * as a formula. Inline strings (no shared-string table) keep memory flat on a million rows.
 */
export function xlsxStream(sheetName: string, headers: string[], pages: AsyncIterable<Cell[][]>): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  const drained = () =>
    new Promise<void>((resolve) => {
      out.once('drain', resolve);
      out.once('close', resolve);
    });
  void (async () => {
    sheet.addRow(headers).commit();
    for await (const rows of pages) {
      if (out.destroyed) return;
      for (const row of rows) sheet.addRow(row).commit();
      if (out.writableNeedDrain) await drained();
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
