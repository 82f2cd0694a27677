import type { SearchResult } from '@rapport/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/api-client';

/** Global search over companies, contacts and leads: names (word forms, typos), phones in any format, e-mails, tax numbers. */
export function useGlobalSearch(q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: ['search', term],
    queryFn: ({ signal }) => api<SearchResult>('GET', '/search', { query: { q: term, limit: 6 }, signal }),
    enabled: term.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}
