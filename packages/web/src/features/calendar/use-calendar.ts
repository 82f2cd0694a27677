import type { CalendarFeedCreated, CalendarFeedStatus, CalendarItem, CalendarItemKind, CalendarItems, CalendarLoad } from '@rapport/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';
import { reschedulePatch } from './calendar-events';

export const CALENDAR_KEY = ['calendar'] as const;
const FEED_KEY = [...CALENDAR_KEY, 'feed'] as const;

/** Tasks, calls and meetings of the chosen people in [from, to), as the reader may see them. */
export function useCalendarItems(range: { from: string; to: string } | null, users: string[], kinds: CalendarItemKind[]) {
  return useQuery({
    queryKey: [...CALENDAR_KEY, 'items', range?.from, range?.to, users, kinds],
    queryFn: () => api<CalendarItems>('GET', '/calendar', { query: { from: range!.from, to: range!.to, users: users.length > 0 ? users.join(',') : undefined, types: kinds.join(',') } }),
    enabled: range !== null && kinds.length > 0,
    placeholderData: keepPreviousData,
  });
}

export function useCalendarLoad(from: string, to: string, teamId: string | null) {
  return useQuery({
    queryKey: [...CALENDAR_KEY, 'load', from, to, teamId],
    queryFn: () => api<CalendarLoad>('GET', '/calendar/load', { query: { from, to, teamId } }),
    placeholderData: keepPreviousData,
  });
}

/** Moves an item through its owner's PATCH (tasks or activities) with the version the calendar showed. */
export function useReschedule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ item, start, end, allDay }: { item: CalendarItem; start: Date; end: Date | null; allDay: boolean }) => {
      const { path, body } = reschedulePatch(item, start, end, allDay);
      return api<unknown>('PATCH', path, { body });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: CALENDAR_KEY }),
  });
}

/** A new task or meeting from a slot; the calendar and My day reload. */
export function useCreateFromSlot() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ path, body }: { path: '/tasks' | '/activities'; body: Record<string, unknown> }) => api<{ id: string }>('POST', path, { body }),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: CALENDAR_KEY }), queryClient.invalidateQueries({ queryKey: ['my-day'] })]),
  });
}

export function useFeedStatus() {
  return useQuery({ queryKey: FEED_KEY, queryFn: () => api<CalendarFeedStatus>('GET', '/calendar/feed') });
}

export function useCreateFeed() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: () => api<CalendarFeedCreated>('POST', '/calendar/feed'), onSuccess: () => queryClient.invalidateQueries({ queryKey: FEED_KEY }) });
}

export function useRevokeFeed() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: () => api<void>('DELETE', '/calendar/feed'), onSuccess: () => queryClient.invalidateQueries({ queryKey: FEED_KEY }) });
}
