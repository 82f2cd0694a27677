import type { ClientObject, SavedView, SavedViewBody, SavedViewUpdateBody } from '@rapport/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';

export const VIEWS_KEY = 'saved-views';

/** The user's own views and those shared with their team or the workspace. */
export function useSavedViews(object: ClientObject) {
  return useQuery({
    queryKey: [VIEWS_KEY, object],
    queryFn: async () => (await api<{ items: SavedView[] }>('GET', '/views', { query: { object } })).items,
  });
}

export function useSaveView() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string | undefined; body: SavedViewBody | SavedViewUpdateBody }) =>
      id ? api<SavedView>('PATCH', `/views/${id}`, { body }) : api<SavedView>('POST', '/views', { body }),
    onSuccess: (view) => {
      // In the list at once, so the selector can show the view just saved before the refetch answers.
      queryClient.setQueryData<SavedView[]>([VIEWS_KEY, view.object], (current) => (current ? [...current.filter((item) => item.id !== view.id), view] : current));
      return queryClient.invalidateQueries({ queryKey: [VIEWS_KEY, view.object] });
    },
  });
}

export function useDeleteView() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (view: SavedView) => api<void>('DELETE', `/views/${view.id}`),
    onSuccess: (_, view) => queryClient.invalidateQueries({ queryKey: [VIEWS_KEY, view.object] }),
  });
}
