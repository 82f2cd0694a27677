import { PERIOD_PRESETS, presetPeriod, type PeriodPreset, type ReportQuery } from '@rapport/shared';
import { Group, Paper, Select, Stack, Tabs, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCan } from '../../app/session';
import { PageHeader } from '../../components/page-header';
import { usePipelines } from '../pipelines/use-pipelines';
import { teamOptions } from '../teams/team-options';
import { useTeams } from '../teams/use-teams';
import { useUserDirectory } from '../users/use-users';
import { REPORTS } from './report-panels';

/** Today in the browser's calendar, as YYYY-MM-DD. */
function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

const isPreset = (value: string | null): value is PeriodPreset => (PERIOD_PRESETS as readonly (string | null)[]).includes(value);

/** Sales reports: one filter bar (period, pipeline, team, manager) over tabs of charts with their tables; the URL keeps the choice. */
export function ReportsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const pipelines = usePipelines();
  const teams = useTeams(can('team', 'read'));
  const directory = useUserDirectory(can('user', 'read'));

  const preset = params.get('period') ?? (params.get('from') ? null : 'this-month');
  const period = isPreset(preset) ? presetPeriod(preset, today()) : { from: params.get('from') ?? presetPeriod('this-month', today()).from, to: params.get('to') ?? presetPeriod('this-month', today()).to };
  const pipelineId = params.get('pipeline') ?? pipelines.data?.find((pipeline) => pipeline.isDefault)?.id;
  const query: ReportQuery = {
    from: period.from,
    to: period.to,
    ...(pipelineId ? { pipelineId } : {}),
    ...(params.get('team') ? { teamId: params.get('team')! } : {}),
    ...(params.get('owner') ? { ownerId: params.get('owner')! } : {}),
  };
  const tab = REPORTS.find((candidate) => candidate.name === params.get('report'))?.name ?? 'funnel';

  const update = (changes: Record<string, string | null>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );
  // Editing a date leaves the preset: both dates are then kept in the URL.
  const setDate = (key: 'from' | 'to', value: string) => {
    if (!value) return;
    update({ period: 'custom', from: key === 'from' ? value : period.from, to: key === 'to' ? value : period.to });
  };

  const presetOptions = [...PERIOD_PRESETS.map((value) => ({ value, label: t(`reports.preset.${value}`) })), { value: 'custom', label: t('reports.preset.custom') }];
  const pipelineOptions = (pipelines.data ?? []).map((pipeline) => ({ value: pipeline.id, label: pipeline.name }));
  const ownerOptions = (directory.data ?? []).filter((user) => user.status !== 'disabled').map((user) => ({ value: user.id, label: user.name }));
  const dateError = period.to < period.from ? t('reports.toBeforeFrom') : null;

  return (
    <Stack gap="md">
      <PageHeader title={t('reports.title')} description={t('reports.description')} />
      <Paper withBorder p="sm" radius="md" component="section" aria-label={t('reports.filters')}>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <Select label={t('reports.period')} data={presetOptions} value={isPreset(preset) ? preset : 'custom'} onChange={(value) => value && update(value === 'custom' ? { period: 'custom', from: period.from, to: period.to } : { period: value, from: null, to: null })} allowDeselect={false} w={180} />
          <TextInput label={t('reports.from')} type="date" value={period.from} onChange={(event) => setDate('from', event.currentTarget.value)} w={160} />
          <TextInput label={t('reports.to')} type="date" value={period.to} onChange={(event) => setDate('to', event.currentTarget.value)} error={dateError} w={160} />
          <Select label={t('reports.pipeline')} data={pipelineOptions} value={pipelineId ?? null} onChange={(value) => update({ pipeline: value })} allowDeselect={false} w={200} />
          {can('team', 'read') ? <Select label={t('reports.team')} placeholder={t('reports.anyTeam')} data={teamOptions(teams.data ?? [])} value={params.get('team')} onChange={(value) => update({ team: value })} clearable searchable w={200} /> : null}
          {can('user', 'read') ? <Select label={t('reports.manager')} placeholder={t('reports.anyManager')} data={ownerOptions} value={params.get('owner')} onChange={(value) => update({ owner: value })} clearable searchable w={220} /> : null}
        </Group>
      </Paper>
      <Tabs value={tab} onChange={(value) => update({ report: value })} keepMounted={false}>
        <Tabs.List>
          {REPORTS.map((report) => (
            <Tabs.Tab key={report.name} value={report.name}>
              {t(report.tab)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {REPORTS.map((report) => (
          <Tabs.Panel key={report.name} value={report.name} pt="md">
            {dateError ? null : report.panel(query)}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
