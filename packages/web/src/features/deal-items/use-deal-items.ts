import type { DealItemInput, DealItems } from '@rapport/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';
import { invalidateClientBase, recordKeys } from '../records/use-records';
import { useRefreshDealViews } from '../deals/use-deals';

const ITEMS_KEY = 'deal-items';

export function useDealItems(dealId: string) {
  return useQuery({ queryKey: [ITEMS_KEY, dealId], queryFn: () => api<DealItems>('GET', `/deals/${dealId}/items`) });
}

/** Saving the lines changes the deal's amount and version too: its card, lists, boards and timeline follow. */
export function useSaveDealItems(dealId: string) {
  const queryClient = useQueryClient();
  const refreshDealViews = useRefreshDealViews();
  return useMutation({
    mutationFn: ({ items, version }: { items: DealItemInput[]; version: number }) => api<DealItems>('PUT', `/deals/${dealId}/items`, { body: { items, version } }),
    onSuccess: (saved) => queryClient.setQueryData([ITEMS_KEY, dealId], saved),
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: recordKeys.one('deal', dealId) }), invalidateClientBase(queryClient), refreshDealViews(dealId)]),
  });
}
