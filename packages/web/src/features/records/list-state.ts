import type { ObjectField, SavedView } from '@rapport/shared';

/**
 * What a list shows, kept in the address (`?view=…&q=…&sort=…&filter=…&cols=…`), so going back from a card, reloading
 * or sending the link keeps the same list.
 */
export interface ListState {
  viewId: string | null;
  q: string;
  /** The filter grammar's JSON, or null for none. */
  filter: string | null;
  /** `field` or `-field`; null for the server's default (last changed first). */
  sort: string | null;
  /** Column keys; null for the default set. */
  columns: string[] | null;
}

export const EMPTY_LIST_STATE: ListState = { viewId: null, q: '', filter: null, sort: null, columns: null };

export function readListState(params: URLSearchParams): ListState {
  const cols = params.get('cols');
  return {
    viewId: params.get('view') || null,
    q: params.get('q') ?? '',
    filter: params.get('filter') || null,
    sort: params.get('sort') || null,
    columns: cols ? cols.split(',').filter(Boolean) : null,
  };
}

export function writeListState(state: ListState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.viewId) params.set('view', state.viewId);
  if (state.q) params.set('q', state.q);
  if (state.filter) params.set('filter', state.filter);
  if (state.sort) params.set('sort', state.sort);
  if (state.columns) params.set('cols', state.columns.join(','));
  return params;
}

/** The state a saved view opens with. */
export function stateOfView(view: SavedView): ListState {
  return { viewId: view.id, q: '', filter: view.filter, sort: view.sort, columns: view.columns.length > 0 ? view.columns : null };
}

/** True when the list no longer shows what its view stores (so "save changes" makes sense). */
export function differsFromView(state: ListState, view: SavedView | undefined, defaultColumns: string[]): boolean {
  if (!view) return false;
  const viewColumns = view.columns.length > 0 ? view.columns : defaultColumns;
  const columns = state.columns ?? defaultColumns;
  return (state.filter ?? null) !== (view.filter ?? null) || (state.sort ?? null) !== (view.sort ?? null) || columns.join(',') !== viewColumns.join(',');
}

export function parseSort(sort: string | null): { key: string; desc: boolean } | null {
  if (!sort) return null;
  return sort.startsWith('-') ? { key: sort.slice(1), desc: true } : { key: sort, desc: false };
}

/** Clicking a header: a new column sorts ascending (dates newest first), the same column flips. */
export function nextSort(current: string | null, field: Pick<ObjectField, 'key' | 'kind'>): string {
  const parsed = parseSort(current);
  if (parsed?.key === field.key) return parsed.desc ? field.key : `-${field.key}`;
  return field.kind === 'date' || field.kind === 'datetime' ? `-${field.key}` : field.key;
}

/** Fields a record in a list can show as a column: a contact's company's industry lives on the company (the companies column shows them). */
export function columnFields(fields: ObjectField[]): ObjectField[] {
  return fields.filter((field) => !field.key.startsWith('company.'));
}

/** The columns a list starts with: the object's defaults that exist, then the custom fields marked "show in list". */
export function defaultColumnKeys(fields: ObjectField[], defaults: string[], customInList: string[]): string[] {
  const known = new Set(fields.map((field) => field.key));
  const result = defaults.filter((key) => known.has(key));
  for (const key of customInList) if (known.has(key) && !result.includes(key)) result.push(key);
  if (result.length === 0) return fields.slice(0, 5).map((field) => field.key);
  if (!result.includes('name') && known.has('name')) result.unshift('name');
  return result;
}

/** Ids in chunks the bulk endpoint accepts (at most 200 per request). */
export function chunk<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}
