import type { Activity, CalendarItem, MyDayPeriod } from '@rapport/shared';
import { Anchor, Badge, Card, Group, Progress, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session';
import { QueryStatus } from '../../components/query-status';
import { intlLocale } from '../../i18n/i18n';
import { useFormat } from '../../i18n/use-format';
import { BirthdaysWidget } from '../birthdays/birthdays-widget';
import { KIND_COLORS } from '../calendar/calendar-events';
import { recordUrl } from '../records/objects';
import { useMyDay } from './use-my-day';

const percent = (done: number, due: number) => (due === 0 ? 0 : Math.round((done / due) * 100));

/** The home page's working day: overdue and today's tasks, upcoming meetings, progress, and for managers their team. */
export function MyDay() {
  const { t } = useTranslation();
  const can = useCan();
  const [period, setPeriod] = useState<MyDayPeriod>('day');
  const day = useMyDay(period);
  const data = day.data;

  return (
    <QueryStatus isPending={day.isPending} error={day.error} onRetry={() => void day.refetch()}>
      {data ? (
        <Stack gap="lg">
          <Card withBorder radius="md" padding="lg" data-testid="my-progress">
            <Group justify="space-between" mb="xs" gap="xs">
              <Title order={2} size="h4">
                {t('myDay.progress.title')}
              </Title>
              <SegmentedControl
                size="xs"
                aria-label={t('myDay.progress.period')}
                value={period}
                onChange={(value) => setPeriod(value as MyDayPeriod)}
                data={(['day', 'week', 'month'] as const).map((value) => ({ value, label: t(`myDay.progress.periods.${value}`) }))}
              />
            </Group>
            <Progress value={percent(data.progress.done, data.progress.due)} size="lg" radius="xl" color="teal" aria-label={t('myDay.progress.title')} />
            <Text size="sm" mt={6} c="dimmed">
              {data.progress.due === 0 ? t('myDay.progress.nothingDue') : t('myDay.progress.summary', { done: data.progress.done, due: data.progress.due, percent: percent(data.progress.done, data.progress.due) })}
            </Text>
          </Card>

          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
            <Card withBorder radius="md" padding="lg" data-testid="my-tasks">
              <Title order={2} size="h4" mb="sm">
                {t('myDay.tasks.title')}
              </Title>
              {data.overdue.length > 0 ? (
                <>
                  <Text size="xs" fw={700} c="red" tt="uppercase" mb={4}>
                    {t('myDay.tasks.overdue', { count: data.overdue.length })}
                  </Text>
                  <ItemList items={data.overdue} />
                </>
              ) : null}
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt={data.overdue.length > 0 ? 'sm' : 0} mb={4}>
                {t('myDay.tasks.today')}
              </Text>
              {data.todayTasks.length > 0 ? <ItemList items={data.todayTasks} /> : <Text size="sm" c="dimmed">{t('myDay.tasks.noneToday')}</Text>}
            </Card>

            <Card withBorder radius="md" padding="lg" data-testid="my-meetings">
              <Group justify="space-between" mb="sm">
                <Title order={2} size="h4">
                  {t('myDay.meetings.title')}
                </Title>
                <Anchor component={Link} to="/calendar" size="sm">
                  {t('myDay.meetings.calendar')}
                </Anchor>
              </Group>
              {data.meetings.length > 0 ? <ItemList items={data.meetings} withDate /> : <Text size="sm" c="dimmed">{t('myDay.meetings.none')}</Text>}
            </Card>
          </SimpleGrid>

          {can('contact', 'read') ? <BirthdaysWidget /> : null}

          {data.team ? <TeamSection members={data.team.members} interactions={data.team.interactions} period={period} /> : null}
        </Stack>
      ) : null}
    </QueryStatus>
  );
}

function ItemList({ items, withDate = false }: { items: CalendarItem[]; withDate?: boolean }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const time = new Intl.DateTimeFormat(intlLocale(i18n.language), { timeStyle: 'short' });
  return (
    <Stack gap={6} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {items.map((item) => {
        const at = item.kind === 'task' ? (item.end ?? item.start) : item.start;
        return (
          <Group component="li" key={item.id} gap="xs" wrap="nowrap" align="flex-start">
            <Badge size="xs" mt={3} variant="light" color={item.overdue ? 'red' : KIND_COLORS[item.kind].mantine} style={{ flex: 'none' }}>
              {t(`calendar.kinds.${item.kind}`)}
            </Badge>
            <div style={{ minWidth: 0 }}>
              {item.kind === 'task' ? (
                <Anchor component={Link} to={`/tasks/${item.id}`} size="sm" fw={500} td={item.status === 'done' ? 'line-through' : undefined}>
                  {item.title}
                </Anchor>
              ) : (
                <Text size="sm" fw={500}>
                  {item.title || t(`calendar.kinds.${item.kind}`)}
                </Text>
              )}
              <Text size="xs" c={item.overdue ? 'red' : 'dimmed'}>
                {item.allDay ? format.date(at) : withDate || item.overdue ? format.dateTime(at) : time.format(new Date(at))}
                {item.subject?.title ? (
                  <>
                    {' · '}
                    <Anchor component={Link} to={recordUrl(item.subject.object, item.subject.id)} size="xs">
                      {item.subject.title}
                    </Anchor>
                  </>
                ) : null}
              </Text>
            </div>
          </Group>
        );
      })}
    </Stack>
  );
}

function TeamSection({ members, interactions, period }: { members: { userId: string; name: string; due: number; done: number; overdue: number }[]; interactions: Activity[]; period: MyDayPeriod }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
      <Card withBorder radius="md" padding="lg" data-testid="team-progress">
        <Title order={2} size="h4" mb="sm">
          {t('myDay.team.title', { period: t(`myDay.progress.periods.${period}`).toLowerCase() })}
        </Title>
        <Table verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('myDay.team.person')}</Table.Th>
              <Table.Th w="45%">{t('myDay.team.done')}</Table.Th>
              <Table.Th ta="right">{t('myDay.team.overdue')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.map((member) => (
              <Table.Tr key={member.userId}>
                <Table.Td>
                  <Text size="sm">{member.name}</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Progress value={percent(member.done, member.due)} color="teal" style={{ flex: 1 }} aria-label={member.name} />
                    <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
                      {member.done}/{member.due}
                    </Text>
                  </Group>
                </Table.Td>
                <Table.Td ta="right">{member.overdue > 0 ? <Badge color="red" variant="light">{member.overdue}</Badge> : <Text size="sm" c="dimmed">0</Text>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder radius="md" padding="lg" data-testid="team-feed">
        <Title order={2} size="h4" mb="sm">
          {t('myDay.team.feed')}
        </Title>
        {interactions.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('myDay.team.quiet')}
          </Text>
        ) : (
          <Stack gap={8} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {interactions.map((activity) => (
              <li key={activity.id}>
                <Text size="sm">
                  <Text span fw={500}>
                    {activity.ownerName}
                  </Text>
                  {' · '}
                  {t(`myDay.team.kinds.${activity.kind}`, { defaultValue: activity.kind })}
                  {activity.subject ? `: ${activity.subject}` : ''}
                </Text>
                <Text size="xs" c="dimmed">
                  {format.dateTime(activity.occurredAt)}
                  {(activity.links ?? [])
                    .filter((link) => link.title !== null)
                    .slice(0, 2)
                    .map((link) => (
                      <span key={link.id}>
                        {' · '}
                        <Anchor component={Link} to={recordUrl(link.object, link.id)} size="xs">
                          {link.title}
                        </Anchor>
                      </span>
                    ))}
                </Text>
              </li>
            ))}
          </Stack>
        )}
      </Card>
    </SimpleGrid>
  );
}
