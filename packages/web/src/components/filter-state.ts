import type { FieldKind, Filter, FilterCondition, FilterOp, FilterValue, ObjectField } from '@rapport/shared';
import { FILTER_OPS } from '@rapport/shared';

/**
 * The filter builder's state: a flat list of conditions joined by AND. Values are kept as the inputs hold them
 * (strings) and typed by the field's kind only when the filter JSON is built.
 */
export interface FilterRow {
  id: number;
  field: string;
  op: FilterOp | '';
  /** One value, a list (`in`) or a range (`between`), as typed. */
  value: string | string[];
}

export type ValueShape = 'none' | 'single' | 'list' | 'range';

export function shapeOf(op: FilterOp | ''): ValueShape {
  if (op === '' || op === 'empty' || op === 'not_empty') return 'none';
  if (op === 'in') return 'list';
  if (op === 'between') return 'range';
  return 'single';
}

let nextId = 1;

export function newRow(field?: ObjectField): FilterRow {
  const op = field ? defaultOp(field) : '';
  return { id: nextId++, field: field?.key ?? '', op, value: emptyValue(op) };
}

export function emptyValue(op: FilterOp | ''): string | string[] {
  const shape = shapeOf(op);
  if (shape === 'list') return [];
  if (shape === 'range') return ['', ''];
  return '';
}

const TEXT_KINDS: readonly FieldKind[] = ['text', 'phone', 'email', 'url'];

/** The operator a new condition starts with: "contains" for text, "is" for everything else. */
export function defaultOp(field: ObjectField): FilterOp {
  const ops = field.filterOps as FilterOp[];
  const preferred: FilterOp = TEXT_KINDS.includes(field.kind) ? 'contains' : 'eq';
  return ops.includes(preferred) ? preferred : (ops[0] ?? 'eq');
}

/** Changing the operator keeps what was typed when the new one takes the same shape of value. */
export function withOp(row: FilterRow, op: FilterOp): FilterRow {
  if (shapeOf(op) === shapeOf(row.op)) return { ...row, op };
  const first = Array.isArray(row.value) ? (row.value[0] ?? '') : row.value;
  const shape = shapeOf(op);
  const value = shape === 'list' ? (first ? [first] : []) : shape === 'range' ? [first, ''] : shape === 'single' ? first : '';
  return { ...row, op, value };
}

/** A typed filter value from its input text, or undefined while the input does not hold one. */
export function coerceValue(kind: FieldKind, raw: string): FilterValue | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  switch (kind) {
    case 'number':
    case 'money': {
      const number = Number(text.replace(/\s/g, '').replace(',', '.'));
      return Number.isFinite(number) ? number : undefined;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'date':
    case 'datetime':
      return Number.isNaN(Date.parse(text)) ? undefined : text;
    default:
      return text;
  }
}

/** One condition, or null while the row is incomplete (no field, no operator or no value yet). */
export function rowToCondition(row: FilterRow, field: ObjectField | undefined): FilterCondition | null {
  if (!field || row.op === '' || !field.filterOps.includes(row.op)) return null;
  const shape = shapeOf(row.op);
  if (shape === 'none') return { field: field.key, op: row.op };
  if (shape === 'single') {
    const value = coerceValue(field.kind, Array.isArray(row.value) ? (row.value[0] ?? '') : row.value);
    return value === undefined ? null : { field: field.key, op: row.op, value };
  }
  const raw = Array.isArray(row.value) ? row.value : [row.value];
  const values = raw.map((item) => coerceValue(field.kind, item));
  if (shape === 'range') {
    const [from, to] = values;
    return from === undefined || to === undefined ? null : { field: field.key, op: row.op, value: [from, to] };
  }
  const list = values.filter((value): value is FilterValue => value !== undefined);
  return list.length === 0 ? null : { field: field.key, op: row.op, value: list };
}

/** The filter the complete rows make: none, one condition, or an AND of them. */
export function rowsToFilter(rows: FilterRow[], fields: ObjectField[]): Filter | undefined {
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const conditions = rows.map((row) => rowToCondition(row, byKey.get(row.field))).filter((condition): condition is FilterCondition => condition !== null);
  if (conditions.length === 0) return undefined;
  if (conditions.length === 1) return conditions[0];
  return { and: conditions };
}

/** The `filter` query parameter of the rows, or undefined without a complete condition. */
export function rowsToJson(rows: FilterRow[], fields: ObjectField[]): string | undefined {
  const filter = rowsToFilter(rows, fields);
  return filter ? JSON.stringify(filter) : undefined;
}

const OPS = new Set<string>(FILTER_OPS);

function isCondition(node: unknown): node is FilterCondition {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const record = node as Record<string, unknown>;
  return typeof record.field === 'string' && typeof record.op === 'string' && OPS.has(record.op);
}

const asText = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

/**
 * Rows for a stored filter (a saved view's), or null when it is not a flat AND of conditions — such a filter is
 * applied as it is but cannot be edited here.
 */
export function jsonToRows(json: string | null | undefined): FilterRow[] | null {
  if (!json || json.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  const conditions: unknown[] =
    typeof parsed === 'object' && parsed !== null && 'and' in parsed && Array.isArray((parsed as { and: unknown }).and) ? (parsed as { and: unknown[] }).and : [parsed];
  if (!conditions.every(isCondition)) return null;
  return conditions.map((condition) => {
    const shape = shapeOf(condition.op);
    const raw = condition.value;
    const value = shape === 'none' ? '' : shape === 'single' ? asText(Array.isArray(raw) ? raw[0] : raw) : Array.isArray(raw) ? raw.map(asText) : [asText(raw)];
    return { id: nextId++, field: condition.field, op: condition.op, value: shape === 'range' && Array.isArray(value) && value.length < 2 ? [value[0] ?? '', ''] : value };
  });
}
