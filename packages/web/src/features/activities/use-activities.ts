import type { Activity, ActivityBody, ActivityUpdateBody } from '@rapport/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';
import { TIMELINE_KEY } from '../timeline/use-timeline';

/** An activity shows on every linked record's timeline: all of them refresh after a change. */
function useRefreshTimelines() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: [TIMELINE_KEY] });
}

export function useLogActivity() {
  const refresh = useRefreshTimelines();
  return useMutation({ mutationFn: (body: ActivityBody) => api<Activity>('POST', '/activities', { body }), onSuccess: refresh });
}

export function useUpdateActivity() {
  const refresh = useRefreshTimelines();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: ActivityUpdateBody }) => api<Activity>('PATCH', `/activities/${id}`, { body }), onSuccess: refresh });
}

export function useDeleteActivity() {
  const refresh = useRefreshTimelines();
  return useMutation({ mutationFn: (id: string) => api<void>('DELETE', `/activities/${id}`), onSuccess: refresh });
}
