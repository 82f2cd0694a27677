import type { RobotRun } from '@rapport/shared';
import { Badge, Paper, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/use-format';
import { useRobotRuns } from './use-robots';

const COLORS: Record<RobotRun['status'], string> = { queued: 'blue', running: 'blue', done: 'green', failed: 'red', skipped: 'gray' };

/** A deal card's "Robot runs": each action a stage robot ran on the deal, when, with what result or error. */
export function DealRobotRuns({ dealId }: { dealId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const runs = useRobotRuns(dealId);
  const items = runs.data ?? [];
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={t('robots.runs.title')}>
      <Title order={2} size="h4" mb="sm">
        {t('robots.runs.title')}
      </Title>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {runs.isPending ? t('common.loading') : t('robots.runs.none')}
        </Text>
      ) : (
        <Table verticalSpacing={6} data-testid="robot-runs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('robots.runs.whatWhen')}</Table.Th>
              <Table.Th miw={120}>{t('robots.runs.result')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((run) => (
              <Table.Tr key={run.id} data-testid="robot-run">
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {run.ruleName}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t(`robots.actions.${run.actionType}`, { defaultValue: run.actionType })}
                    {typeof run.result?.title === 'string' ? `: ${run.result.title}` : ''}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {format.dateTime(run.finishedAt ?? run.startedAt ?? run.createdAt)}
                  </Text>
                </Table.Td>
                <Table.Td miw={120}>
                  <Badge color={COLORS[run.status]} variant="light">
                    {t(`robots.runs.statuses.${run.status}`)}
                  </Badge>
                  {run.attempts > 1 ? (
                    <Text size="xs" c="dimmed">
                      {t('robots.runs.attempts', { count: run.attempts })}
                    </Text>
                  ) : null}
                  {run.error ? (
                    <Text size="xs" c={run.status === 'failed' ? 'red' : 'dimmed'}>
                      {run.error}
                    </Text>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
