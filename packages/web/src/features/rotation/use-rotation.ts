import type { FollowUpBody, FollowUpResult, RotationObject, RotationPage } from '@rapport/shared';
import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';

export const ROTATION_KEY = 'rotation';

export interface RotationParams {
  object: RotationObject;
  days: number;
  ownerId: string | null;
  filter: string | undefined;
  q: string;
}

/** Records nobody has contacted for `days` days, never-contacted first, page by page. */
export function useRotation(params: RotationParams) {
  return useInfiniteQuery({
    queryKey: [ROTATION_KEY, params],
    queryFn: ({ pageParam }) =>
      api<RotationPage>('GET', '/rotation', { query: { object: params.object, days: params.days, ownerId: params.ownerId ?? undefined, filter: params.filter, q: params.q.trim() || undefined, limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useFollowUps() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: FollowUpBody) => api<FollowUpResult>('POST', '/rotation/follow-ups', { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tasks'] }),
  });
}
