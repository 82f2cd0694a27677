import type { ClientObject, TimelineEntry, TimelineFilter } from '@rapport/shared';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';

export const TIMELINE_KEY = 'timeline';
export type TimelineKind = 'all' | TimelineFilter;

/** A record's history, newest first: activities (notes, calls, meetings, e-mails, SMS) and changes, all or one kind. */
export function useTimeline(object: ClientObject, id: string, kind: TimelineKind) {
  return useInfiniteQuery({
    queryKey: [TIMELINE_KEY, object, id, kind],
    queryFn: ({ pageParam }) =>
      api<{ items: TimelineEntry[]; nextCursor: string | null }>('GET', `/timeline/${object}/${id}`, { query: { limit: 30, cursor: pageParam, kind: kind === 'all' ? undefined : kind } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function useAddNote(object: ClientObject, id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => api<TimelineEntry>('POST', `/timeline/${object}/${id}/notes`, { body: { body } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [TIMELINE_KEY, object, id] }),
  });
}

export function useDeleteNote(object: ClientObject, id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (noteId: string) => api<void>('DELETE', `/notes/${noteId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [TIMELINE_KEY, object, id] }),
  });
}
