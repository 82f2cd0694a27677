import type { PageOf, WebForm, WebFormBody, WebFormSubmission, WebFormUpdateBody } from '@rapport/shared';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';

const WEB_FORMS_KEY = ['web-forms'] as const;

export function useWebForms() {
  return useQuery({ queryKey: WEB_FORMS_KEY, queryFn: async () => (await api<{ items: WebForm[] }>('GET', '/web-forms')).items });
}

export function useWebForm(id: string | undefined) {
  return useQuery({ queryKey: [...WEB_FORMS_KEY, 'one', id], queryFn: () => api<WebForm>('GET', `/web-forms/${id}`), enabled: Boolean(id) });
}

export function useSubmissionPages(formId: string) {
  return useInfiniteQuery({
    queryKey: [...WEB_FORMS_KEY, 'submissions', formId],
    queryFn: ({ pageParam }) => api<PageOf<WebFormSubmission>>('GET', `/web-forms/${formId}/submissions`, { query: { limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: WEB_FORMS_KEY });
}

export function useSaveWebForm() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: WebFormBody | WebFormUpdateBody }) => (id ? api<WebForm>('PATCH', `/web-forms/${id}`, { body }) : api<WebForm>('POST', '/web-forms', { body })),
    onSettled: refresh,
  });
}

export function useDeleteWebForm() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (id: string) => api<void>('DELETE', `/web-forms/${id}`), onSuccess: refresh });
}
