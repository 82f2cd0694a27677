import type { ImportJob, ImportMapping, ImportObject, ImportPreview, ImportSettingsBody } from '@rapport/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';

const IMPORTS_KEY = ['imports'] as const;
const ACTIVE = new Set(['queued', 'running']);

export function useImports() {
  return useQuery({ queryKey: IMPORTS_KEY, queryFn: async () => (await api<{ items: ImportJob[] }>('GET', '/imports')).items });
}

/** One import; polled every second while its job runs, so the progress bar moves. */
export function useImport(id: string | undefined) {
  return useQuery({
    queryKey: [...IMPORTS_KEY, 'one', id],
    queryFn: () => api<ImportJob>('GET', `/imports/${id}`),
    enabled: Boolean(id),
    refetchInterval: (query) => (query.state.data && ACTIVE.has(query.state.data.status) ? 1000 : false),
  });
}

export function useImportPreview(job: ImportJob | undefined) {
  return useQuery({
    queryKey: [...IMPORTS_KEY, 'preview', job?.id, job?.version],
    queryFn: () => api<ImportPreview>('GET', `/imports/${job!.id}/preview`),
    enabled: job?.status === 'draft',
  });
}

export function useImportMappings(object: ImportObject | undefined) {
  return useQuery({
    queryKey: [...IMPORTS_KEY, 'mappings', object],
    queryFn: async () => (await api<{ items: ImportMapping[] }>('GET', '/import-mappings', { query: { object } })).items,
    enabled: Boolean(object),
  });
}

function useStore() {
  const queryClient = useQueryClient();
  return (job: ImportJob) => {
    queryClient.setQueryData([...IMPORTS_KEY, 'one', job.id], job);
    void queryClient.invalidateQueries({ queryKey: IMPORTS_KEY, exact: true });
  };
}

export function useUploadImport() {
  const store = useStore();
  return useMutation({
    mutationFn: ({ file, object }: { file: File; object: ImportObject }) => api<ImportJob>('POST', '/imports', { file, query: { object, name: file.name } }),
    onSuccess: store,
  });
}

export function useConfigureImport(id: string) {
  const store = useStore();
  return useMutation({ mutationFn: (body: ImportSettingsBody) => api<ImportJob>('PATCH', `/imports/${id}`, { body }), onSuccess: store });
}

export function useImportAction(id: string) {
  const store = useStore();
  return useMutation({
    mutationFn: ({ action, body }: { action: 'start' | 'cancel' | 'undo'; body?: Record<string, unknown> }) => api<ImportJob>('POST', `/imports/${id}/${action}`, body ? { body } : {}),
    onSuccess: store,
  });
}
