import { describe, expect, it } from 'vitest';
import { diffFields } from './diff.js';

describe('diffFields', () => {
  it('lists only the watched fields that changed, with old and new values', () => {
    const before = { name: 'Sales', parent_id: null as string | null, permissions: { deal: { read: 'own' } }, updated_at: 1 };
    const after = { name: 'Sales', parent_id: 'root', permissions: { deal: { read: 'team' } }, updated_at: 2 };
    expect(diffFields(before, after, ['name', 'parent_id', 'permissions'])).toEqual({
      parent_id: { from: null, to: 'root' },
      permissions: { from: { deal: { read: 'own' } }, to: { deal: { read: 'team' } } },
    });
  });
});
