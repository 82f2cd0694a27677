import type { Deal, DealBoard, DealMoveBody, DealStageStay } from '@rapport/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';
import { TIMELINE_KEY } from '../timeline/use-timeline';
import { invalidateClientBase, recordKeys } from '../records/use-records';

const BOARD_KEY = 'deal-board';
const STAGES_KEY = 'deal-stages';

export interface BoardParams {
  pipelineId: string | null;
  q: string;
  /** The list's filter grammar (JSON), e.g. the owner. */
  filter: string | undefined;
  /** Cards per column. */
  perStage: number;
}

/** One pipeline's columns, as the reader may see them; the cards stay while a new filter loads. */
export function useDealBoard(params: BoardParams, enabled: boolean) {
  return useQuery({
    queryKey: [BOARD_KEY, params],
    queryFn: ({ signal }) => api<DealBoard>('GET', '/deals/board', { query: { pipelineId: params.pipelineId ?? undefined, q: params.q.trim() || undefined, filter: params.filter, limit: params.perStage }, signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useStageHistory(dealId: string) {
  return useQuery({ queryKey: [STAGES_KEY, dealId], queryFn: async () => (await api<{ items: DealStageStay[] }>('GET', `/deals/${dealId}/stages`)).items });
}

/** A move changes the deal, its stage history, its timeline and every board and list it is on. */
export function useMoveDeal() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: DealMoveBody }) => api<Deal>('POST', `/deals/${id}/move`, { body }),
    onSuccess: (deal) => queryClient.setQueryData(recordKeys.one('deal', deal.id), deal),
    onSettled: (_deal, _error, { id }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: [BOARD_KEY] }),
        queryClient.invalidateQueries({ queryKey: [STAGES_KEY, id] }),
        queryClient.invalidateQueries({ queryKey: [TIMELINE_KEY, 'deal', id] }),
        invalidateClientBase(queryClient),
      ]),
  });
}

/** After a deal is saved through the record form: its board and stage history may have changed too. */
export function useRefreshDealViews() {
  const queryClient = useQueryClient();
  return (id: string | null) =>
    Promise.all([queryClient.invalidateQueries({ queryKey: [BOARD_KEY] }), ...(id ? [queryClient.invalidateQueries({ queryKey: [STAGES_KEY, id] }), queryClient.invalidateQueries({ queryKey: [TIMELINE_KEY, 'deal', id] })] : [])]);
}
