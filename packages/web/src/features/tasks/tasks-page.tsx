import { TASK_DUE_FILTERS, TASK_PRIORITIES, TASK_STATUSES, TASK_VIEWS, type Task, type TaskListQuery } from '@rapport/shared';
import { Anchor, Button, Checkbox, Group, Paper, SegmentedControl, Select, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useCan } from '../../app/session';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { LoadMore } from '../../components/load-more';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { recordUrl } from '../records/objects';
import { PriorityBadge, StatusBadge } from './task-badges';
import { TaskCreateModal } from './task-create-modal';
import { TaskDrawer } from './task-drawer';
import { useDueText } from './use-due-text';
import { useTaskPages, useUpdateTask } from './use-tasks';

type View = (typeof TASK_VIEWS)[number];
type StatusFilter = NonNullable<TaskListQuery['status']>;

/** Filters live in the address, so a list can be bookmarked and the drawer's back button returns to it. */
function readFilters(params: URLSearchParams) {
  const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T | undefined) => {
    const value = params.get(key);
    return value && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
  };
  return {
    view: pick<View>('view', TASK_VIEWS, 'mine')!,
    status: pick<StatusFilter | 'any'>('status', [...TASK_STATUSES, 'active', 'any'], 'active'),
    priority: pick('priority', TASK_PRIORITIES, undefined),
    due: pick('due', TASK_DUE_FILTERS, undefined),
  };
}

/** Tasks: mine, ones I gave, ones I watch, or all I may see; filters by status, priority and due; overdue in red. */
export function TasksPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const [creating, setCreating] = useState(false);
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const query: Omit<TaskListQuery, 'cursor'> = {
    view: filters.view,
    ...(filters.status !== 'any' ? { status: filters.status } : {}),
    ...(filters.priority ? { priority: filters.priority } : {}),
    ...(filters.due ? { due: filters.due } : {}),
    ...(debouncedQ.trim() ? { q: debouncedQ.trim() } : {}),
  };
  const pages = useTaskPages(query);
  const tasks = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const setFilter = (key: string, value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const search = params.toString() ? `?${params.toString()}` : '';

  return (
    <>
      <PageHeader
        title={t('tasks.title')}
        description={t('tasks.description')}
        actions={
          can('task', 'create') ? (
            <Button leftSection={<Icon name="plus" size={16} />} onClick={() => setCreating(true)}>
              {t('tasks.create.button')}
            </Button>
          ) : null
        }
      />
      <Group gap="sm" mb="md" wrap="wrap" align="flex-end">
        <SegmentedControl value={filters.view} onChange={(value) => setFilter('view', value)} data={TASK_VIEWS.map((value) => ({ value, label: t(`tasks.views.${value}`) }))} aria-label={t('tasks.filters.view')} />
        <Select
          label={t('tasks.filters.status')}
          w={160}
          allowDeselect={false}
          data={(['active', ...TASK_STATUSES, 'any'] as const).map((value) => ({ value, label: t(value === 'active' || value === 'any' ? `tasks.filters.statuses.${value}` : `tasks.status.${value}`) }))}
          value={filters.status}
          onChange={(value) => setFilter('status', value)}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label={t('tasks.filters.priority')}
          w={150}
          clearable
          placeholder={t('tasks.filters.any')}
          data={TASK_PRIORITIES.map((value) => ({ value, label: t(`tasks.priority.${value}`) }))}
          value={filters.priority ?? null}
          onChange={(value) => setFilter('priority', value)}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label={t('tasks.filters.due')}
          w={160}
          clearable
          placeholder={t('tasks.filters.any')}
          data={TASK_DUE_FILTERS.map((value) => ({ value, label: t(`tasks.filters.dues.${value}`) }))}
          value={filters.due ?? null}
          onChange={(value) => setFilter('due', value)}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput label={t('tasks.filters.search')} w={220} value={q} onChange={(event) => setQ(event.currentTarget.value)} leftSection={<Icon name="search" size={14} />} />
      </Group>
      <QueryStatus isPending={pages.isPending} error={pages.error} onRetry={() => void pages.refetch()}>
        <Paper withBorder radius="md">
          {tasks.length === 0 ? (
            <Text c="dimmed" p="lg" ta="center">
              {t('tasks.empty')}
            </Text>
          ) : (
            <TaskTable tasks={tasks} search={search} />
          )}
        </Paper>
        <LoadMore hasMore={pages.hasNextPage} loading={pages.isFetchingNextPage} onLoad={() => void pages.fetchNextPage()} />
      </QueryStatus>
      <TaskCreateModal opened={creating} onClose={() => setCreating(false)} onCreated={(task) => void navigate(`/tasks/${task.id}${search}`)} />
      <TaskDrawer id={id} onClose={() => void navigate(`/tasks${search}`)} />
    </>
  );
}

function TaskTable({ tasks, search }: { tasks: Task[]; search: string }) {
  const { t } = useTranslation();
  const dueText = useDueText();
  const toast = useToast();
  const errorText = useErrorText();
  const update = useUpdateTask();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="xs" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={44}>
              <VisuallyHidden>{t('tasks.actions.complete')}</VisuallyHidden>
            </Table.Th>
            <Table.Th>{t('tasks.fields.title')}</Table.Th>
            <Table.Th>{t('tasks.fields.dueAt')}</Table.Th>
            <Table.Th>{t('tasks.fields.priority')}</Table.Th>
            <Table.Th>{t('tasks.fields.status')}</Table.Th>
            <Table.Th>{t('tasks.fields.assignee')}</Table.Th>
            <Table.Th>{t('tasks.fields.subject')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((task) => {
            const closed = task.status === 'done' || task.status === 'cancelled';
            return (
              <Table.Tr key={task.id} data-overdue={task.overdue || undefined} data-testid="task-row" bg={task.overdue ? 'var(--mantine-color-red-light)' : undefined}>
                <Table.Td>
                  <Checkbox
                    aria-label={t('tasks.actions.completeTask', { title: task.title })}
                    checked={task.status === 'done'}
                    disabled={!task.can.update || task.status === 'cancelled'}
                    onChange={(event) =>
                      update.mutate({ id: task.id, body: { status: event.currentTarget.checked ? 'done' : 'open', version: task.version } }, { onError: (error) => toast({ color: 'red', message: errorText(error) }) })
                    }
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Anchor component={Link} to={`/tasks/${task.id}${search}`} fw={500} td={closed ? 'line-through' : undefined} c={closed ? 'dimmed' : undefined}>
                      {task.title}
                    </Anchor>
                    {task.recurrence && !task.recurrence.endedAt ? (
                      <Text span c="grape" title={t('tasks.repeating')} aria-label={t('tasks.repeating')}>
                        <Icon name="rotate" size={14} />
                      </Text>
                    ) : null}
                    {task.checklist.length > 0 ? (
                      <Text span size="xs" c="dimmed">
                        {t('tasks.checklist.progress', { done: task.checklist.filter((item) => item.done).length, total: task.checklist.length })}
                      </Text>
                    ) : null}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={task.overdue ? 'red' : undefined} fw={task.overdue ? 600 : undefined}>
                    {dueText(task, '—')}
                    {task.overdue ? ` · ${t('tasks.overdue')}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <PriorityBadge priority={task.priority} />
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={task.status} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{task.ownerName ?? '—'}</Text>
                </Table.Td>
                <Table.Td>
                  {task.subject ? (
                    <Anchor component={Link} to={recordUrl(task.subject.type, task.subject.id)} size="sm">
                      {task.subject.title ?? t(`tasks.subjectTypes.${task.subject.type}`)}
                    </Anchor>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
