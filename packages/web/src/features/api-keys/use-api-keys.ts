import type { ApiKey, ApiKeyBody } from '@rapport/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../../api/api-client';

export const API_KEYS_KEY = ['api-keys'] as const;
export type ApiKeyInput = Static<typeof ApiKeyBody>;

export function useApiKeys() {
  return useQuery({ queryKey: API_KEYS_KEY, queryFn: async () => (await api<{ items: ApiKey[] }>('GET', '/api-keys')).items });
}

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ApiKeyInput) => api<{ apiKey: ApiKey; secret: string }>('POST', '/api-keys', { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: API_KEYS_KEY }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>('DELETE', `/api-keys/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: API_KEYS_KEY }),
  });
}
