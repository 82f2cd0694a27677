import { describe, expect, it } from 'vitest';
import { draftOf, typeOf, valueOf } from './variable-draft';

describe('variable drafts', () => {
  it('edits each value with the type it has and gives back the same value', () => {
    for (const value of [42.5, true, false, 'Forty chairs', { tier: 'gold', seats: [1, 2] }, null]) {
      expect(valueOf(draftOf('x', value))).toEqual(value);
    }
    expect(typeOf(null)).toBe('json');
  });

  it('refuses text that is not of the chosen type', () => {
    const draft = draftOf('discount', 5);
    expect(valueOf({ ...draft, text: 'five' })).toBeUndefined();
    expect(valueOf({ ...draft, text: '   ' })).toBeUndefined();
    expect(valueOf({ ...draft, type: 'json', text: '{oops' })).toBeUndefined();
    expect(valueOf({ ...draft, type: 'text', text: '' })).toBe('');
  });
});
