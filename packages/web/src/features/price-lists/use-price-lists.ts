import type { PriceList, PriceListBody, PriceListItemInput, PriceListItems, PriceListList, PriceListUpdateBody } from '@rapport/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';

const KEY = ['price-lists'] as const;

/** The workspace's price lists (live ones unless `includeArchived`). */
export function usePriceLists(includeArchived = false, enabled = true) {
  return useQuery({ queryKey: [...KEY, includeArchived], queryFn: () => api<PriceListList>('GET', '/price-lists', { query: { includeArchived: includeArchived || undefined } }), enabled });
}

export function usePriceListItems(id: string) {
  return useQuery({ queryKey: [...KEY, 'items', id], queryFn: () => api<PriceListItems>('GET', `/price-lists/${id}/items`) });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: KEY });
}

export function useCreatePriceList() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (body: PriceListBody) => api<PriceList>('POST', '/price-lists', { body }), onSuccess: refresh });
}

export function useUpdatePriceList() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: PriceListUpdateBody }) => api<PriceList>('PATCH', `/price-lists/${id}`, { body }), onSettled: refresh });
}

export function useSavePriceListItems(id: string) {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (body: { items: PriceListItemInput[]; version: number }) => api<PriceListItems>('PUT', `/price-lists/${id}/items`, { body }), onSettled: refresh });
}

/** Archives (`archived: true`) or restores a list. */
export function useSetPriceListArchived() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: ({ id, archived }: { id: string; archived: boolean }) => api<PriceList>(archived ? 'DELETE' : 'POST', archived ? `/price-lists/${id}` : `/price-lists/${id}/restore`), onSuccess: refresh });
}
