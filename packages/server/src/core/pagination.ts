import { AppError } from './app-error.js';

/** Keyset cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** What one part of a sort key must be; the repository compares it with a typed column. */
export type CursorPart = 'text' | 'uuid' | 'timestamp';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

function partMatches(part: unknown, kind: CursorPart | undefined): boolean {
  if (kind === undefined) return typeof part === 'string' || typeof part === 'number';
  if (typeof part !== 'string') return false;
  return kind === 'text' || (kind === 'uuid' ? UUID_RE.test(part) : TIMESTAMP_RE.test(part) && !Number.isNaN(Date.parse(part)));
}

/**
 * `shape` is the key's length, or the kind of each part: a forged cursor whose parts the database cannot compare
 * (a non-UUID id, an unreadable time) is a bad cursor, not a server error.
 */
export function decodeCursor(cursor: string | undefined, shape: number | readonly CursorPart[]): (string | number)[] | undefined {
  if (cursor === undefined) return undefined;
  const kinds = typeof shape === 'number' ? Array.from<CursorPart | undefined>({ length: shape }) : shape;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === kinds.length && key.every((part, i) => partMatches(part, kinds[i]))) {
      return key as (string | number)[];
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('bad_cursor', { message: 'cursor is not one this API issued', errors: [{ path: '/query/cursor', message: 'invalid cursor' }] });
}

/** Turns `limit + 1` fetched rows into a page; the extra row only says whether another page exists. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
