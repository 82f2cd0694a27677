import type { Notification } from '@rapport/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/api-client';

export const NOTIFICATIONS_KEY = ['notifications'] as const;

export interface NotificationList {
  items: Notification[];
  nextCursor: string | null;
  unread: number;
}

// Pushes arrive over SSE; the slow poll only covers a proxy that buffers the stream.
const FALLBACK_POLL_MS = 60_000;

export function useNotifications(options: { unreadOnly?: boolean; limit?: number } = {}) {
  const { unreadOnly = false, limit = 20 } = options;
  return useQuery({
    queryKey: [...NOTIFICATIONS_KEY, { unreadOnly, limit }],
    queryFn: () => api<NotificationList>('GET', '/notifications', { query: { limit, unread: unreadOnly ? true : undefined } }),
    refetchInterval: FALLBACK_POLL_MS,
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (target: { ids: string[] } | { all: true }) => api<{ updated: number; unread: number }>('POST', '/notifications/read', { body: target }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
  });
}

/** A notification in the reader's language: the server sends an i18n key and its parameters. */
export function useNotificationText(): (notification: Notification) => string {
  const { t } = useTranslation();
  return (notification) => t(notification.messageKey, { ...notification.params, defaultValue: t('notifications.generic') });
}
