import { ROTATION_OBJECTS, type FollowUpResult, type RotationItem, type RotationObject } from '@rapport/shared';
import { Alert, Anchor, Badge, Button, Group, List, Modal, NumberInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session';
import { DataTable, type DataColumn } from '../../components/data-table';
import { useErrorText } from '../../components/error-text';
import { FilterBuilder } from '../../components/filter-builder';
import { rowsToJson, type FilterRow } from '../../components/filter-state';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { useFormat } from '../../i18n/use-format';
import { toLocalInput } from '../activities/activity-draft';
import { recordUrl } from '../records/objects';
import { renderRelationPicker, UserPicker } from '../records/pickers';
import { useFieldLabels } from '../records/use-field-labels';
import { useObjectFields } from '../records/use-records';
import { useFollowUps, useRotation } from './use-rotation';

const DAY_PRESETS = ['7', '14', '30', '60', '90'];

/** Base rotation: clients nobody has contacted for N days, by owner or any field, and follow-up tasks for their owners. */
export function RotationPage() {
  const { t } = useTranslation();
  const can = useCan();
  const format = useFormat();
  const objects = ROTATION_OBJECTS.filter((object) => can(object, 'read'));
  const [object, setObject] = useState<RotationObject>(objects[0] ?? 'contact');
  const [days, setDays] = useState(30);
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<FilterRow[]>([]);
  const [showFilters, setShowFilters] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [followingUp, setFollowingUp] = useState(false);
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [debouncedDays] = useDebouncedValue(days, 300);
  const fields = useObjectFields(object);
  const labels = useFieldLabels(object, fields.data);
  const filter = fields.data ? rowsToJson(rows, fields.data) : undefined;
  const rotation = useRotation({ object, days: debouncedDays, ownerId, filter, q: debouncedQ });
  const items = useMemo(() => rotation.data?.pages.flatMap((page) => page.items) ?? [], [rotation.data]);
  const total = rotation.data?.pages[0]?.total;

  const changeObject = (next: RotationObject) => {
    setObject(next);
    setRows([]);
    setSelected(new Set());
  };
  const select = (ids: string[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const columns: DataColumn<RotationItem>[] = [
    {
      key: 'title',
      header: t('rotation.columns.name'),
      width: 280,
      render: (item) => (
        <Anchor component={Link} to={recordUrl(item.object, item.id)} size="sm">
          {item.title}
        </Anchor>
      ),
    },
    { key: 'owner', header: t('rotation.columns.owner'), width: 200, render: (item) => item.ownerName ?? '—' },
    { key: 'last', header: t('rotation.columns.lastActivity'), width: 200, render: (item) => (item.lastActivityAt ? format.dateTime(item.lastActivityAt) : <Text span size="sm" c="dimmed">{t('rotation.never')}</Text>) },
    {
      key: 'idle',
      header: t('rotation.columns.idle'),
      width: 150,
      render: (item) => (
        <Badge variant="light" tt="none" color={item.idleDays >= days * 2 ? 'red' : 'orange'}>
          {t('rotation.idleDays', { count: item.idleDays })}
        </Badge>
      ),
    },
  ];

  return (
    <Stack gap="md">
      <PageHeader title={t('rotation.title')} description={t('rotation.description')} />
      <Group gap="sm" align="flex-end" wrap="wrap">
        <SegmentedControl
          value={object}
          onChange={(value) => changeObject(value as RotationObject)}
          data={objects.map((value) => ({ value, label: t(`rotation.objects.${value}`) }))}
          aria-label={t('rotation.object')}
        />
        <NumberInput
          label={t('rotation.days')}
          w={170}
          min={1}
          max={3650}
          allowDecimal={false}
          allowNegative={false}
          value={days}
          onChange={(value) => setDays(typeof value === 'number' && value >= 1 ? value : 1)}
        />
        <SegmentedControl size="xs" value={DAY_PRESETS.includes(String(days)) ? String(days) : ''} onChange={(value) => setDays(Number(value))} data={DAY_PRESETS} aria-label={t('rotation.presets')} />
        <UserPicker label={t('rotation.owner')} placeholder={t('rotation.anyOwner')} value={ownerId ?? ''} onChange={(value) => setOwnerId((value as string) || null)} w={220} />
        <TextInput label={t('rotation.search')} value={q} onChange={(event) => setQ(event.currentTarget.value)} w={200} />
        <Button variant={showFilters ? 'light' : 'default'} onClick={() => setShowFilters((shown) => !shown)} aria-expanded={showFilters}>
          {t('rotation.filters')}
        </Button>
      </Group>
      {showFilters && fields.data ? <FilterBuilder fields={fields.data} rows={rows} onChange={setRows} fieldLabel={labels.field} optionLabel={labels.option} renderPicker={renderRelationPicker} /> : null}
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed" data-testid="rotation-total">
          {total ? t('rotation.total', { count: total.value, more: total.exact ? '' : '+' }) : ''}
        </Text>
        {can('task', 'create') ? (
          <Button disabled={selected.size === 0} onClick={() => setFollowingUp(true)}>
            {t('rotation.followUp.button', { count: selected.size })}
          </Button>
        ) : null}
      </Group>
      <QueryStatus isPending={rotation.isPending} error={rotation.error} onRetry={() => void rotation.refetch()}>
        {items.length === 0 ? (
          <Text c="dimmed">{t('rotation.empty', { count: debouncedDays })}</Text>
        ) : (
          <DataTable
            label={t('rotation.title')}
            rows={items}
            columns={columns}
            rowId={(item) => item.id}
            selected={can('task', 'create') ? selected : undefined}
            onSelect={can('task', 'create') ? select : undefined}
            hasMore={rotation.hasNextPage}
            loadingMore={rotation.isFetchingNextPage}
            onLoadMore={() => void rotation.fetchNextPage()}
          />
        )}
      </QueryStatus>
      <FollowUpModal
        opened={followingUp}
        object={object}
        items={items.filter((item) => selected.has(item.id))}
        onClose={() => setFollowingUp(false)}
        onDone={(created) => select(created, false)}
      />
    </Stack>
  );
}

/** One task per chosen record for its owner: an optional common title and a due time (tomorrow morning by default). */
function FollowUpModal({ opened, object, items, onClose, onDone }: { opened: boolean; object: RotationObject; items: RotationItem[]; onClose: () => void; onDone: (createdIds: string[]) => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const followUps = useFollowUps();
  const [title, setTitle] = useState('');
  const [due, setDue] = useState(() => {
    const tomorrow = new Date();
    tomorrow.setDate(tomorrow.getDate() + 1);
    tomorrow.setHours(10, 0, 0, 0);
    return toLocalInput(tomorrow);
  });
  const [result, setResult] = useState<FollowUpResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const names = new Map(items.map((item) => [item.id, item.title]));

  const close = () => {
    setResult(null);
    setError(null);
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    followUps.mutate(
      { object, ids: items.map((item) => item.id), ...(title.trim() ? { title: title.trim() } : {}), dueAt: due ? new Date(due).toISOString() : null },
      {
        onSuccess: (answer) => {
          onDone(answer.created.map((entry) => entry.recordId));
          toast({ color: answer.failed.length > 0 ? 'yellow' : 'green', message: t('rotation.followUp.created', { count: answer.created.length }) });
          if (answer.failed.length > 0) setResult(answer);
          else close();
        },
        onError: (failure) => setError(errorText(failure)),
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title={t('rotation.followUp.title')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {result ? (
        <Stack gap="sm">
          <Alert color="orange" title={t('rotation.followUp.someFailed', { count: result.failed.length })}>
            <List size="sm">
              {result.failed.map((failure) => (
                <List.Item key={failure.id}>
                  {names.get(failure.id) ?? failure.id}: {t(`errors.${failure.code}`, { defaultValue: failure.message })}
                </List.Item>
              ))}
            </List>
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close}>{t('common.close')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack gap="sm">
            {error ? (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            ) : null}
            <Text size="sm">{t('rotation.followUp.intro', { count: items.length })}</Text>
            <TextInput label={t('rotation.followUp.taskTitle')} placeholder={t('rotation.followUp.defaultTitle')} value={title} onChange={(event) => setTitle(event.currentTarget.value)} />
            <TextInput type="datetime-local" label={t('rotation.followUp.due')} value={due} onChange={(event) => setDue(event.currentTarget.value)} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={followUps.isPending}>
                {t('rotation.followUp.submit', { count: items.length })}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
