import type { FieldKind, ObjectField } from '@rapport/shared';
import { describe, expect, it } from 'vitest';
import { coerceValue, defaultOp, jsonToRows, newRow, rowsToFilter, rowsToJson, shapeOf, withOp, type FilterRow } from './filter-state';

const TEXT_OPS = ['eq', 'neq', 'contains', 'in', 'empty', 'not_empty'];
const NUMBER_OPS = ['eq', 'neq', 'in', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'not_empty'];
const ENUM_OPS = ['eq', 'neq', 'in', 'empty', 'not_empty'];

function field(key: string, kind: FieldKind, filterOps: string[]): ObjectField {
  return { key, labelKey: null, label: key, kind, options: [], filterOps, sortable: false, custom: false, bulkEditable: false, target: null };
}

const FIELDS = [
  field('name', 'text', TEXT_OPS),
  field('custom.score', 'number', NUMBER_OPS),
  field('custom.loyalty', 'select', ENUM_OPS),
  field('emailOptIn', 'boolean', ['eq', 'neq', 'empty', 'not_empty']),
  field('createdAt', 'datetime', ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'not_empty']),
  field('custom.notes', 'text', []),
];

const row = (partial: Omit<FilterRow, 'id'>): FilterRow => ({ id: 1, ...partial });

describe('filter builder state', () => {
  it('makes no filter from no rows or incomplete rows', () => {
    expect(rowsToFilter([], FIELDS)).toBeUndefined();
    expect(rowsToFilter([row({ field: '', op: '', value: '' })], FIELDS)).toBeUndefined();
    expect(rowsToFilter([row({ field: 'name', op: 'contains', value: '  ' })], FIELDS)).toBeUndefined();
    expect(rowsToFilter([row({ field: 'custom.score', op: 'between', value: ['1', ''] })], FIELDS)).toBeUndefined();
    expect(rowsToFilter([row({ field: 'custom.loyalty', op: 'in', value: [] })], FIELDS)).toBeUndefined();
  });

  it('makes one condition from one row, typed by the field kind', () => {
    expect(rowsToFilter([row({ field: 'name', op: 'contains', value: ' Acme ' })], FIELDS)).toEqual({ field: 'name', op: 'contains', value: 'Acme' });
    expect(rowsToFilter([row({ field: 'custom.score', op: 'gte', value: '1 000,5' })], FIELDS)).toEqual({ field: 'custom.score', op: 'gte', value: 1000.5 });
    expect(rowsToFilter([row({ field: 'emailOptIn', op: 'eq', value: 'false' })], FIELDS)).toEqual({ field: 'emailOptIn', op: 'eq', value: false });
  });

  it('joins several rows with AND and skips the incomplete ones', () => {
    const json = rowsToJson(
      [
        row({ field: 'custom.loyalty', op: 'in', value: ['gold', 'silver'] }),
        row({ field: 'custom.score', op: 'between', value: ['1', '5'] }),
        row({ field: 'name', op: 'not_empty', value: '' }),
        row({ field: 'name', op: 'eq', value: '' }),
      ],
      FIELDS,
    );
    expect(JSON.parse(json!)).toEqual({
      and: [
        { field: 'custom.loyalty', op: 'in', value: ['gold', 'silver'] },
        { field: 'custom.score', op: 'between', value: [1, 5] },
        { field: 'name', op: 'not_empty' },
      ],
    });
  });

  it('ignores fields that are unknown or not filterable, and operators a field does not offer', () => {
    expect(rowsToFilter([row({ field: 'custom.gone', op: 'eq', value: 'x' })], FIELDS)).toBeUndefined();
    expect(rowsToFilter([row({ field: 'custom.notes', op: 'contains', value: 'x' })], FIELDS)).toBeUndefined();
    expect(rowsToFilter([row({ field: 'custom.loyalty', op: 'contains', value: 'x' })], FIELDS)).toBeUndefined();
  });

  it('drops a number that does not parse', () => {
    expect(coerceValue('number', 'abc')).toBeUndefined();
    expect(coerceValue('money', '12.50')).toBe(12.5);
    expect(coerceValue('date', 'not a date')).toBeUndefined();
    expect(coerceValue('date', '2026-03-01')).toBe('2026-03-01');
    expect(coerceValue('boolean', 'maybe')).toBeUndefined();
  });

  it('starts text fields with "contains" and others with "is"', () => {
    expect(defaultOp(FIELDS[0]!)).toBe('contains');
    expect(defaultOp(FIELDS[2]!)).toBe('eq');
    expect(newRow(FIELDS[1]!)).toMatchObject({ field: 'custom.score', op: 'eq', value: '' });
  });

  it('keeps the typed value when the operator changes shape', () => {
    const start = row({ field: 'custom.score', op: 'eq', value: '3' });
    expect(withOp(start, 'gt').value).toBe('3');
    expect(withOp(start, 'in').value).toEqual(['3']);
    expect(withOp(start, 'between').value).toEqual(['3', '']);
    expect(withOp(row({ field: 'custom.score', op: 'in', value: ['4', '5'] }), 'lt').value).toBe('4');
    expect(withOp(start, 'empty').value).toBe('');
    expect(shapeOf('not_empty')).toBe('none');
  });

  it('reads a flat filter back into rows and refuses nested ones', () => {
    const json = JSON.stringify({ and: [{ field: 'custom.loyalty', op: 'eq', value: 'gold' }, { field: 'custom.score', op: 'between', value: [1, 5] }, { field: 'name', op: 'empty' }] });
    const rows = jsonToRows(json)!;
    expect(rows.map(({ field, op, value }) => ({ field, op, value }))).toEqual([
      { field: 'custom.loyalty', op: 'eq', value: 'gold' },
      { field: 'custom.score', op: 'between', value: ['1', '5'] },
      { field: 'name', op: 'empty', value: '' },
    ]);
    expect(JSON.parse(rowsToJson(rows, FIELDS)!)).toEqual(JSON.parse(json));
    expect(jsonToRows(JSON.stringify({ field: 'emailOptIn', op: 'eq', value: true }))!.map((r) => r.value)).toEqual(['true']);
    expect(jsonToRows(null)).toEqual([]);
    expect(jsonToRows('{not json')).toBeNull();
    expect(jsonToRows(JSON.stringify({ or: [{ field: 'name', op: 'empty' }] }))).toBeNull();
    expect(jsonToRows(JSON.stringify({ and: [{ or: [{ field: 'name', op: 'empty' }] }] }))).toBeNull();
    expect(jsonToRows(JSON.stringify({ field: 'name', op: 'like', value: 'x' }))).toBeNull();
  });
});
