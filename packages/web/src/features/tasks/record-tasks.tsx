import type { ClientObject } from '@rapport/shared';
import { Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session';
import { Icon } from '../../components/icons';
import { PriorityBadge } from './task-badges';
import { TaskCreateModal } from './task-create-modal';
import { useDueText } from './use-due-text';
import { useTaskPages } from './use-tasks';

/** A card's open tasks about its record, and "New task" with the record filled in. */
export function RecordTasks({ object, id }: { object: ClientObject; id: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const dueText = useDueText();
  const [creating, setCreating] = useState(false);
  const tasks = useTaskPages({ view: 'all', status: 'active', subjectType: object, subjectId: id, limit: 20 }, can('task', 'read'));
  if (!can('task', 'read')) return null;
  const items = tasks.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="record-tasks-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="record-tasks-heading">
          {t('tasks.card.title')}
        </Title>
        {can('task', 'create') ? (
          <Button size="compact-sm" variant="light" leftSection={<Icon name="plus" size={14} />} onClick={() => setCreating(true)}>
            {t('tasks.create.button')}
          </Button>
        ) : null}
      </Group>
      <Stack gap={6}>
        {items.map((task) => (
          <Group key={task.id} justify="space-between" wrap="nowrap" gap="xs" data-testid="record-task">
            <Anchor component={Link} to={`/tasks/${task.id}`} size="sm" style={{ overflowWrap: 'anywhere', flex: 1, minWidth: 0 }}>
              {task.title}
            </Anchor>
            <Group gap={6} wrap="nowrap" style={{ flexShrink: 0 }}>
              {task.priority === 'high' || task.priority === 'urgent' ? <PriorityBadge priority={task.priority} /> : null}
              <Text size="xs" c={task.overdue ? 'red' : 'dimmed'} fw={task.overdue ? 600 : undefined} style={{ whiteSpace: 'nowrap' }}>
                {dueText(task, t('tasks.noDue'))}
              </Text>
            </Group>
          </Group>
        ))}
        {tasks.data && items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('tasks.card.empty')}
          </Text>
        ) : null}
      </Stack>
      <TaskCreateModal opened={creating} subject={{ type: object, id }} onClose={() => setCreating(false)} />
    </Paper>
  );
}
