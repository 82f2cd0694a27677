import type { BulkResult, DqFixBody, DqObject, DqProblem, DqRecordPage, DqScanResult, DqSummary, MergeBody, ReviewItemPage } from '@rapport/shared';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';
import { invalidateClientBase } from '../records/use-records';

const DQ_KEY = 'data-quality';

export function useDqSummary() {
  return useQuery({ queryKey: [DQ_KEY, 'summary'], queryFn: () => api<DqSummary>('GET', '/data-quality/summary') });
}

export function useDqRecords(object: DqObject, problem: DqProblem) {
  return useInfiniteQuery({
    queryKey: [DQ_KEY, 'records', object, problem],
    queryFn: ({ pageParam }) => api<DqRecordPage>('GET', '/data-quality/records', { query: { object, problem, limit: 100, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function useReviewItems(object: DqObject, importId: string | undefined, limit = 20) {
  return useInfiniteQuery({
    queryKey: [DQ_KEY, 'review', object, importId, limit],
    queryFn: ({ pageParam }) => api<ReviewItemPage>('GET', '/data-quality/review-items', { query: { object, importId, limit, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** After a fix: the counts, the lists and the client base's own lists and cards change. */
function useRefresh() {
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: [DQ_KEY] });
    void invalidateClientBase(queryClient);
  };
}

export function useFixContactPoints() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (body: DqFixBody) => api<BulkResult>('POST', '/data-quality/fix-contact-points', { body }), onSuccess: refresh });
}

export function useScan() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (object: DqObject) => api<DqScanResult>('POST', '/data-quality/scan', { body: { object } }), onSuccess: refresh });
}

export function useReviewActions() {
  const refresh = useRefresh();
  const dismiss = useMutation({ mutationFn: (item: { id: string; version: number }) => api<void>('POST', `/data-quality/review-items/${item.id}/dismiss`, { body: { version: item.version } }), onSuccess: refresh });
  const merge = async (item: { id: string; version: number }, body: MergeBody) => {
    await api<{ survivorId: string }>('POST', `/data-quality/review-items/${item.id}/merge`, { body: { survivorId: body.survivorId, fields: body.fields, version: item.version } });
    await refresh();
  };
  return { dismiss, merge, refresh };
}
