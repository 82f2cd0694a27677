import type { Task, TaskComment } from '@rapport/shared';
import { ActionIcon, Alert, Anchor, Badge, Button, Checkbox, Divider, Drawer, Group, Paper, Progress, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/api-client';
import { useMe } from '../../app/session';
import { ConfirmModal } from '../../components/confirm-modal';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { useFormat } from '../../i18n/use-format';
import { recordUrl } from '../records/objects';
import { buildUpdateBody, draftOfTask } from './task-draft';
import { TaskFields } from './task-fields';
import { PriorityBadge, StatusBadge } from './task-badges';
import { useTaskForm } from './use-task-form';
import { TaskProcessStep } from '../processes/task-process-step';
import { useTaskProcessStep } from '../processes/use-processes';
import { useAddComment, useDeleteComment, useDeleteTask, useTask, useTaskComments, useTickItem, useUpdateTask } from './use-tasks';

/** A task beside the list: its fields (editable for those who may), checklist, status actions and comments. */
export function TaskDrawer({ id, onClose }: { id: string | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const task = useTask(id);
  return (
    <Drawer opened={Boolean(id)} onClose={onClose} position="right" size="xl" title={t('tasks.drawer.title')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {id ? (
        <QueryStatus isPending={task.isPending} error={task.error} onRetry={() => void task.refetch()}>
          {task.data ? <TaskView key={`${task.data.id}:${task.data.version}`} task={task.data} onDeleted={onClose} /> : null}
        </QueryStatus>
      ) : null}
    </Drawer>
  );
}

function TaskView({ task, onDeleted }: { task: Task; onDeleted: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const toast = useToast();
  const errorText = useErrorText();
  const update = useUpdateTask();
  const remove = useDeleteTask();
  const [deleting, setDeleting] = useState(false);
  const [stopRepeating, setStopRepeating] = useState(false);
  const [stale, setStale] = useState(false);
  const form = useTaskForm(() => draftOfTask(task));
  // A process step with a form is completed with its form (below), which the process checks, not by the plain button.
  const step = useTaskProcessStep(task.id);
  const formStep = Boolean(step.data && step.data.status === 'open' && step.data.form.length > 0);

  const save = (body: Parameters<typeof update.mutate>[0]['body'], done?: string) =>
    update.mutate(
      { id: task.id, body },
      {
        onSuccess: () => toast({ color: 'green', message: done ?? t('tasks.drawer.saved') }),
        onError: (error) => {
          if (isApiError(error) && error.code === 'version_conflict') setStale(true);
          else form.fail(error);
        },
      },
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.check(new Date())) save(buildUpdateBody(form.draft, task));
  };

  const setStatus = (status: Task['status']) => save({ status, version: task.version }, t(`tasks.drawer.statusDone.${status}`));

  return (
    <Stack gap="md">
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap">
          <Title order={2} size="h3" style={{ overflowWrap: 'anywhere' }}>
            {task.title}
          </Title>
          <StatusBadge status={task.status} />
          <PriorityBadge priority={task.priority} />
          {task.overdue ? (
            <Badge color="red" variant="filled">
              {t('tasks.overdue')}
            </Badge>
          ) : null}
          {task.recurrence && !task.recurrence.endedAt ? (
            <Badge color="grape" variant="light" leftSection={<Icon name="rotate" size={12} />}>
              {t('tasks.repeating')}
            </Badge>
          ) : null}
        </Group>
        <Text size="sm" c="dimmed">
          {t('tasks.drawer.meta', { author: task.createdByName ?? t('common.none'), created: format.dateTime(task.createdAt) })}
          {task.subject ? (
            <>
              {' · '}
              <Anchor component={Link} to={recordUrl(task.subject.type, task.subject.id)} size="sm">
                {task.subject.title ?? t(`tasks.subjectTypes.${task.subject.type}`)}
              </Anchor>
            </>
          ) : null}
        </Text>
        {task.can.update ? (
          <Group gap="xs">
            {task.status === 'open' ? (
              <Button size="xs" variant="light" onClick={() => setStatus('in_progress')} loading={update.isPending}>
                {t('tasks.actions.start')}
              </Button>
            ) : null}
            {formStep ? null : task.status === 'open' || task.status === 'in_progress' ? (
              <Button size="xs" color="green" leftSection={<Icon name="check" size={14} />} onClick={() => setStatus('done')} loading={update.isPending}>
                {t('tasks.actions.complete')}
              </Button>
            ) : (
              <Button size="xs" variant="light" onClick={() => setStatus('open')} loading={update.isPending}>
                {t('tasks.actions.reopen')}
              </Button>
            )}
            {task.can.delete ? (
              <Button size="xs" variant="subtle" color="red" leftSection={<Icon name="trash" size={14} />} onClick={() => setDeleting(true)}>
                {t('common.delete')}
              </Button>
            ) : null}
          </Group>
        ) : null}
      </Stack>

      {stale ? (
        <Alert color="orange" role="alert" title={t('errors.version_conflict')}>
          <Text size="sm">{t('tasks.drawer.stale')}</Text>
        </Alert>
      ) : null}

      <TaskProcessStep taskId={task.id} canComplete={task.can.update} />

      <ChecklistPanel task={task} />

      <Paper withBorder radius="md" p="md">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            {form.formError ? (
              <Alert color="red" role="alert">
                {form.formError}
              </Alert>
            ) : null}
            <TaskFields draft={form.draft} set={form.set} replace={form.replace} errors={form.errors} withStatus withChecklist={false} readOnly={!task.can.update} />
            {task.can.update ? (
              <Group justify="flex-end">
                <Button type="submit" loading={update.isPending}>
                  {t('common.save')}
                </Button>
              </Group>
            ) : (
              <Text size="xs" c="dimmed">
                {t('tasks.drawer.readOnly')}
              </Text>
            )}
          </Stack>
        </form>
      </Paper>

      <Comments task={task} />

      <ConfirmModal
        opened={deleting}
        title={t('tasks.drawer.deleteTitle')}
        message={t('tasks.drawer.deleteText', { title: task.title })}
        confirmLabel={t('common.delete')}
        loading={remove.isPending}
        onClose={() => setDeleting(false)}
        onConfirm={() =>
          // The promise, not mutate's callbacks: the live "deleted" event can refetch the task (now 404) and unmount
          // this view before the answer arrives, and mutate's callbacks are dropped for an unmounted view.
          void remove.mutateAsync({ id: task.id, stopRepeating }).then(
            () => {
              setDeleting(false);
              toast({ color: 'green', message: t('tasks.drawer.deleted') });
              onDeleted();
            },
            (error: unknown) => {
              setDeleting(false);
              toast({ color: 'red', message: errorText(error) });
            },
          )
        }
      >
        {task.recurrence && !task.recurrence.endedAt ? (
          <Checkbox mb="lg" label={t('tasks.drawer.stopRepeating')} checked={stopRepeating} onChange={(event) => setStopRepeating(event.currentTarget.checked)} />
        ) : null}
      </ConfirmModal>
    </Stack>
  );
}

/** Items ticked one by one (no version: people work down one list together); editors also add and remove items. */
function ChecklistPanel({ task }: { task: Task }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const tick = useTickItem();
  const update = useUpdateTask();
  const [text, setText] = useState('');
  const me = useMe();
  const mayTick = task.can.update || task.members.some((member) => member.userId === me.user.id && member.role === 'co_executor');
  const done = task.checklist.filter((item) => item.done).length;
  const onError = (error: unknown) => toast({ color: 'red', message: errorText(error) });
  const setItems = (items: { id?: string; text: string; done: boolean }[]) => update.mutate({ id: task.id, body: { checklist: items, version: task.version } }, { onError });

  if (task.checklist.length === 0 && !task.can.update) return null;
  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          {t('tasks.fields.checklist')}
        </Title>
        {task.checklist.length > 0 ? (
          <Text size="sm" c="dimmed" data-testid="checklist-progress">
            {t('tasks.checklist.progress', { done, total: task.checklist.length })}
          </Text>
        ) : null}
      </Group>
      {task.checklist.length > 0 ? <Progress value={(done / task.checklist.length) * 100} size="sm" mb="sm" color={done === task.checklist.length ? 'green' : 'blue'} aria-label={t('tasks.fields.checklist')} /> : null}
      <Stack gap={6}>
        {task.checklist.map((item) => (
          <Group key={item.id} justify="space-between" wrap="nowrap">
            <Checkbox
              label={item.text}
              checked={item.done}
              disabled={!mayTick}
              onChange={(event) => tick.mutate({ id: task.id, itemId: item.id, body: { done: event.currentTarget.checked } }, { onError })}
              styles={{ label: { textDecoration: item.done ? 'line-through' : undefined } }}
            />
            {task.can.update ? (
              <ActionIcon variant="subtle" color="gray" aria-label={t('tasks.checklist.removeItem', { item: item.text })} onClick={() => setItems(task.checklist.filter((entry) => entry.id !== item.id))}>
                <Icon name="trash" size={14} />
              </ActionIcon>
            ) : null}
          </Group>
        ))}
      </Stack>
      {task.can.update ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (text.trim() === '') return;
            setItems([...task.checklist, { text: text.trim(), done: false }]);
            setText('');
          }}
        >
          <Group gap="xs" mt="sm" wrap="nowrap">
            <TextInput style={{ flex: 1 }} size="xs" placeholder={t('tasks.checklist.newItem')} aria-label={t('tasks.checklist.newItem')} value={text} onChange={(event) => setText(event.currentTarget.value)} />
            <Button size="xs" variant="light" type="submit" loading={update.isPending}>
              {t('tasks.checklist.add')}
            </Button>
          </Group>
        </form>
      ) : null}
    </Paper>
  );
}

/** A comment's opening words, to say which one a confirmation is about. */
const excerpt = (body: string) => (body.length > 60 ? `${body.slice(0, 60).trimEnd()}…` : body);

function Comments({ task }: { task: Task }) {
  const { t } = useTranslation();
  const format = useFormat();
  const toast = useToast();
  const errorText = useErrorText();
  const comments = useTaskComments(task.id);
  const add = useAddComment(task.id);
  const remove = useDeleteComment(task.id);
  const [body, setBody] = useState('');
  const [deleting, setDeleting] = useState<TaskComment | null>(null);
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={3} size="h5" mb="xs">
        {t('tasks.comments.title')}
      </Title>
      <Stack gap="xs">
        {(comments.data?.items ?? []).map((comment) => (
          <Stack key={comment.id} gap={2} data-testid="task-comment">
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Text size="xs" c="dimmed">
                {comment.authorName ?? t('common.none')} · {format.dateTime(comment.createdAt)}
              </Text>
              {comment.canDelete ? (
                <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('tasks.comments.delete', { author: comment.authorName ?? t('common.none') })} onClick={() => setDeleting(comment)}>
                  <Icon name="trash" size={14} />
                </ActionIcon>
              ) : null}
            </Group>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {comment.body}
            </Text>
            <Divider />
          </Stack>
        ))}
        {comments.data && comments.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('tasks.comments.empty')}
          </Text>
        ) : null}
        {task.can.comment ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (body.trim() === '') return;
              add.mutate(body.trim(), { onSuccess: () => setBody(''), onError: (error) => toast({ color: 'red', message: errorText(error) }) });
            }}
          >
            <Stack gap="xs">
              <Textarea aria-label={t('tasks.comments.new')} placeholder={t('tasks.comments.new')} autosize minRows={2} value={body} onChange={(event) => setBody(event.currentTarget.value)} />
              <Group justify="flex-end">
                <Button size="xs" type="submit" loading={add.isPending} disabled={body.trim() === ''}>
                  {t('tasks.comments.send')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : null}
      </Stack>
      <ConfirmModal
        opened={deleting !== null}
        title={t('tasks.comments.deleteTitle')}
        message={t('tasks.comments.deleteText', { excerpt: excerpt(deleting?.body ?? '') })}
        confirmLabel={t('common.delete')}
        loading={remove.isPending}
        onClose={() => setDeleting(null)}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting.id, {
            onSuccess: () => toast({ color: 'green', message: t('tasks.comments.deleted') }),
            onError: (error) => toast({ color: 'red', message: errorText(error) }),
            onSettled: () => setDeleting(null),
          })
        }
      />
    </Paper>
  );
}
