import type { Me, PermissionAction, PermissionObject } from '@rapport/shared';
import { scopeOf } from '@rapport/shared';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { api, isApiError, setCsrfToken } from '../api/api-client';
import { applyLanguage, isLanguage } from '../i18n/i18n';

export const ME_KEY = ['me'] as const;
export const SETUP_KEY = ['setup'] as const;

/** The signed-in user, or null when there is no session. */
async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api<Me>('GET', '/auth/me');
    setCsrfToken(me.csrfToken);
    // Switch before the first render of the app, so it never flashes in the wrong language.
    if (isLanguage(me.user.locale)) await applyLanguage(me.user.locale);
    return me;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useMeQuery() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000, retry: false });
}

export function useSetupStatus() {
  return useQuery({ queryKey: SETUP_KEY, queryFn: () => api<{ setUp: boolean }>('GET', '/setup'), staleTime: Infinity, retry: 1 });
}

/** After login, setup or invite acceptance: remember the token and load the new session. */
export async function startSession(queryClient: QueryClient, csrfToken: string): Promise<Me | null> {
  setCsrfToken(csrfToken);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] && query.queryKey[0] !== SETUP_KEY[0] });
  return queryClient.fetchQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 0 });
}

/** Forgets everything the previous user could see. */
export function endSession(queryClient: QueryClient): void {
  setCsrfToken(null);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] && query.queryKey[0] !== SETUP_KEY[0] });
  queryClient.setQueryData(ME_KEY, null);
}

const SessionContext = createContext<Me | null>(null);
export const SessionProvider = SessionContext.Provider;

/** The signed-in user; only inside the authenticated part of the app. */
export function useMe(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useMe outside of a signed-in route');
  return me;
}

export type Can = (object: PermissionObject, action: PermissionAction) => boolean;

export function useCan(): Can {
  const me = useMe();
  return (object, action) => scopeOf(me.permissions, object, action) !== 'none';
}

