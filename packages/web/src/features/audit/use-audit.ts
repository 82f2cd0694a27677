import type { AuditEntry, PageOf } from '@rapport/shared';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/api-client';

export interface AuditFilters {
  actorId: string;
  objectType: string;
  action: string;
  /** yyyy-mm-dd from a date input, in the user's time zone. */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilters = { actorId: '', objectType: '', action: '', from: '', to: '' };

function dayStart(day: string): string | undefined {
  const date = new Date(`${day}T00:00:00`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function dayEnd(day: string): string | undefined {
  const date = new Date(`${day}T23:59:59.999`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function useAuditPages(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) =>
      api<PageOf<AuditEntry>>('GET', '/audit', {
        query: {
          limit: 50,
          cursor: pageParam,
          actorId: filters.actorId || undefined,
          objectType: filters.objectType || undefined,
          action: filters.action.trim() || undefined,
          from: filters.from ? dayStart(filters.from) : undefined,
          to: filters.to ? dayEnd(filters.to) : undefined,
        },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
