import type { MoneySum } from '@rapport/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { intlLocale } from '../../i18n/i18n';
import { formatPrice } from '../products/product-draft';

export type ReportFormat = ReturnType<typeof useReportFormat>;

/** Numbers of the reports in the UI language: money per currency, shares, days and months. */
export function useReportFormat() {
  const { i18n } = useTranslation();
  const locale = intlLocale(i18n.language);
  return useMemo(() => {
    const number = new Intl.NumberFormat(locale);
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    const days = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    const month = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
    return {
      number: (value: number) => number.format(value),
      percent: (value: number | null) => (value === null ? '—' : percent.format(value)),
      days: (value: number | null) => (value === null ? '—' : days.format(value)),
      money: (amount: string, currency: string) => formatPrice(amount, currency, locale),
      moneyList: (sums: MoneySum[]) => (sums.length === 0 ? '—' : sums.map((sum) => formatPrice(sum.amount, sum.currency, locale)).join(', ')),
      /** "2026-12" as "December 2026". */
      month: (value: string) => month.format(new Date(`${value}-01T00:00:00Z`)),
    };
  }, [locale]);
}
