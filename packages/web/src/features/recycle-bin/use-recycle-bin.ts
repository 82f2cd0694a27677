import type { ClientObject, DeletedRecord } from '@rapport/shared';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/api-client';

export function useRecycleBin(object: ClientObject) {
  return useInfiniteQuery({
    queryKey: ['recycle-bin', object],
    queryFn: ({ pageParam }) => api<{ items: DeletedRecord[]; nextCursor: string | null }>('GET', '/recycle-bin', { query: { object, limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
