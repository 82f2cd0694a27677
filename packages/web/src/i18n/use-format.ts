import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { intlLocale } from './i18n';

export interface Formatters {
  dateTime(iso: string | null | undefined): string;
  date(iso: string | null | undefined): string;
  number(value: number): string;
}

/** Locale-aware formatting that follows the UI language. */
export function useFormat(): Formatters {
  const { i18n, t } = useTranslation();
  const locale = intlLocale(i18n.language);
  return useMemo(() => {
    const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    const numberFormat = new Intl.NumberFormat(locale);
    const safe = (iso: string | null | undefined, format: Intl.DateTimeFormat) => {
      if (!iso) return t('common.never');
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : format.format(date);
    };
    return {
      dateTime: (iso) => safe(iso, dateTimeFormat),
      date: (iso) => safe(iso, dateFormat),
      number: (value) => numberFormat.format(value),
    };
  }, [locale, t]);
}
