import { describe, expect, it } from 'vitest';
import { fullMatrix, intersectMatrices, scopeOf, widerScope } from './permissions.js';

describe('permission matrix', () => {
  it('treats an object or action the role does not mention as none', () => {
    expect(scopeOf({ company: { read: 'team' } }, 'company', 'update')).toBe('none');
    expect(scopeOf({}, 'deal', 'read')).toBe('none');
    expect(scopeOf({ company: { read: 'team' } }, 'company', 'read')).toBe('team');
  });

  it('orders scopes from none to all', () => {
    expect(widerScope('own', 'team_sub')).toBe('team_sub');
    expect(widerScope('all', 'none')).toBe('all');
  });

  it('grants every action on every object in a full matrix', () => {
    expect(scopeOf(fullMatrix('all'), 'audit', 'export')).toBe('all');
  });
});

describe('intersectMatrices', () => {
  it('keeps the narrower scope of each cell', () => {
    const role = { company: { read: 'all' as const, update: 'own' as const } };
    const key = { company: { read: 'team' as const, update: 'all' as const, delete: 'all' as const } };
    const both = intersectMatrices(role, key);
    expect(scopeOf(both, 'company', 'read')).toBe('team');
    expect(scopeOf(both, 'company', 'update')).toBe('own');
    expect(scopeOf(both, 'company', 'delete')).toBe('none');
  });
});
