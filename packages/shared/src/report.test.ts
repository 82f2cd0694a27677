import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.js';
import { addMoney, presetPeriod, ratio } from './report.js';

describe('report helpers', () => {
  it('turns presets into whole days around today', () => {
    expect(presetPeriod('this-month', '2026-02-14')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(presetPeriod('last-month', '2026-01-10')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetPeriod('this-quarter', '2026-08-31')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(presetPeriod('this-quarter', '2024-03-01')).toEqual({ from: '2024-01-01', to: '2024-03-31' });
    expect(presetPeriod('this-year', '2026-11-29')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });

  it('divides only by something', () => {
    expect(ratio(3, 5)).toBe(0.6);
    expect(ratio(0, 0)).toBeNull();
  });

  it('adds money per currency, exactly, never across currencies', () => {
    let sums = addMoney([], 'USD', '0.10');
    sums = addMoney(sums, 'EUR', '5.00');
    sums = addMoney(sums, 'USD', '0.20');
    sums = addMoney(sums, 'USD', '99999999999999.99');
    expect(sums).toEqual([
      { currency: 'EUR', amount: '5.00' },
      { currency: 'USD', amount: '100000000000000.29' },
    ]);
    expect(addMoney([{ currency: 'RUB', amount: '0.01' }], 'RUB', '0.02')).toEqual([{ currency: 'RUB', amount: '0.03' }]);
  });

  it('writes CSV with a byte-order mark, quoting and no formulas', () => {
    expect(toCsv(['Имя', 'Сумма'], [['Иванов, Пётр', 12.5], ['say "hi"', null], ['=1+1', 3]])).toBe('\uFEFFИмя,Сумма\r\n"Иванов, Пётр",12.5\r\n"say ""hi""",\r\n\'=1+1,3\r\n');
  });
});
