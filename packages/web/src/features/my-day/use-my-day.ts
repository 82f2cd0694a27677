import type { MyDay, MyDayPeriod } from '@rapport/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/api-client';

export function useMyDay(period: MyDayPeriod) {
  return useQuery({ queryKey: ['my-day', period], queryFn: () => api<MyDay>('GET', '/my-day', { query: { period } }), placeholderData: keepPreviousData, refetchInterval: 5 * 60_000 });
}
