import type { Pipeline, PipelineBody, PipelineList, PipelineUpdateBody } from '@rapport/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';

const PIPELINES_KEY = ['pipelines'];

export function usePipelines() {
  return useQuery({ queryKey: PIPELINES_KEY, queryFn: async () => (await api<PipelineList>('GET', '/pipelines')).items });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: PIPELINES_KEY });
}

export function useCreatePipeline() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (body: PipelineBody) => api<Pipeline>('POST', '/pipelines', { body }), onSuccess: refresh });
}

export function useUpdatePipeline() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: PipelineUpdateBody }) => api<Pipeline>('PATCH', `/pipelines/${id}`, { body }), onSettled: refresh });
}

export function useArchivePipeline() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (id: string) => api<void>('DELETE', `/pipelines/${id}`), onSuccess: refresh });
}
