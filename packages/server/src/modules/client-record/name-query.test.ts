import { describe, expect, it } from 'vitest';
import { nameTsQuery, nameWords } from './client-record.service.js';

describe('name search query', () => {
  it('splits a typed name into distinct lower-case words of letters and digits', () => {
    expect(nameWords('  Иванову, Ivan-IVAN  o\'Neil 2 ')).toEqual(['иванову', 'ivan', 'o', 'neil', '2']);
    expect(nameWords('—')).toEqual([]);
  });

  it('requires every word, each as a prefix or one of its similar words', () => {
    expect(nameTsQuery(new Map([['ivnaov', ['ivanov', 'ivanova']], ['pe', []]]))).toBe("('ivnaov':* | 'ivanov' | 'ivanova') & ('pe':*)");
    expect(nameTsQuery(new Map())).toBeNull();
  });
});
