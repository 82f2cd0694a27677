import type { ClientObject, DeletedRecord, DeletedTask, PageOf } from '@rapport/shared';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/api-client';
import { RECYCLE_BIN_KEY } from '../tasks/use-tasks';

/** What the recycle bin holds: the client base's records, and tasks. */
export type BinKind = ClientObject | 'task';
export type BinItem = DeletedRecord | DeletedTask;

export function useRecycleBin(kind: BinKind) {
  return useInfiniteQuery({
    queryKey: [RECYCLE_BIN_KEY, kind],
    queryFn: ({ pageParam }): Promise<PageOf<BinItem>> => {
      const page = { limit: 50, cursor: pageParam };
      return kind === 'task' ? api<PageOf<DeletedTask>>('GET', '/tasks/deleted', { query: page }) : api<PageOf<DeletedRecord>>('GET', '/recycle-bin', { query: { object: kind, ...page } });
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
