import { describe, expect, it } from 'vitest';
import { parseFilter, type FilterField } from './filter.js';

const fields: Record<string, FilterField> = {
  email: { type: 'text' },
  createdAt: { type: 'date' },
  status: { type: 'enum', values: ['active', 'blocked'] },
};

describe('parseFilter', () => {
  it('accepts nested groups of valid conditions', () => {
    const raw = JSON.stringify({ and: [{ field: 'email', op: 'contains', value: 'ivan' }, { or: [{ field: 'status', op: 'eq', value: 'active' }, { field: 'createdAt', op: 'empty' }] }] });
    const result = parseFilter(raw, fields);
    expect(result.ok).toBe(true);
  });

  it('names the path of every bad part', () => {
    const raw = JSON.stringify({ and: [{ field: 'nope', op: 'eq', value: 1 }, { field: 'status', op: 'eq', value: 'gone' }, { field: 'email', op: 'gt', value: 'a' }] });
    const result = parseFilter(raw, fields);
    expect(result).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({ path: '/query/filter/and/0/field' }),
        expect.objectContaining({ path: '/query/filter/and/1/value' }),
        expect.objectContaining({ path: '/query/filter/and/2/op' }),
      ],
    });
  });

  it('rejects malformed JSON and between without two values', () => {
    expect(parseFilter('{', fields).ok).toBe(false);
    const between = parseFilter(JSON.stringify({ field: 'createdAt', op: 'between', value: ['2026-01-01'] }), fields);
    expect(between).toEqual({ ok: false, errors: [expect.objectContaining({ path: '/query/filter/value' })] });
  });

  it('treats an absent filter as no filter', () => {
    expect(parseFilter(undefined, fields)).toEqual({ ok: true, filter: undefined });
  });
});
