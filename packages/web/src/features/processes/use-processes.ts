import type { ProcessDefinition, ProcessDefinitionCreate, ProcessDefinitionUpdate, ProcessValidation } from '@rapport/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';

const DEFINITIONS_KEY = ['process-definitions'] as const;

export function useProcessDefinitions() {
  return useQuery({ queryKey: DEFINITIONS_KEY, queryFn: async () => (await api<{ items: ProcessDefinition[] }>('GET', '/process-definitions')).items });
}

export function useProcessDefinition(id: string | undefined) {
  // The designer keeps its own diagram once loaded: a background refetch must not replace what the user is drawing.
  return useQuery({ queryKey: [...DEFINITIONS_KEY, 'one', id], queryFn: () => api<ProcessDefinition>('GET', `/process-definitions/${id}`), enabled: Boolean(id), refetchOnWindowFocus: false });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: DEFINITIONS_KEY });
}

export function useCreateProcessDefinition() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (body: ProcessDefinitionCreate) => api<ProcessDefinition>('POST', '/process-definitions', { body }), onSuccess: refresh });
}

export function useUpdateProcessDefinition() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ProcessDefinitionUpdate }) => api<ProcessDefinition>('PATCH', `/process-definitions/${id}`, { body }),
    onSuccess: (saved) => {
      queryClient.setQueryData([...DEFINITIONS_KEY, 'one', saved.id], saved);
      void queryClient.invalidateQueries({ queryKey: DEFINITIONS_KEY, exact: true });
    },
  });
}

export function useDeleteProcessDefinition() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (definition: ProcessDefinition) => api<void>('DELETE', `/process-definitions/${definition.id}`, { query: { version: definition.version } }), onSuccess: refresh });
}

/** Validates the saved draft, or deploys it as a new version when it has no problems. */
export function useCheckProcessDefinition() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, deploy }: { id: string; deploy: boolean }) => api<ProcessValidation>('POST', `/process-definitions/${id}/${deploy ? 'deploy' : 'validate'}`),
    onSuccess: (result) => {
      if (result.deployedVersion !== null) void refresh();
    },
  });
}
