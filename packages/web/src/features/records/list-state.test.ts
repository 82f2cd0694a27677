import type { Company, FieldKind, ObjectField, SavedView } from '@rapport/shared';
import { describe, expect, it } from 'vitest';
import { fieldKeyOfColumn, rawValue, safeHref, sameValue } from './field-values';
import { chunk, columnFields, defaultColumnKeys, differsFromView, nextSort, parseSort, readListState, stateOfView, writeListState } from './list-state';

const field = (key: string, kind: FieldKind = 'text', custom = false): ObjectField => ({ key, labelKey: null, label: null, kind, options: [], filterOps: [], sortable: false, custom, bulkEditable: false, target: null });

const view: SavedView = {
  id: '0190a000-0000-7000-8000-000000000001',
  object: 'contact',
  name: 'Gold',
  ownerId: '0190a000-0000-7000-8000-000000000002',
  ownerName: 'Ada',
  visibility: 'team',
  teamId: null,
  filter: '{"field":"custom.loyalty","op":"eq","value":"gold"}',
  sort: 'name',
  columns: ['name', 'custom.loyalty'],
  createdAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};

describe('list state in the address', () => {
  it('round-trips through search params', () => {
    const state = { viewId: 'v1', q: 'acme', filter: '{"field":"name","op":"empty"}', sort: '-updatedAt', columns: ['name', 'phone'] };
    expect(readListState(writeListState(state))).toEqual(state);
    expect(writeListState({ viewId: null, q: '', filter: null, sort: null, columns: null }).toString()).toBe('');
    expect(readListState(new URLSearchParams(''))).toEqual({ viewId: null, q: '', filter: null, sort: null, columns: null });
  });

  it('opens a view with its filter, sort and columns, and notices changes', () => {
    const state = stateOfView(view);
    expect(state).toEqual({ viewId: view.id, q: '', filter: view.filter, sort: 'name', columns: ['name', 'custom.loyalty'] });
    expect(differsFromView(state, view, ['name'])).toBe(false);
    expect(differsFromView({ ...state, q: 'typed' }, view, ['name'])).toBe(false);
    expect(differsFromView({ ...state, sort: '-name' }, view, ['name'])).toBe(true);
    expect(differsFromView({ ...state, columns: ['name'] }, view, ['name'])).toBe(true);
    expect(differsFromView({ ...state, filter: null }, view, ['name'])).toBe(true);
    expect(differsFromView(stateOfView({ ...view, columns: [] }), { ...view, columns: [] }, ['name'])).toBe(false);
    expect(differsFromView(state, undefined, ['name'])).toBe(false);
  });

  it('sorts a new column ascending, dates newest first, and flips the same column', () => {
    expect(nextSort(null, field('name'))).toBe('name');
    expect(nextSort('name', field('name'))).toBe('-name');
    expect(nextSort('-name', field('name'))).toBe('name');
    expect(nextSort('name', field('createdAt', 'datetime'))).toBe('-createdAt');
    expect(parseSort('-createdAt')).toEqual({ key: 'createdAt', desc: true });
    expect(parseSort(null)).toBeNull();
  });

  it('starts with the default columns that exist plus custom fields shown in lists', () => {
    const fields = [field('name'), field('kind', 'select'), field('phone', 'phone'), field('custom.loyalty', 'select', true), field('company.industry')];
    expect(defaultColumnKeys(fields, ['name', 'kind', 'industry', 'phone'], ['custom.loyalty'])).toEqual(['name', 'kind', 'phone', 'custom.loyalty']);
    expect(defaultColumnKeys(fields, ['kind'], [])).toEqual(['name', 'kind']);
    expect(columnFields(fields).map((f) => f.key)).toEqual(['name', 'kind', 'phone', 'custom.loyalty']);
  });

  it('cuts ids into chunks the bulk endpoint accepts', () => {
    const ids = Array.from({ length: 450 }, (_, i) => String(i));
    expect(chunk(ids, 200).map((part) => part.length)).toEqual([200, 200, 50]);
    expect(chunk([], 200)).toEqual([]);
  });
});

describe('field values', () => {
  const company = {
    id: 'c1',
    name: 'Acme',
    phones: [{ type: 'work', number: '+1 212 555 0100', e164: '+12125550100' }],
    emails: [],
    custom: { loyalty: 'gold' },
    ownerName: 'Ada',
  } as unknown as Company;

  it('reads catalogue keys from records', () => {
    expect(rawValue(company, 'name')).toBe('Acme');
    expect(rawValue(company, 'phone')).toEqual(company.phones);
    expect(rawValue(company, 'email')).toEqual([]);
    expect(rawValue(company, 'custom.loyalty')).toBe('gold');
    expect(rawValue(company, 'custom.missing')).toBeUndefined();
  });

  it('maps audited columns to field keys', () => {
    expect(fieldKeyOfColumn('legal_name')).toBe('legalName');
    expect(fieldKeyOfColumn('owner_id')).toBe('ownerId');
    expect(fieldKeyOfColumn('full_name')).toBe('name');
    expect(fieldKeyOfColumn('phones')).toBe('phone');
    expect(fieldKeyOfColumn('name')).toBe('name');
  });

  it('compares values for merging: empties alike, lists as sets', () => {
    expect(sameValue(null, '')).toBe(true);
    expect(sameValue(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameValue(['a'], ['a', 'b'])).toBe(false);
    expect(sameValue('x', 'y')).toBe(false);
    expect(sameValue(1, 1)).toBe(true);
  });

  it('links only web addresses', () => {
    expect(safeHref('https://globex.example/about')).toBe('https://globex.example/about');
    expect(safeHref('globex.example')).toBe('https://globex.example');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,hi')).toBeNull();
  });
});
