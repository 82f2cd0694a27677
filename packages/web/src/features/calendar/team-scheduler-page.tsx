import type { CalendarLoadDay } from '@rapport/shared';
import { ActionIcon, Anchor, Box, Card, Group, ScrollArea, Select, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { intlLocale } from '../../i18n/i18n';
import { teamOptions } from '../teams/team-options';
import { useTeams } from '../teams/use-teams';
import { HEAT_COLORS, loadHours, loadLevel } from './load-heat';
import { useCalendarLoad } from './use-calendar';

const DAYS = 21;
/** Day columns are narrow and equal, so three weeks fit a laptop screen. */
const CELL = 36;

function isoDate(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

function shift(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00`);
  d.setDate(d.getDate() + days);
  return isoDate(d);
}

/** The first day of the current week in the UI language (Monday in Russian, Sunday in English). */
function weekStart(language: string): string {
  const today = new Date();
  const first = language === 'ru' ? 1 : 0;
  return shift(isoDate(today), -((today.getDay() - first + 7) % 7));
}

/** Three weeks, a row per colleague, each day coloured by how full it is. */
export function TeamSchedulerPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const [from, setFrom] = useState(() => weekStart(i18n.language));
  const [teamId, setTeamId] = useState<string | null>(null);
  const teams = useTeams(can('team', 'read'));
  const load = useCalendarLoad(from, shift(from, DAYS - 1), teamId);
  const locale = intlLocale(i18n.language);
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short' });
  const dayMonth = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });
  const today = isoDate(new Date());

  const describe = (day: CalendarLoadDay) =>
    t('calendar.team.cell', { date: dayMonth.format(new Date(`${day.date}T12:00:00`)), tasks: day.tasks, meetings: day.meetings, calls: day.calls, hours: (Math.round(loadHours(day) * 10) / 10).toLocaleString(locale) });

  return (
    <>
      <PageHeader
        title={t('calendar.team.title')}
        description={t('calendar.team.description')}
        actions={
          <Anchor component={Link} to="/calendar" size="sm">
            {t('calendar.team.back')}
          </Anchor>
        }
      />
      <Group mb="sm" justify="space-between" align="flex-end">
        <Group gap="xs">
          <ActionIcon variant="default" aria-label={t('calendar.team.previous')} onClick={() => setFrom(shift(from, -7))}>
            ‹
          </ActionIcon>
          <ActionIcon variant="default" aria-label={t('calendar.team.next')} onClick={() => setFrom(shift(from, 7))}>
            ›
          </ActionIcon>
          <Anchor component="button" size="sm" onClick={() => setFrom(weekStart(i18n.language))}>
            {t('calendar.views.today')}
          </Anchor>
        </Group>
        {can('team', 'read') ? <Select w={260} label={t('calendar.team.team')} placeholder={t('calendar.team.allTeams')} data={teamOptions(teams.data ?? [])} value={teamId} onChange={setTeamId} clearable /> : null}
      </Group>
      <Group gap="md" mb="sm" aria-label={t('calendar.team.legend')}>
        {[1, 2, 3, 4].map((level) => (
          <Group key={level} gap={6}>
            <Box w={14} h={14} style={{ background: HEAT_COLORS[level], borderRadius: 3, border: '1px solid var(--mantine-color-gray-4)' }} />
            <Text size="xs" c="dimmed">
              {t(`calendar.team.levels.${level}`)}
            </Text>
          </Group>
        ))}
      </Group>
      <QueryStatus isPending={load.isPending} error={load.error} onRetry={() => void load.refetch()}>
        <Card withBorder radius="md" padding={0}>
          <ScrollArea type="auto" offsetScrollbars>
            <Table withColumnBorders stickyHeader data-testid="team-scheduler" layout="fixed" style={{ minWidth: 180 + DAYS * CELL }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th style={{ width: 180, position: 'sticky', left: 0, background: 'var(--mantine-color-body)', zIndex: 1 }}>{t('calendar.team.person')}</Table.Th>
                  {(load.data?.rows[0]?.days ?? []).map((day) => {
                    const date = new Date(`${day.date}T12:00:00`);
                    const weekend = date.getDay() === 0 || date.getDay() === 6;
                    return (
                      <Table.Th key={day.date} ta="center" px={2} w={CELL} style={{ fontWeight: day.date === today ? 700 : 500, color: weekend ? 'var(--mantine-color-dimmed)' : undefined }}>
                        <Text size="xs">{weekday.format(date)}</Text>
                        <Text size="xs">{date.getDate()}</Text>
                      </Table.Th>
                    );
                  })}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(load.data?.rows ?? []).map((row) => (
                  <Table.Tr key={row.userId}>
                    <Table.Th scope="row" style={{ position: 'sticky', left: 0, background: 'var(--mantine-color-body)', zIndex: 1 }}>
                      <Anchor component={Link} to={`/calendar?users=${row.userId}`} size="sm" fw={500} c="inherit">
                        {row.name}
                      </Anchor>
                      {row.teamName ? (
                        <Text size="xs" c="dimmed">
                          {row.teamName}
                        </Text>
                      ) : null}
                    </Table.Th>
                    {row.days.map((day) => {
                      const level = loadLevel(day);
                      const count = day.tasks + day.meetings + day.calls;
                      return (
                        <Tooltip key={day.date} label={describe(day)} withinPortal>
                          <Table.Td ta="center" px={2} aria-label={`${row.name}: ${describe(day)}`} data-level={level} style={{ background: HEAT_COLORS[level], outline: day.date === today ? '2px solid var(--mantine-color-indigo-5)' : undefined, outlineOffset: -2 }}>
                            <Text size="xs" fw={600}>
                              {count > 0 ? count : ''}
                            </Text>
                          </Table.Td>
                        </Tooltip>
                      );
                    })}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </Card>
        <Text size="xs" c="dimmed" mt="xs">
          {t('calendar.team.note')}
        </Text>
      </QueryStatus>
    </>
  );
}
