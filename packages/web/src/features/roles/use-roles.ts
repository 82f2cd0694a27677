import type { Role, RoleBody, RoleUpdateBody } from '@rapport/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../../api/api-client';

export const ROLES_KEY = ['roles'] as const;
export type RoleInput = Static<typeof RoleBody>;
export type RolePatch = Static<typeof RoleUpdateBody>;

export function useRoles(enabled = true) {
  return useQuery({ queryKey: ROLES_KEY, queryFn: async () => (await api<{ items: Role[] }>('GET', '/roles')).items, enabled });
}

export function useRole(id: string | undefined) {
  return useQuery({ queryKey: [...ROLES_KEY, id], queryFn: () => api<Role>('GET', `/roles/${id}`), enabled: Boolean(id) });
}

export function useCreateRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RoleInput) => api<Role>('POST', '/roles', { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ROLES_KEY }),
  });
}

export function useUpdateRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: RolePatch }) => api<Role>('PATCH', `/roles/${id}`, { body }),
    onSuccess: (role) => {
      queryClient.setQueryData([...ROLES_KEY, role.id], role);
      return queryClient.invalidateQueries({ queryKey: ROLES_KEY });
    },
  });
}

export function useDeleteRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>('DELETE', `/roles/${id}`),
    // Only the list: refetching the deleted role's own query would answer 404 while its page is still open.
    onSuccess: (_answer, id) => {
      queryClient.removeQueries({ queryKey: [...ROLES_KEY, id], exact: true });
      return queryClient.invalidateQueries({ queryKey: ROLES_KEY, exact: true });
    },
  });
}
