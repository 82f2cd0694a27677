import { Anchor, Badge, Card, Group, List, Stack, Text, ThemeIcon, Title, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan, useMe } from '../../app/session';
import { useFormat } from '../../i18n/use-format';
import { useRecentMail } from '../mail-outbox/use-mail-outbox';
import { MyDay } from '../my-day/my-day';
import { NotificationList } from '../notifications/notification-list';
import { useNotifications } from '../notifications/use-notifications';
import { useTeams } from '../teams/use-teams';
import { useUserPages } from '../users/use-users';

export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const unread = useNotifications({ unreadOnly: true, limit: 5 });

  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Group gap="sm" align="center">
          <Title order={1} size="h2">
            {t('home.welcome', { name: me.user.name })}
          </Title>
          <Badge variant="light" size="lg" tt="none" title={me.user.teamName ?? undefined}>
            {me.user.roleName}
          </Badge>
        </Group>
        <Text c="dimmed">{t('home.workspace', { workspace: me.workspace.name })}</Text>
      </div>

      <MyDay />

      <Card withBorder radius="md" padding="lg">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4">
            {t('home.unread')}
          </Title>
          {unread.data && unread.data.unread > 0 ? <Badge color="red">{unread.data.unread}</Badge> : null}
        </Group>
        <NotificationList items={unread.data?.items ?? []} />
      </Card>

      {can('user', 'create') ? <GetStarted /> : null}
    </Stack>
  );
}

/** First steps for whoever sets the workspace up, each ticked off from live data. */
function GetStarted() {
  const { t } = useTranslation();
  const can = useCan();
  const format = useFormat();
  const teams = useTeams(can('team', 'read'));
  const users = useUserPages('', can('user', 'read'));
  const mail = useRecentMail(can('settings', 'read'));

  const hasTeams = (teams.data?.length ?? 0) > 0;
  const hasOthers = (users.data?.pages[0]?.items.length ?? 0) > 1;
  const held = mail.data?.items.filter((message) => message.status === 'held').length ?? 0;

  return (
    <Card withBorder radius="md" padding="lg">
      <Title order={2} size="h4" mb={4}>
        {t('home.getStarted.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('home.getStarted.subtitle')}
      </Text>
      <List spacing="sm" listStyleType="none" p={0}>
        <Step done={hasTeams} text={t('home.getStarted.teams')} link={can('team', 'read') ? { to: '/settings/teams', label: t('home.getStarted.teamsLink') } : null} />
        <Step done={hasOthers} text={t('home.getStarted.invite')} link={can('user', 'read') ? { to: '/settings/users', label: t('home.getStarted.inviteLink') } : null} />
        {can('settings', 'read') ? (
          <Step
            done={mail.isSuccess && held === 0}
            text={held > 0 ? t('home.getStarted.mailHeld', { n: format.number(held) }) : t('home.getStarted.mailClear')}
            link={{ to: '/settings/mail-outbox', label: t('home.getStarted.mailLink') }}
          />
        ) : null}
      </List>
    </Card>
  );
}

function Step({ done, text, link }: { done: boolean; text: string; link: { to: string; label: string } | null }) {
  const { t } = useTranslation();
  return (
    <List.Item
      icon={
        <ThemeIcon size={22} radius="xl" color={done ? 'teal' : 'gray'} variant={done ? 'filled' : 'light'} aria-hidden>
          <span style={{ fontSize: 12 }}>{done ? '✓' : '•'}</span>
        </ThemeIcon>
      }
    >
      <Group gap="xs">
        <Text size="sm">
          {text}
          <VisuallyHidden> — {done ? t('home.getStarted.done') : t('home.getStarted.todo')}</VisuallyHidden>
        </Text>
        {link ? (
          <Anchor component={Link} to={link.to} size="sm">
            {link.label}
          </Anchor>
        ) : null}
      </Group>
    </List.Item>
  );
}
