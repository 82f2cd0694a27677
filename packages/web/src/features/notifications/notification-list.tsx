import type { Notification } from '@rapport/shared';
import { Badge, Box, Group, Stack, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useFormat } from '../../i18n/use-format';
import { useMarkRead, useNotificationText } from './use-notifications';

/**
 * Notifications as buttons: opening one marks it read and goes to what it is about. One the server sent late (a
 * reminder whose time passed while Rapport was down) says so beside its time.
 */
export function NotificationList({ items, onOpen }: { items: Notification[]; onOpen?: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const format = useFormat();
  const markRead = useMarkRead();
  const textOf = useNotificationText();

  if (items.length === 0) {
    return (
      <Text c="dimmed" size="sm" py="md" ta="center">
        {t('notifications.empty')}
      </Text>
    );
  }

  return (
    <Stack gap={2} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {items.map((notification) => {
        const unread = notification.readAt === null;
        return (
          <li key={notification.id}>
            <UnstyledButton
              w="100%"
              p="xs"
              style={{ borderRadius: 'var(--mantine-radius-sm)', background: unread ? 'var(--mantine-color-indigo-0)' : undefined }}
              onClick={() => {
                if (unread) markRead.mutate({ ids: [notification.id] });
                onOpen?.();
                if (notification.link) void navigate(notification.link);
              }}
            >
              <Group gap="xs" wrap="nowrap" align="flex-start">
                <Box
                  mt={6}
                  w={8}
                  h={8}
                  style={{ borderRadius: '50%', flex: 'none', background: unread ? 'var(--mantine-color-indigo-6)' : 'transparent' }}
                  aria-hidden
                />
                <Box style={{ minWidth: 0 }}>
                  <Text size="sm" fw={unread ? 600 : 400}>
                    {textOf(notification)}
                    {unread ? <VisuallyHidden> ({t('notifications.unread')})</VisuallyHidden> : null}
                  </Text>
                  <Group gap={6} wrap="nowrap">
                    <Text size="xs" c="dimmed">
                      {format.dateTime(notification.createdAt)}
                    </Text>
                    {notification.params.late === true ? (
                      <Badge size="xs" variant="light" color="orange" title={t('notifications.sentLateHint')}>
                        {t('notifications.sentLate')}
                      </Badge>
                    ) : null}
                  </Group>
                </Box>
              </Group>
            </UnstyledButton>
          </li>
        );
      })}
    </Stack>
  );
}
