import type { LeadDistributionRule, LeadDistributionRuleBody, LeadDistributionRuleUpdateBody } from '@rapport/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';

const RULES_KEY = ['lead-distribution-rules'] as const;

export function useDistributionRules() {
  return useQuery({ queryKey: RULES_KEY, queryFn: async () => (await api<{ items: LeadDistributionRule[] }>('GET', '/lead-distribution-rules')).items });
}

export function useDistributionRule(id: string | undefined) {
  return useQuery({ queryKey: [...RULES_KEY, 'one', id], queryFn: () => api<LeadDistributionRule>('GET', `/lead-distribution-rules/${id}`), enabled: Boolean(id) });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: RULES_KEY });
}

export function useSaveDistributionRule() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: LeadDistributionRuleBody | LeadDistributionRuleUpdateBody }) =>
      id ? api<LeadDistributionRule>('PATCH', `/lead-distribution-rules/${id}`, { body }) : api<LeadDistributionRule>('POST', '/lead-distribution-rules', { body }),
    onSettled: refresh,
  });
}

export function useReorderDistributionRules() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (ids: string[]) => api<{ items: LeadDistributionRule[] }>('PUT', '/lead-distribution-rules/order', { body: { ids } }), onSettled: refresh });
}

export function useDeleteDistributionRule() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (id: string) => api<void>('DELETE', `/lead-distribution-rules/${id}`), onSuccess: refresh });
}
