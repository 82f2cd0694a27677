import { describe, expect, it } from 'vitest';
import { accessScope, isInScope } from './access-scope.js';
import type { Actor } from './context.js';

const actor = (scope: 'none' | 'own' | 'team' | 'team_sub' | 'all'): Actor => ({
  workspaceId: 'w',
  userId: 'me',
  name: 'Me',
  roleId: 'r',
  teamId: 'sales',
  teamTreeIds: ['sales', 'moscow'],
  permissions: { company: { read: scope } },
  fieldRules: {},
  via: 'session',
  apiKeyId: null,
});

describe('accessScope', () => {
  it('refuses an action the role does not grant', () => {
    expect(() => accessScope(actor('none'), 'company', 'read')).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => accessScope(actor('all'), 'company', 'delete')).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });

  it('narrows team to the own team and team_sub to the whole subtree', () => {
    expect(accessScope(actor('team'), 'company', 'read')).toEqual({ kind: 'teams', teamIds: ['sales'], userId: 'me' });
    expect(accessScope(actor('team_sub'), 'company', 'read')).toEqual({ kind: 'teams', teamIds: ['sales', 'moscow'], userId: 'me' });
  });

  it('applies the same rule to loaded records as repositories do in SQL', () => {
    const own = accessScope(actor('own'), 'company', 'read');
    expect(isInScope(own, { ownerId: 'me', teamId: null })).toBe(true);
    expect(isInScope(own, { ownerId: 'other', teamId: 'sales' })).toBe(false);
    const sub = accessScope(actor('team_sub'), 'company', 'read');
    expect(isInScope(sub, { ownerId: 'other', teamId: 'moscow' })).toBe(true);
    expect(isInScope(sub, { ownerId: 'other', teamId: 'spb' })).toBe(false);
    expect(isInScope(accessScope(actor('all'), 'company', 'read'), { ownerId: 'x', teamId: null })).toBe(true);
  });
});
