import type { MailMessage, PageOf } from '@rapport/shared';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../api/api-client';

export const MAIL_KEY = ['mail-outbox'] as const;

export function useMailPages(enabled = true) {
  return useInfiniteQuery({
    queryKey: [...MAIL_KEY, 'pages'],
    queryFn: ({ pageParam }) => api<PageOf<MailMessage>>('GET', '/mail-outbox', { query: { limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled,
  });
}

/** The latest messages, for the home checklist. */
export function useRecentMail(enabled = true) {
  return useQuery({ queryKey: [...MAIL_KEY, 'recent'], queryFn: () => api<PageOf<MailMessage>>('GET', '/mail-outbox', { query: { limit: 50 } }), enabled });
}

/** Links in a message body (invitation and reset links), so an administrator can pass them on. */
export function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"']+/g) ?? [])];
}
