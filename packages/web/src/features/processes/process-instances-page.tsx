import { PROCESS_INSTANCE_STATES, PROCESS_RECORD_TYPES, type ProcessInstanceState } from '@rapport/shared';
import { Anchor, CloseButton, Group, Pill, Select, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { recordUrl } from '../records/objects';
import { InstanceStateBadge } from './instance-state-badge';
import { Icon } from '../../components/icons';
import { LoadMore } from '../../components/load-more';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useFormat } from '../../i18n/use-format';
import { ProcessMap } from './process-map';
import { ProcessTabs } from './process-tabs';
import { useProcessDefinitions, useProcessInstancePages, useProcessVersion, useProcessVersions, useVersionMarks, type InstanceFilters } from './use-processes';

/** Processes › Instances: every instance by definition, version and state, filters kept in the address. */
export function ProcessInstancesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const filters: InstanceFilters = {
    definitionId: params.get('definitionId'),
    definitionVersion: params.get('definitionVersion') ? Number(params.get('definitionVersion')) : null,
    state: (params.get('state') as ProcessInstanceState | null) ?? null,
    // A record's card links here with its record: the list then shows that record's instances only.
    recordType: PROCESS_RECORD_TYPES.find((type) => type === params.get('recordType')) ?? null,
    recordId: params.get('recordId'),
  };
  const recordFilter = filters.recordType && filters.recordId ? { type: filters.recordType, id: filters.recordId } : null;
  const definitions = useProcessDefinitions();
  const versions = useProcessVersions(filters.definitionId);
  const pages = useProcessInstancePages(filters);
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const setFilter = (key: keyof InstanceFilters, value: string | null) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set(key, value);
      else next.delete(key);
      if (key === 'definitionId') next.delete('definitionVersion');
      return next;
    });

  return (
    <>
      <PageHeader title={t('processes.title')} description={t('processes.description')} />
      <ProcessTabs />
      <Group gap="sm" mb="md" align="flex-end">
        <Select label={t('processes.filters.definition')} placeholder={t('processes.filters.any')} clearable data={(definitions.data ?? []).map((definition) => ({ value: definition.id, label: definition.name }))} value={filters.definitionId} onChange={(value) => setFilter('definitionId', value)} w={240} />
        <Select
          label={t('processes.filters.version')}
          placeholder={t('processes.filters.any')}
          clearable
          disabled={!filters.definitionId}
          data={(versions.data ?? []).map((version) => ({ value: String(version.number), label: t('processes.latestVersion', { version: version.number }) }))}
          value={filters.definitionVersion === null ? null : String(filters.definitionVersion)}
          onChange={(value) => setFilter('definitionVersion', value)}
          w={140}
        />
        <Select label={t('processes.filters.state')} placeholder={t('processes.filters.any')} clearable data={PROCESS_INSTANCE_STATES.map((state) => ({ value: state, label: t(`processes.states.${state}`) }))} value={filters.state} onChange={(value) => setFilter('state', value)} w={170} />
        {recordFilter ? (
          <Pill size="lg" mb={6} data-testid="record-filter">
            <Group gap={4} wrap="nowrap">
              <Text size="sm">{t('processes.filters.record', { title: items[0]?.recordTitle ?? t(`processes.recordTypes.${recordFilter.type}`) })}</Text>
              <CloseButton size="xs" aria-label={t('processes.filters.clearRecord')} onClick={() => setParams((current) => { const next = new URLSearchParams(current); next.delete('recordType'); next.delete('recordId'); return next; })} />
            </Group>
          </Pill>
        ) : null}
        {filters.definitionId && filters.definitionVersion ? (
          <Anchor component={Link} to={`/processes/${filters.definitionId}/map?version=${filters.definitionVersion}`} size="sm" mb={8}>
            {t('processes.openMap')}
          </Anchor>
        ) : null}
      </Group>
      <QueryStatus isPending={pages.isPending} error={pages.error} onRetry={() => void pages.refetch()}>
        {items.length === 0 ? (
          <Text c="dimmed" py="lg">
            {t('processes.noInstances')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table highlightOnHover verticalSpacing="sm" aria-label={t('processes.tabs.instances')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('processes.columns.process')}</Table.Th>
                  <Table.Th>{t('processes.columns.state')}</Table.Th>
                  <Table.Th>{t('processes.columns.record')}</Table.Th>
                  <Table.Th>{t('processes.columns.started')}</Table.Th>
                  <Table.Th>{t('processes.columns.ended')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((instance) => (
                  <Table.Tr key={instance.id} data-testid="instance-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/processes/instances/${instance.id}`} fw={500} size="sm">
                        {instance.definitionName}
                      </Anchor>{' '}
                      <Text span size="xs" c="dimmed">
                        {t('processes.latestVersion', { version: instance.definitionVersion })}
                      </Text>
                      {instance.error ? (
                        <Text size="xs" c="red" lineClamp={2}>
                          {instance.error}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <InstanceStateBadge state={instance.state} />
                    </Table.Td>
                    <Table.Td>
                      {instance.record ? (
                        <Group gap={6} wrap="nowrap">
                          <Anchor component={Link} to={recordUrl(instance.record.type, instance.record.id)} size="sm" data-testid="instance-record">
                            {instance.recordTitle ?? t(`processes.recordTypes.${instance.record.type}`)}
                          </Anchor>
                          <Anchor component={Link} to={`/processes/instances?recordType=${instance.record.type}&recordId=${instance.record.id}`} size="xs" c="dimmed" aria-label={t('processes.filters.byRecord')} title={t('processes.filters.byRecord')}>
                            <Icon name="filter" size={12} />
                          </Anchor>
                        </Group>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{format.dateTime(instance.startedAt)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{instance.endedAt ? format.dateTime(instance.endedAt) : '—'}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <LoadMore hasMore={Boolean(pages.hasNextPage)} loading={pages.isFetchingNextPage} onLoad={() => void pages.fetchNextPage()} />
      </QueryStatus>
    </>
  );
}

/** A definition version's map with, on each element, how many instances wait, failed or passed there. */
export function ProcessVersionMapPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const definitions = useProcessDefinitions();
  const definition = definitions.data?.find((candidate) => candidate.id === id);
  const versions = useProcessVersions(id);
  const number = Number(params.get('version')) || definition?.latestVersion || null;
  const version = useProcessVersion(id, number);
  const marks = useVersionMarks(id, number);
  return (
    <>
      <PageHeader
        title={definition ? t('processes.mapOf', { name: definition.name }) : t('processes.title')}
        description={
          <Anchor component={Link} to={`/processes/${id}`} size="sm">
            {t('processes.backToDesigner')}
          </Anchor>
        }
        actions={
          <Select
            aria-label={t('processes.filters.version')}
            data={(versions.data ?? []).map((item) => ({ value: String(item.number), label: t('processes.latestVersion', { version: item.number }) }))}
            value={number === null ? null : String(number)}
            onChange={(value) => value && setParams({ version: value })}
            allowDeselect={false}
            w={140}
          />
        }
      />
      {number === null && definitions.data ? (
        <Text c="dimmed">{t('processes.notDeployedYet')}</Text>
      ) : (
        <QueryStatus isPending={version.isPending || marks.isPending} error={version.error ?? marks.error}>
          {version.data ? <ProcessMap xml={version.data.xml} marks={marks.data ?? []} counts /> : null}
        </QueryStatus>
      )}
    </>
  );
}
