import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ATTACHMENTS_KEY } from '../features/attachments/use-attachments';
import { NOTIFICATIONS_KEY } from '../features/notifications/use-notifications';
import { useMe } from './session';

// Which cached lists a record change touches, by the object type the server reports.
// A deal's change moves cards on the boards on screen (one board, a few dozen cards a column: cheap to refetch).
const KEYS_BY_OBJECT: Record<string, string> = { user: 'users', team: 'teams', role: 'roles', api_key: 'api-keys', task: 'tasks', deal: 'deal-board' };
// Client records: their lists and cards, and the history of the one that changed.
const CLIENT_OBJECTS = new Set(['company', 'contact', 'lead', 'deal']);

/**
 * One Server-Sent Events stream per signed-in tab: pushes refresh what the user sees. The browser reconnects a dropped
 * stream by itself (the server restarted, the network went away); what was pushed meanwhile is lost, so a stream that
 * opens again (its `ready` event a second time) refreshes everything on screen.
 */
export function useRealtime(): void {
  const queryClient = useQueryClient();
  const { user } = useMe();

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/stream');
    let opened = false;
    source.addEventListener('ready', () => {
      if (opened) void queryClient.invalidateQueries();
      opened = true;
    });
    source.addEventListener('notification', () => {
      void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
      // Today's notifications are about people (an invitation accepted, access changed): their list is stale too.
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    });
    source.addEventListener('record.changed', (event) => {
      try {
        const data = JSON.parse((event as MessageEvent<string>).data) as { objectType?: unknown; id?: unknown };
        const key = typeof data.objectType === 'string' ? KEYS_BY_OBJECT[data.objectType] : undefined;
        if (key) void queryClient.invalidateQueries({ queryKey: [key] });
        if (typeof data.objectType === 'string' && CLIENT_OBJECTS.has(data.objectType)) {
          // The card and history of the record refresh now; long lists are only marked stale (refetching every loaded
          // page on each colleague's change would be heavy) and refresh when next shown.
          void queryClient.invalidateQueries({ queryKey: ['records', data.objectType], refetchType: 'none' });
          if (typeof data.id === 'string') {
            void queryClient.invalidateQueries({ queryKey: ['records', data.objectType, 'one', data.id] });
            void queryClient.invalidateQueries({ queryKey: ['timeline', data.objectType, data.id] });
            // Files attached by someone else or by a robot (a contract generated on a stage) appear on the open card.
            void queryClient.invalidateQueries({ queryKey: [ATTACHMENTS_KEY, data.objectType, data.id] });
            if (data.objectType === 'deal') void queryClient.invalidateQueries({ queryKey: ['deal-stages', data.id] });
          }
        }
      } catch {
        // a malformed push only means a later refresh
      }
    });
    return () => source.close();
  }, [queryClient, user.id]);
}
