import type { ClientObject, CustomField, CustomFieldBody, CustomFieldUpdateBody } from '@rapport/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';
import { FIELDS_KEY } from '../records/use-records';

export const CUSTOM_FIELDS_KEY = 'custom-fields';

/** The custom fields of one object, in their order. */
export function useCustomFields(object: ClientObject, enabled = true) {
  return useQuery({
    queryKey: [CUSTOM_FIELDS_KEY, object],
    queryFn: async () => (await api<{ items: CustomField[] }>('GET', '/custom-fields', { query: { object } })).items,
    staleTime: 60_000,
    enabled,
  });
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return (object: ClientObject) =>
    Promise.all([queryClient.invalidateQueries({ queryKey: [CUSTOM_FIELDS_KEY, object] }), queryClient.invalidateQueries({ queryKey: [FIELDS_KEY, object] })]);
}

export function useSaveCustomField() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string | undefined; body: CustomFieldBody | CustomFieldUpdateBody }) =>
      id ? api<CustomField>('PATCH', `/custom-fields/${id}`, { body }) : api<CustomField>('POST', '/custom-fields', { body }),
    onSuccess: (field) => invalidate(field.object),
  });
}

export function useDeleteCustomField() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (field: CustomField) => api<void>('DELETE', `/custom-fields/${field.id}`),
    onSuccess: (_, field) => invalidate(field.object),
  });
}
