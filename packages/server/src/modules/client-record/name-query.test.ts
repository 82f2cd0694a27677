import { describe, expect, it } from 'vitest';
import { nameTsQuery, nameWords } from './client-record.service.js';

describe('name search query', () => {
  it('splits a typed name into distinct lower-case words of letters and digits', () => {
    expect(nameWords('  Иванову, Ivan-IVAN  o\'Neil 2 ')).toEqual(['иванову', 'ivan', 'neil']);
    expect(nameWords('Li Bo')).toEqual(['li', 'bo']);
    expect(nameWords('—')).toEqual([]);
  });

  it('requires every word, as itself or a similar word, and only the last one as a prefix', () => {
    expect(nameTsQuery(new Map([['ivnaov', ['ivanov', 'ivanova']], ['pet', ['pet', 'petr']]]))).toBe("('ivnaov' | 'ivanov' | 'ivanova') & ('pet':* | 'petr')");
    expect(nameTsQuery(new Map())).toBeNull();
  });
});
