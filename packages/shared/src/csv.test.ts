import { describe, expect, it } from 'vitest';
import { csvLine } from './csv.js';

describe('csvLine', () => {
  it('escapes formula-like text (=, +, -, @, tab, CR) but not numbers, and quotes either separator', () => {
    expect(csvLine(['=SUM(A1)', '+7 916', '-x', '@cmd', '\tA', '\r=1', -5, true, null], ';')).toBe("'=SUM(A1);'+7 916;'-x;'@cmd;'\tA;\"'\r=1\";-5;true;\r\n");
    expect(csvLine(['a;b', 'c,d', 'plain'])).toBe('"a;b","c,d",plain\r\n');
  });
});
