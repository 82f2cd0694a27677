import { describe, expect, it } from 'vitest';
import { changedFields, oldAndNew } from './field-changes.js';

describe('changed fields of a record', () => {
  it('names columns in camelCase and each changed custom field on its own', () => {
    const fields = changedFields({ expected_close_date: { from: null, to: '2031-01-01' }, custom: { from: { size: 'S', tier: 1 }, to: { size: 'L', tier: 1 } } });
    expect([...fields.keys()]).toEqual(['expectedCloseDate', 'custom.size']);
    expect(fields.get('custom.size')).toEqual({ from: 'S', to: 'L' });
  });

  it('reads a numeric column’s old text as a number when the new value is one', () => {
    expect(oldAndNew({ from: '100.00', to: '250.00' }, 250)).toEqual({ oldValue: 100, newValue: 250 });
    expect(oldAndNew({ from: 'a', to: 'b' }, undefined)).toEqual({ oldValue: 'a', newValue: 'b' });
  });
});
