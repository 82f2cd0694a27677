import type { CampaignsReport, ForecastReport, FunnelReport, LeadSourcesReport, ManagersReport, MoneySum, ReportName, ReportQuery, TimeInStageReport, WonLostReport } from '@rapport/shared';
import { Button, Group, Paper, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/icons';
import { QueryStatus } from '../../components/query-status';
import { EChart, type ChartOption } from './echart';
import { useReportFormat, type ReportFormat } from './use-report-format';
import { reportCsvUrl, useReport } from './use-reports';

/** What one report shows for its data: the line under the title, the chart and the table under it. */
interface ReportView {
  note: string;
  chart: ChartOption;
  head: string[];
  rows: ReactNode[][];
  empty: boolean;
}
type Shape<T> = (data: T, t: TFunction, f: ReportFormat) => ReportView;

const BLUE = '#228be6';
const GREEN = '#40c057';
const GREY = '#868e96';
const ORANGE = '#fd7e14';

type Bars = { name: string; color?: string; data: number[] }[];

function barChart(categories: string[], bars: Bars, options: { whole?: boolean; unit?: string } = {}): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 64, right: 16, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value', ...(options.whole ? { minInterval: 1 } : {}), ...(options.unit ? { name: options.unit } : {}) },
    series: bars.map((bar) => ({ type: 'bar', barMaxWidth: 40, ...bar })),
  };
}

/** Bars per currency, one series each: amounts of different currencies are never added up. */
function currencyBars<T>(rows: T[], categories: string[], categoryOf: (row: T) => string, sumOf: (row: T) => MoneySum): Bars {
  const currencies = [...new Set(rows.map((row) => sumOf(row).currency))].sort();
  return currencies.map((currency) => ({
    name: currency,
    data: categories.map((category) => {
      const row = rows.find((candidate) => categoryOf(candidate) === category && sumOf(candidate).currency === currency);
      return row ? Number(sumOf(row).amount) : 0;
    }),
  }));
}

/** A report's frame: title, CSV export, chart and table, or a line saying there is nothing. */
function ReportPanel<T>({ name, title, query, shape }: { name: ReportName; title: string; query: ReportQuery; shape: Shape<T> }) {
  const { t } = useTranslation();
  const f = useReportFormat();
  const report = useReport<T>(name, query);
  const view = report.data === undefined ? null : shape(report.data, t, f);
  return (
    <QueryStatus isPending={report.isPending} error={report.error}>
      {view ? (
        <Paper withBorder p="md" radius="md">
          <Stack gap="md">
            <Group justify="space-between" align="flex-start" wrap="wrap">
              <Stack gap={2} style={{ flex: '1 1 280px' }}>
                <Title order={2} size="h4">
                  {t(title)}
                </Title>
                <Text size="sm" c="dimmed">
                  {view.note}
                </Text>
              </Stack>
              <Button component="a" href={reportCsvUrl(name, query)} download variant="default" leftSection={<Icon name="download" />}>
                {t('reports.exportCsv')}
              </Button>
            </Group>
            {view.empty ? (
              <Text c="dimmed" ta="center" py="xl">
                {t('reports.empty')}
              </Text>
            ) : (
              <>
                <EChart option={view.chart} label={t(title)} />
                <ScrollArea type="auto">
                  <Table striped highlightOnHover withTableBorder data-testid={`report-table-${name}`}>
                    <Table.Thead>
                      <Table.Tr>
                        {view.head.map((cell, i) => (
                          <Table.Th key={cell} ta={i === 0 ? 'left' : 'right'}>
                            {cell}
                          </Table.Th>
                        ))}
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {view.rows.map((row, r) => (
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
      ) : null}
    </QueryStatus>
  );
}

const funnel: Shape<FunnelReport> = (data, t, f) => ({
  note: t('reports.funnel.note', { overall: f.percent(data.overall), lost: f.number(data.lost) }),
  chart: {
    tooltip: { trigger: 'item', formatter: '{b}: {c}' },
    series: [{ type: 'funnel', sort: 'none', minSize: '8%', gap: 2, left: '10%', width: '80%', label: { show: true, position: 'inside', formatter: '{b}: {c}' }, data: data.rows.map((row) => ({ name: row.stageName, value: row.reached })) }],
  },
  head: [t('reports.col.stage'), t('reports.col.reached'), t('reports.col.conversion')],
  rows: data.rows.map((row) => [row.stageName, f.number(row.reached), f.percent(row.conversion)]),
  empty: data.rows.every((row) => row.reached === 0),
});

const timeInStage: Shape<TimeInStageReport> = (data, t, f) => ({
  note: t('reports.timeInStage.note'),
  chart: barChart(
    data.rows.map((row) => row.stageName),
    [
      { name: t('reports.col.average'), color: BLUE, data: data.rows.map((row) => row.averageDays ?? 0) },
      { name: t('reports.col.median'), color: ORANGE, data: data.rows.map((row) => row.medianDays ?? 0) },
    ],
    { unit: t('reports.col.days') },
  ),
  head: [t('reports.col.stage'), t('reports.col.stays'), t('reports.col.averageDays'), t('reports.col.medianDays')],
  rows: data.rows.map((row) => [row.stageName, f.number(row.stays), f.days(row.averageDays), f.days(row.medianDays)]),
  empty: data.rows.every((row) => row.stays === 0),
});

const wonLost: Shape<WonLostReport> = (data, t, f) => {
  const outcomes = ['won', 'lost'].map((outcome) => t(`reports.outcome.${outcome}`));
  return {
    note: t('reports.wonLost.note'),
    chart: barChart(outcomes, currencyBars(data.rows, outcomes, (row) => t(`reports.outcome.${row.outcome}`), (row) => ({ currency: row.currency, amount: row.amount }))),
    head: [t('reports.col.outcome'), t('reports.col.deals'), t('reports.col.amount')],
    rows: [
      ...data.rows.map((row) => [t(`reports.outcome.${row.outcome}`), f.number(row.count), f.money(row.amount, row.currency)]),
      ...data.lostReasons.map((row) => [
        <Text key="reason" size="sm" pl="md" c="dimmed">
          {t('reports.wonLost.reason', { reason: row.reason ?? t('reports.wonLost.noReason') })}
        </Text>,
        f.number(row.count),
        f.money(row.amount, row.currency),
      ]),
    ],
    empty: data.rows.length === 0,
  };
};

const managers: Shape<ManagersReport> = (data, t, f) => {
  const count = (value: number | null) => (value === null ? '—' : f.number(value));
  return {
    note: t('reports.managers.note'),
    chart: barChart(
      data.rows.map((row) => row.ownerName),
      [
        { name: t('reports.col.dealsCreated'), color: BLUE, data: data.rows.map((row) => row.dealsCreated) },
        { name: t('reports.col.wonCount'), color: GREEN, data: data.rows.map((row) => row.wonCount) },
        { name: t('reports.col.calls'), color: ORANGE, data: data.rows.map((row) => row.calls ?? 0) },
        { name: t('reports.col.meetings'), color: GREY, data: data.rows.map((row) => row.meetings ?? 0) },
      ],
      { whole: true },
    ),
    head: [t('reports.col.manager'), t('reports.col.dealsCreated'), t('reports.col.wonCount'), t('reports.col.wonAmount'), t('reports.col.openAmount'), t('reports.col.calls'), t('reports.col.meetings')],
    rows: data.rows.map((row) => [row.ownerName, f.number(row.dealsCreated), f.number(row.wonCount), f.moneyList(row.won), f.moneyList(row.open), count(row.calls), count(row.meetings)]),
    empty: data.rows.length === 0,
  };
};

/** Leads, deals and wins per source or campaign: the same chart and table under their own first column. */
function attribution<Row extends LeadSourcesReport['rows'][number] | CampaignsReport['rows'][number]>(label: (row: Row, t: TFunction) => string, column: string, note: string): Shape<{ rows: Row[] }> {
  return (data, t, f) => ({
    note: t(note),
    chart: barChart(
      data.rows.map((row) => label(row, t)),
      [
        { name: t('reports.col.leads'), color: GREY, data: data.rows.map((row) => row.leads ?? 0) },
        { name: t('reports.col.deals'), color: BLUE, data: data.rows.map((row) => row.deals) },
        { name: t('reports.col.wonCount'), color: GREEN, data: data.rows.map((row) => row.wonCount) },
      ],
      { whole: true },
    ),
    head: [t(column), t('reports.col.leads'), t('reports.col.deals'), t('reports.col.wonCount'), t('reports.col.wonAmount')],
    rows: data.rows.map((row) => [label(row, t), row.leads === null ? '—' : f.number(row.leads), f.number(row.deals), f.number(row.wonCount), f.moneyList(row.won)]),
    empty: data.rows.length === 0,
  });
}

const leadSources = attribution<LeadSourcesReport['rows'][number]>((row, t) => t(`reports.source.${row.source}`, { defaultValue: row.source }), 'reports.col.source', 'reports.leadSources.note');
const campaigns = attribution<CampaignsReport['rows'][number]>((row, t) => row.campaign ?? t('reports.campaigns.none'), 'reports.col.campaign', 'reports.campaigns.note');

const forecast: Shape<ForecastReport> = (data, t, f) => {
  const months = [...new Set(data.rows.map((row) => row.month))];
  const bars = currencyBars(data.rows, months, (row) => row.month, (row) => ({ currency: row.currency, amount: row.weighted }));
  return {
    note: t('reports.forecast.note'),
    chart: barChart(months.map(f.month), bars),
    head: [t('reports.col.month'), t('reports.col.deals'), t('reports.col.amount'), t('reports.col.weighted')],
    rows: data.rows.map((row) => [f.month(row.month), f.number(row.count), f.money(row.amount, row.currency), f.money(row.weighted, row.currency)]),
    empty: data.rows.length === 0,
  };
};

/** The reports in the order of their tabs, each with its title's key. */
export const REPORTS = [
  { name: 'funnel', tab: 'reports.funnel.tab', panel: (query: ReportQuery) => <ReportPanel name="funnel" title="reports.funnel.title" query={query} shape={funnel} /> },
  { name: 'managers', tab: 'reports.managers.tab', panel: (query: ReportQuery) => <ReportPanel name="managers" title="reports.managers.title" query={query} shape={managers} /> },
  { name: 'won-lost', tab: 'reports.wonLost.tab', panel: (query: ReportQuery) => <ReportPanel name="won-lost" title="reports.wonLost.title" query={query} shape={wonLost} /> },
  { name: 'forecast', tab: 'reports.forecast.tab', panel: (query: ReportQuery) => <ReportPanel name="forecast" title="reports.forecast.title" query={query} shape={forecast} /> },
  { name: 'time-in-stage', tab: 'reports.timeInStage.tab', panel: (query: ReportQuery) => <ReportPanel name="time-in-stage" title="reports.timeInStage.title" query={query} shape={timeInStage} /> },
  { name: 'lead-sources', tab: 'reports.leadSources.tab', panel: (query: ReportQuery) => <ReportPanel name="lead-sources" title="reports.leadSources.title" query={query} shape={leadSources} /> },
  { name: 'campaigns', tab: 'reports.campaigns.tab', panel: (query: ReportQuery) => <ReportPanel name="campaigns" title="reports.campaigns.title" query={query} shape={campaigns} /> },
] as const satisfies readonly { name: ReportName; tab: string; panel: (query: ReportQuery) => ReactNode }[];
