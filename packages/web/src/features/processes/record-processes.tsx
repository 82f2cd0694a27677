import type { ProcessRecordType } from '@rapport/shared';
import { Anchor, Button, Group, Menu, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCan } from '../../app/session';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { useToast } from '../../components/toast-center';
import { useFormat } from '../../i18n/use-format';
import { InstanceStateBadge } from './instance-state-badge';
import { useRecordProcessInstances, useStartableProcesses, useStartProcess } from './use-processes';

/** A record card's processes: its instances (running and finished) and "Start process" with those made for its type. */
export function RecordProcesses({ object, id }: { object: ProcessRecordType; id: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const format = useFormat();
  const toast = useToast();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const readable = can('process', 'read');
  const canStart = can('process', 'create');
  const instances = useRecordProcessInstances(object, id, readable);
  const startable = useStartableProcesses(object, canStart);
  const start = useStartProcess();
  if (!readable) return null;
  const items = instances.data ?? [];
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="record-processes-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="record-processes-heading">
          {t('processes.record.title')}
        </Title>
        {canStart ? (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button size="compact-sm" variant="light" leftSection={<Icon name="flow" size={14} />} loading={start.isPending}>
                {t('processes.record.start')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {(startable.data ?? []).map((definition) => (
                <Menu.Item
                  key={definition.id}
                  onClick={() =>
                    start.mutate(
                      { definitionId: definition.id, record: { type: object, id } },
                      {
                        onSuccess: (instance) => {
                          toast({ color: 'green', message: t('processes.record.started', { name: definition.name }) });
                          void navigate(`/processes/instances/${instance.id}`);
                        },
                        onError: (error) => toast({ color: 'red', message: errorText(error) }),
                      },
                    )
                  }
                >
                  <Text size="sm">{definition.name}</Text>
                  {definition.description ? (
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {definition.description}
                    </Text>
                  ) : null}
                </Menu.Item>
              ))}
              {startable.data?.length === 0 ? <Menu.Label>{t('processes.record.noneStartable')}</Menu.Label> : null}
            </Menu.Dropdown>
          </Menu>
        ) : null}
      </Group>
      <Stack gap={6}>
        {items.map((instance) => (
          <Group key={instance.id} justify="space-between" wrap="nowrap" gap="xs" data-testid="record-process">
            <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
              <Anchor component={Link} to={`/processes/instances/${instance.id}`} size="sm" style={{ overflowWrap: 'anywhere' }}>
                {instance.definitionName}
              </Anchor>
              <Text size="xs" c="dimmed">
                {format.dateTime(instance.startedAt)}
              </Text>
              {instance.error ? (
                <Text size="xs" c="red" lineClamp={2}>
                  {instance.error}
                </Text>
              ) : null}
            </Stack>
            <InstanceStateBadge state={instance.state} />
          </Group>
        ))}
        {instances.data && items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('processes.record.empty')}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}
