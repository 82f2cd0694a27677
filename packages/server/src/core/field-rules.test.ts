import { describe, expect, it } from 'vitest';
import type { Actor } from './context.js';
import { assertWritable, hideFields } from './field-rules.js';

const actor: Actor = {
  workspaceId: 'w',
  userId: 'u',
  name: 'U',
  roleId: 'r',
  teamId: null,
  teamTreeIds: [],
  permissions: {},
  fieldRules: { user: { email: 'hidden', status: 'readonly' } },
  via: 'session',
  apiKeyId: null,
};

describe('field rules', () => {
  it('removes hidden fields and keeps read-only ones visible', () => {
    expect(hideFields(actor, 'user', { name: 'A', email: 'a@x', status: 'active' })).toEqual({ name: 'A', status: 'active' });
    expect(hideFields(actor, 'team', { name: 'T' })).toEqual({ name: 'T' });
  });

  it('refuses a change to a read-only or hidden field, naming each', () => {
    expect(() => assertWritable(actor, 'user', { name: 'B', status: 'disabled', email: 'b@x' })).toThrow(
      expect.objectContaining({ code: 'forbidden', errors: [{ path: '/body/status', message: 'read-only for your role' }, { path: '/body/email', message: 'read-only for your role' }] }),
    );
    expect(() => assertWritable(actor, 'user', { name: 'B' })).not.toThrow();
  });
});
