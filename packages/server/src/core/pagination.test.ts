import { describe, expect, it } from 'vitest';
import { AppError } from './app-error.js';
import { decodeCursor, encodeCursor, toPage } from './pagination.js';

describe('keyset cursors', () => {
  it('round-trips the sort key of the last row', () => {
    const cursor = encodeCursor(['Ivanov', '01a2-id']);
    expect(decodeCursor(cursor, 2)).toEqual(['Ivanov', '01a2-id']);
  });

  it('rejects cursors it did not issue, naming the query parameter', () => {
    for (const bad of ['not-base64-json', encodeCursor(['only-one']), Buffer.from('{"a":1}').toString('base64url')]) {
      const error = (() => {
        try {
          decodeCursor(bad, 2);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('bad_cursor');
      expect((error as AppError).errors).toEqual([{ path: '/query/cursor', message: 'invalid cursor' }]);
    }
  });

  it('offers a next page only when an extra row came back', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const full = toPage(rows, 2, (row) => [row.id]);
    expect(full.items).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(decodeCursor(full.nextCursor ?? undefined, 1)).toEqual(['b']);
    expect(toPage(rows.slice(0, 2), 2, (row) => [row.id]).nextCursor).toBeNull();
  });
});
