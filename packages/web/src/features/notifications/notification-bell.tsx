import { ActionIcon, Button, Group, Indicator, Popover, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/icons';
import { useFormat } from '../../i18n/use-format';
import { NotificationList } from './notification-list';
import { useMarkRead, useNotifications } from './use-notifications';

export function NotificationBell() {
  const { t } = useTranslation();
  const format = useFormat();
  const [opened, { toggle, close }] = useDisclosure(false);
  const notifications = useNotifications();
  const markRead = useMarkRead();
  const unread = notifications.data?.unread ?? 0;

  return (
    <Popover opened={opened} onChange={(value) => (value ? undefined : close())} onDismiss={close} position="bottom-end" width="min(380px, calc(100vw - 24px))" shadow="md" withArrow trapFocus>
      <Popover.Target>
        <Indicator label={format.number(unread)} size={18} disabled={unread === 0} offset={6} color="red" data-testid="notification-badge">
          <ActionIcon variant="subtle" color="gray" size="lg" onClick={toggle} aria-label={unread > 0 ? t('notifications.bellUnread', { n: format.number(unread) }) : t('notifications.bell')} aria-expanded={opened}>
            <Icon name="bell" size={20} />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p="xs">
        <Group justify="space-between" mb="xs" px={4} wrap="nowrap">
          <Text fw={600} component="h2" size="md" m={0}>
            {t('notifications.title')}
          </Text>
          <Button size="compact-xs" variant="subtle" disabled={unread === 0} loading={markRead.isPending} onClick={() => markRead.mutate({ all: true })}>
            {t('notifications.markAllRead')}
          </Button>
        </Group>
        <ScrollArea.Autosize mah={420} type="auto">
          <NotificationList items={notifications.data?.items ?? []} onOpen={close} />
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}
