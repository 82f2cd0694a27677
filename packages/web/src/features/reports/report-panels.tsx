import type { ForecastReport, FunnelReport, LeadSourcesReport, ManagersReport, MoneySum, ReportName, ReportQuery, TimeInStageReport, WonLostReport } from '@rapport/shared';
import { Button, Group, Paper, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/icons';
import { QueryStatus } from '../../components/query-status';
import { EChart, type ChartOption } from './echart';
import { useReportFormat } from './use-report-format';
import { reportCsvUrl, useReport } from './use-reports';

type Cell = ReactNode;

/** A report's frame: title, CSV export, chart (when there is something to draw) and the table under it. */
function ReportFrame({ name, query, title, note, chart, head, rows, empty }: { name: ReportName; query: ReportQuery; title: string; note: string; chart: ChartOption | null; head: string[]; rows: Cell[][]; empty: boolean }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Stack gap={2} style={{ flex: '1 1 280px' }}>
            <Title order={2} size="h4">
              {title}
            </Title>
            <Text size="sm" c="dimmed">
              {note}
            </Text>
          </Stack>
          <Button component="a" href={reportCsvUrl(name, query)} download variant="default" leftSection={<Icon name="download" />}>
            {t('reports.exportCsv')}
          </Button>
        </Group>
        {empty ? (
          <Text c="dimmed" ta="center" py="xl">
            {t('reports.empty')}
          </Text>
        ) : (
          <>
            {chart ? <EChart option={chart} label={title} /> : null}
            <ScrollArea type="auto">
              <Table striped highlightOnHover withTableBorder data-testid={`report-table-${name}`}>
                <Table.Thead>
                  <Table.Tr>
                    {head.map((cell, i) => (
                      <Table.Th key={cell} ta={i === 0 ? 'left' : 'right'}>
                        {cell}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((row, r) => (
                    <Table.Tr key={r}>
                      {row.map((cell, i) => (
                        <Table.Td key={i} ta={i === 0 ? 'left' : 'right'} style={{ whiteSpace: i === 0 ? undefined : 'nowrap' }}>
                          {cell}
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          </>
        )}
      </Stack>
    </Paper>
  );
}

const BLUE = '#228be6';
const GREEN = '#40c057';
const GREY = '#868e96';
const ORANGE = '#fd7e14';

/** Bars per currency: one series each, since amounts of different currencies are never added up. */
function currencySeries<T>(rows: T[], categories: string[], categoryOf: (row: T) => string, sumsOf: (row: T) => MoneySum[]): ChartOption['series'] {
  const currencies = [...new Set(rows.flatMap((row) => sumsOf(row).map((sum) => sum.currency)))].sort();
  return currencies.map((currency) => ({
    type: 'bar' as const,
    name: currency,
    data: categories.map((category) => Number(rows.filter((row) => categoryOf(row) === category).flatMap(sumsOf).find((sum) => sum.currency === currency)?.amount ?? 0)),
  }));
}

export function FunnelPanel({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const f = useReportFormat();
  const report = useReport<FunnelReport>('funnel', query);
  const data = report.data;
  const chart: ChartOption | null = data
    ? {
        tooltip: { trigger: 'item', formatter: '{b}: {c}' },
        series: [{ type: 'funnel', sort: 'none', minSize: '8%', gap: 2, left: '10%', width: '80%', label: { show: true, position: 'inside', formatter: '{b}: {c}' }, data: data.rows.map((row) => ({ name: row.stageName, value: row.reached })) }],
      }
    : null;
  return (
    <QueryStatus isPending={report.isPending} error={report.error}>
      {data ? (
        <ReportFrame
          name="funnel"
          query={query}
          title={t('reports.funnel.title')}
          note={t('reports.funnel.note', { overall: f.percent(data.overall), lost: f.number(data.lost) })}
          chart={chart}
          head={[t('reports.col.stage'), t('reports.col.reached'), t('reports.col.conversion')]}
          rows={data.rows.map((row) => [row.stageName, f.number(row.reached), f.percent(row.conversion)])}
          empty={data.rows.every((row) => row.reached === 0)}
        />
      ) : null}
    </QueryStatus>
  );
}

export function TimeInStagePanel({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const f = useReportFormat();
  const report = useReport<TimeInStageReport>('time-in-stage', query);
  const data = report.data;
  const stages = data?.rows.map((row) => row.stageName) ?? [];
  const chart: ChartOption | null = data
    ? {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 40, bottom: 40 },
        xAxis: { type: 'category', data: stages },
        yAxis: { type: 'value', name: t('reports.col.days') },
        series: [
          { type: 'bar', name: t('reports.col.average'), color: BLUE, data: data.rows.map((row) => row.averageDays ?? 0) },
          { type: 'bar', name: t('reports.col.median'), color: ORANGE, data: data.rows.map((row) => row.medianDays ?? 0) },
        ],
      }
    : null;
  return (
    <QueryStatus isPending={report.isPending} error={report.error}>
      {data ? (
        <ReportFrame
          name="time-in-stage"
          query={query}
          title={t('reports.timeInStage.title')}
          note={t('reports.timeInStage.note')}
          chart={chart}
          head={[t('reports.col.stage'), t('reports.col.stays'), t('reports.col.averageDays'), t('reports.col.medianDays')]}
          rows={data.rows.map((row) => [row.stageName, f.number(row.stays), f.days(row.averageDays), f.days(row.medianDays)])}
          empty={data.rows.every((row) => row.stays === 0)}
        />
      ) : null}
    </QueryStatus>
  );
}

export function WonLostPanel({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const f = useReportFormat();
  const report = useReport<WonLostReport>('won-lost', query);
  const data = report.data;
  const outcomes = ['won', 'lost'] as const;
  const chart: ChartOption | null = data
    ? {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 64, right: 16, top: 40, bottom: 40 },
        xAxis: { type: 'category', data: outcomes.map((outcome) => t(`reports.outcome.${outcome}`)) },
        yAxis: { type: 'value' },
        series: currencySeries(
          data.rows.map((row) => ({ category: t(`reports.outcome.${row.outcome}`), sums: [{ currency: row.currency, amount: row.amount }] })),
          outcomes.map((outcome) => t(`reports.outcome.${outcome}`)),
          (row) => row.category,
          (row) => row.sums,
        ),
      }
    : null;
  const rows: Cell[][] = data
    ? [
        ...data.rows.map((row) => [t(`reports.outcome.${row.outcome}`), f.number(row.count), f.money(row.amount, row.currency)]),
        ...data.lostReasons.map((row) => [
          <Text key="reason" size="sm" pl="md" c="dimmed">
            {t('reports.wonLost.reason', { reason: row.reason ?? t('reports.wonLost.noReason') })}
          </Text>,
          f.number(row.count),
          f.money(row.amount, row.currency),
        ]),
      ]
    : [];
  return (
    <QueryStatus isPending={report.isPending} error={report.error}>
      {data ? (
        <ReportFrame
          name="won-lost"
          query={query}
          title={t('reports.wonLost.title')}
          note={t('reports.wonLost.note')}
          chart={chart}
          head={[t('reports.col.outcome'), t('reports.col.deals'), t('reports.col.amount')]}
          rows={rows}
          empty={data.rows.length === 0}
        />
      ) : null}
    </QueryStatus>
  );
}

export function ManagersPanel({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const f = useReportFormat();
  const report = useReport<ManagersReport>('managers', query);
  const data = report.data;
  const names = data?.rows.map((row) => row.ownerName) ?? [];
  const chart: ChartOption | null = data
    ? {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 40, bottom: 40 },
        xAxis: { type: 'category', data: names },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { type: 'bar', name: t('reports.col.dealsCreated'), color: BLUE, data: data.rows.map((row) => row.dealsCreated) },
          { type: 'bar', name: t('reports.col.wonCount'), color: GREEN, data: data.rows.map((row) => row.wonCount) },
          { type: 'bar', name: t('reports.col.calls'), color: ORANGE, data: data.rows.map((row) => row.calls ?? 0) },
          { type: 'bar', name: t('reports.col.meetings'), color: GREY, data: data.rows.map((row) => row.meetings ?? 0) },
        ],
      }
    : null;
  const count = (value: number | null) => (value === null ? '—' : f.number(value));
  return (
    <QueryStatus isPending={report.isPending} error={report.error}>
      {data ? (
        <ReportFrame
          name="managers"
          query={query}
          title={t('reports.managers.title')}
          note={t('reports.managers.note')}
          chart={chart}
          head={[t('reports.col.manager'), t('reports.col.dealsCreated'), t('reports.col.wonCount'), t('reports.col.wonAmount'), t('reports.col.openAmount'), t('reports.col.calls'), t('reports.col.meetings')]}
          rows={data.rows.map((row) => [row.ownerName, f.number(row.dealsCreated), f.number(row.wonCount), f.moneyList(row.won), f.moneyList(row.open), count(row.calls), count(row.meetings)])}
          empty={data.rows.length === 0}
        />
      ) : null}
    </QueryStatus>
  );
}

export function LeadSourcesPanel({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const f = useReportFormat();
  const report = useReport<LeadSourcesReport>('lead-sources', query);
  const data = report.data;
  const sourceName = (source: string) => t(`reports.source.${source}`, { defaultValue: source });
  const chart: ChartOption | null = data
    ? {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 40, bottom: 40 },
        xAxis: { type: 'category', data: data.rows.map((row) => sourceName(row.source)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { type: 'bar', name: t('reports.col.leads'), color: GREY, data: data.rows.map((row) => row.leads ?? 0) },
          { type: 'bar', name: t('reports.col.deals'), color: BLUE, data: data.rows.map((row) => row.deals) },
          { type: 'bar', name: t('reports.col.wonCount'), color: GREEN, data: data.rows.map((row) => row.wonCount) },
        ],
      }
    : null;
  return (
    <QueryStatus isPending={report.isPending} error={report.error}>
      {data ? (
        <ReportFrame
          name="lead-sources"
          query={query}
          title={t('reports.leadSources.title')}
          note={t('reports.leadSources.note')}
          chart={chart}
          head={[t('reports.col.source'), t('reports.col.leads'), t('reports.col.deals'), t('reports.col.wonCount'), t('reports.col.wonAmount')]}
          rows={data.rows.map((row) => [sourceName(row.source), row.leads === null ? '—' : f.number(row.leads), f.number(row.deals), f.number(row.wonCount), f.moneyList(row.won)])}
          empty={data.rows.length === 0}
        />
      ) : null}
    </QueryStatus>
  );
}

export function ForecastPanel({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const f = useReportFormat();
  const report = useReport<ForecastReport>('forecast', query);
  const data = report.data;
  const months = [...new Set(data?.rows.map((row) => row.month) ?? [])];
  const chart: ChartOption | null = data
    ? {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 64, right: 16, top: 40, bottom: 40 },
        xAxis: { type: 'category', data: months.map(f.month) },
        yAxis: { type: 'value' },
        series: currencySeries(
          data.rows.map((row) => ({ month: row.month, sums: [{ currency: row.currency, amount: row.weighted }] })),
          months,
          (row) => row.month,
          (row) => row.sums,
        ),
      }
    : null;
  return (
    <QueryStatus isPending={report.isPending} error={report.error}>
      {data ? (
        <ReportFrame
          name="forecast"
          query={query}
          title={t('reports.forecast.title')}
          note={t('reports.forecast.note')}
          chart={chart}
          head={[t('reports.col.month'), t('reports.col.deals'), t('reports.col.amount'), t('reports.col.weighted')]}
          rows={data.rows.map((row) => [f.month(row.month), f.number(row.count), f.money(row.amount, row.currency), f.money(row.weighted, row.currency)])}
          empty={data.rows.length === 0}
        />
      ) : null}
    </QueryStatus>
  );
}
