import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** A stay's length the way people say it: "3 d 4 h", "2 h 15 min", "under a minute" (the two largest units). */
export function useDuration(): (seconds: number) => string {
  const { t } = useTranslation();
  return useCallback(
    (seconds: number) => {
      const minutes = Math.floor(seconds / 60);
      if (minutes < 1) return t('deals.duration.underMinute');
      const parts = [
        { count: Math.floor(minutes / 1440), key: 'deals.duration.days' },
        { count: Math.floor((minutes % 1440) / 60), key: 'deals.duration.hours' },
        { count: minutes % 60, key: 'deals.duration.minutes' },
      ];
      const first = parts.findIndex((part) => part.count > 0);
      return parts
        .slice(first, first + 2)
        .filter((part) => part.count > 0)
        .map((part) => t(part.key, { count: part.count }))
        .join(' ');
    },
    [t],
  );
}
