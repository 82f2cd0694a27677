import type { InviteUserBody, PageOf, UpdateUserBody, User } from '@rapport/shared';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../../api/api-client';

export const USERS_KEY = ['users'] as const;
export type InviteInput = Static<typeof InviteUserBody>;
export type UserPatch = Static<typeof UpdateUserBody>;

const PAGE = 50;
/** Enough for pickers (manager, audit actor) in a workspace of this size; larger ones will get a search picker. */
const DIRECTORY_LIMIT = 200;

export function useUserPages(search: string, enabled = true) {
  const term = search.trim();
  return useInfiniteQuery({
    queryKey: [...USERS_KEY, 'pages', term],
    queryFn: ({ pageParam }) =>
      api<PageOf<User>>('GET', '/users', {
        query: { limit: PAGE, cursor: pageParam, filter: term ? JSON.stringify({ field: 'name', op: 'contains', value: term }) : undefined },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled,
  });
}

/** The people with these ids that the user may see: pickers name those given beyond the directory's first page. */
export function useUsersByIds(ids: string[]) {
  return useQuery({
    queryKey: [...USERS_KEY, 'by-ids', [...ids].sort().join(',')],
    queryFn: async () => (await api<PageOf<User>>('GET', '/users', { query: { limit: DIRECTORY_LIMIT, filter: JSON.stringify({ field: 'id', op: 'in', value: ids.slice(0, DIRECTORY_LIMIT) }) } })).items,
    enabled: ids.length > 0,
    // The names already known stay while a changed choice is looked up.
    placeholderData: keepPreviousData,
  });
}

/** Everyone visible to the user, for pickers and for showing names next to ids. */
export function useUserDirectory(enabled = true) {
  return useQuery({
    queryKey: [...USERS_KEY, 'directory'],
    queryFn: async () => (await api<PageOf<User>>('GET', '/users', { query: { limit: DIRECTORY_LIMIT } })).items,
    enabled,
  });
}

export function useUser(id: string | undefined) {
  return useQuery({ queryKey: [...USERS_KEY, 'one', id], queryFn: () => api<User>('GET', `/users/${id}`), enabled: Boolean(id) });
}

export function useInviteUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: InviteInput) => api<User>('POST', '/users/invite', { body }),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: USERS_KEY }), queryClient.invalidateQueries({ queryKey: ['mail-outbox'] })]),
  });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UserPatch }) => api<User>('PATCH', `/users/${id}`, { body }),
    onSuccess: (user) => {
      queryClient.setQueryData([...USERS_KEY, 'one', user.id], user);
      return queryClient.invalidateQueries({ queryKey: USERS_KEY });
    },
  });
}

export function useResendInvite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>('POST', `/users/${id}/resend-invite`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['mail-outbox'] }),
  });
}
