import type { Birthdays } from '@rapport/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/api-client';

export function useBirthdays(days: number, mine: boolean, enabled: boolean) {
  return useQuery({ queryKey: ['birthdays', days, mine], queryFn: () => api<Birthdays>('GET', '/birthdays', { query: { days, mine } }), enabled });
}
