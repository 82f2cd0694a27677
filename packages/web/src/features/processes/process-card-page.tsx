import type { ProcessEvent, ProcessInstanceCard, ProcessUserTask } from '@rapport/shared';
import { Alert, Anchor, Badge, Button, Grid, Group, Modal, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Textarea, Timeline, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCan } from '../../app/session';
import { ConfirmModal } from '../../components/confirm-modal';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { useFormat } from '../../i18n/use-format';
import { UserPicker } from '../records/pickers';
import { recordUrl } from '../records/objects';
import { InstanceStateBadge } from './instance-state-badge';
import { ProcessMap } from './process-map';
import { ProcessVariables, VariableValue } from './process-variables';
import { useAddProcessComment, useInstanceAction, useInstanceMarks, useProcessComments, useProcessInstance, useProcessVersion, useReassignProcessTask } from './use-processes';

/**
 * The process card: one instance's facts, where it is on its map, its variables and tasks, what happened so far, and
 * people's comments and questions; with the right to change it, the actions that steer it.
 */
export function ProcessCardPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const instance = useProcessInstance(id);
  const data = instance.data;
  const version = useProcessVersion(data?.definitionId, data?.definitionVersion);
  const marks = useInstanceMarks(id, data?.state === 'running');
  const can = useCan();
  const canAct = can('process', 'update');
  return (
    <QueryStatus isPending={instance.isPending} error={instance.error} onRetry={() => void instance.refetch()}>
      {data ? (
        <>
          <PageHeader
            title={`${data.definitionName} · ${t('processes.latestVersion', { version: data.definitionVersion })}`}
            description={
              <Anchor component={Link} to={`/processes/instances?definitionId=${data.definitionId}`} size="sm">
                {t('processes.backToInstances')}
              </Anchor>
            }
            actions={
              <Group gap="xs">
                <InstanceStateBadge state={data.state} />
                {canAct ? <InstanceActions instance={data} /> : null}
              </Group>
            }
          />
          <InstanceFacts instance={data} />
          <FailedSteps instance={data} canRetry={canAct} />
          <Paper withBorder radius="md" p="xs" mb="md">
            <QueryStatus isPending={version.isPending || marks.isPending} error={version.error ?? marks.error}>
              {version.data ? <ProcessMap xml={version.data.xml} marks={marks.data ?? []} counts={false} /> : null}
            </QueryStatus>
          </Paper>
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 7 }}>
              <Stack gap="md">
                <ProcessVariables instance={data} canEdit={canAct && data.state !== 'completed' && data.state !== 'cancelled'} />
                <InstanceTasks instance={data} canReassign={canAct} />
                <InstanceHistory instance={data} />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <InstanceComments instanceId={data.id} />
            </Grid.Col>
          </Grid>
        </>
      ) : null}
    </QueryStatus>
  );
}

function InstanceFacts({ instance }: { instance: ProcessInstanceCard }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <SimpleGrid cols={{ base: 1, sm: 4 }} mb="md">
      <Fact label={t('processes.columns.started')}>
        <Text size="sm">{format.dateTime(instance.startedAt)}</Text>
        {instance.startedByName ? (
          <Text size="xs" c="dimmed">
            {t('processes.card.startedBy', { name: instance.startedByName })}
          </Text>
        ) : null}
      </Fact>
      <Fact label={t('processes.columns.ended')}>
        <Text size="sm">{instance.endedAt ? format.dateTime(instance.endedAt) : '—'}</Text>
      </Fact>
      <Fact label={t('processes.columns.record')}>
        {instance.record ? (
          <Anchor component={Link} to={recordUrl(instance.record.type, instance.record.id)} size="sm" data-testid="instance-record">
            {instance.recordTitle ?? t(`processes.recordTypes.${instance.record.type}`)}
          </Anchor>
        ) : (
          <Text size="sm">—</Text>
        )}
      </Fact>
      <Fact label={t('processes.card.current')}>
        <Text size="sm">
          {instance.tokens
            .filter((token) => token.state === 'waiting')
            .map((token) => token.elementName ?? token.elementId)
            .join(', ') || '—'}
        </Text>
      </Fact>
    </SimpleGrid>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {children}
    </Stack>
  );
}

/** The steps that failed, each with its error; retry runs them again. */
function FailedSteps({ instance, canRetry }: { instance: ProcessInstanceCard; canRetry: boolean }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const action = useInstanceAction(instance.id);
  const failed = instance.tokens.filter((token) => token.state === 'failed');
  if (instance.state !== 'failed' && failed.length === 0) return null;
  return (
    <Alert color="red" title={t('processes.failedStep')} mb="md" data-testid="failed-steps">
      <Stack gap={4}>
        {failed.length === 0 && instance.error ? <Text size="sm">{instance.error}</Text> : null}
        {failed.map((token) => (
          <Text key={token.id} size="sm">
            <b>{token.elementName ?? token.elementId}</b>: {token.error ?? instance.error}
          </Text>
        ))}
        {canRetry && instance.state === 'failed' ? (
          <Group>
            <Button size="xs" color="red" variant="light" leftSection={<Icon name="rotate" size={14} />} loading={action.isPending} onClick={() => action.mutate('retry', { onSuccess: () => toast({ color: 'green', message: t('processes.card.done.retry') }), onError: (error) => toast({ color: 'red', message: errorText(error) }) })}>
              {t('processes.card.actions.retry')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Alert>
  );
}

function InstanceActions({ instance }: { instance: ProcessInstanceCard }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const action = useInstanceAction(instance.id);
  const [cancelling, setCancelling] = useState(false);
  const run = (name: 'suspend' | 'resume' | 'cancel') =>
    action.mutate(name, {
      onSuccess: () => toast({ color: 'green', message: t(`processes.card.done.${name}`) }),
      onError: (error) => toast({ color: 'red', message: errorText(error) }),
      onSettled: () => setCancelling(false),
    });
  const live = instance.state === 'running' || instance.state === 'suspended' || instance.state === 'failed';
  return (
    <>
      {instance.state === 'running' ? (
        <Button size="xs" variant="default" loading={action.isPending} onClick={() => run('suspend')}>
          {t('processes.card.actions.suspend')}
        </Button>
      ) : null}
      {instance.state === 'suspended' ? (
        <Button size="xs" variant="default" loading={action.isPending} onClick={() => run('resume')}>
          {t('processes.card.actions.resume')}
        </Button>
      ) : null}
      {live ? (
        <Button size="xs" variant="light" color="red" onClick={() => setCancelling(true)}>
          {t('processes.card.actions.cancel')}
        </Button>
      ) : null}
      <ConfirmModal opened={cancelling} title={t('processes.card.cancelTitle')} message={t('processes.card.cancelText', { name: instance.definitionName })} confirmLabel={t('processes.card.actions.cancel')} loading={action.isPending} onClose={() => setCancelling(false)} onConfirm={() => run('cancel')} />
    </>
  );
}

const TASK_COLORS: Record<ProcessUserTask['status'], string> = { open: 'blue', done: 'green', cancelled: 'gray' };

function InstanceTasks({ instance, canReassign }: { instance: ProcessInstanceCard; canReassign: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [reassigning, setReassigning] = useState<ProcessUserTask | null>(null);
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="process-tasks-heading">
      <Title order={2} size="h4" id="process-tasks-heading" mb="xs">
        {t('processes.card.tasks')}
      </Title>
      {instance.tasks.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('processes.card.noTasks')}
        </Text>
      ) : (
        <Table verticalSpacing={6} aria-labelledby="process-tasks-heading">
          <Table.Tbody>
            {instance.tasks.map((task) => (
              <Table.Tr key={task.taskId} data-testid="process-task">
                <Table.Td>
                  <Anchor component={Link} to={`/tasks/${task.taskId}`} size="sm" fw={500}>
                    {task.title}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {task.completedAt ? t('processes.card.taskClosed', { at: format.dateTime(task.completedAt) }) : t('processes.card.taskCreated', { at: format.dateTime(task.createdAt) })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{task.assigneeName ?? '—'}</Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={TASK_COLORS[task.status]}>
                    {t(`processes.card.taskStatus.${task.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">
                  {canReassign && task.status === 'open' ? (
                    <Button size="compact-xs" variant="subtle" onClick={() => setReassigning(task)}>
                      {t('processes.card.reassign')}
                    </Button>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {reassigning ? <ReassignModal instanceId={instance.id} task={reassigning} onClose={() => setReassigning(null)} /> : null}
    </Paper>
  );
}

function ReassignModal({ instanceId, task, onClose }: { instanceId: string; task: ProcessUserTask; onClose: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const reassign = useReassignProcessTask(instanceId);
  const [assigneeId, setAssigneeId] = useState(task.assigneeId);
  return (
    <Modal opened onClose={onClose} title={t('processes.card.reassignTitle', { title: task.title })}>
      <Stack>
        <UserPicker label={t('processes.card.assignee')} value={assigneeId} onChange={(value) => setAssigneeId(value as string)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            loading={reassign.isPending}
            disabled={!assigneeId || assigneeId === task.assigneeId}
            onClick={() =>
              reassign.mutate(
                { taskId: task.taskId, assigneeId },
                {
                  onSuccess: () => {
                    toast({ color: 'green', message: t('processes.card.reassigned') });
                    onClose();
                  },
                  onError: (error) => toast({ color: 'red', message: errorText(error) }),
                },
              )
            }
          >
            {t('processes.card.reassign')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** What the engine logged, oldest first, in words: each kind has its sentence, with the element and the person. */
function InstanceHistory({ instance }: { instance: ProcessInstanceCard }) {
  const { t } = useTranslation();
  const format = useFormat();
  const names = new Map(instance.tokens.map((token) => [token.elementId, token.elementName]));
  const element = (event: ProcessEvent) => (event.elementId ? (names.get(event.elementId) ?? event.elementId) : '');
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="process-history-heading">
      <Title order={2} size="h4" id="process-history-heading" mb="sm">
        {t('processes.card.history')}
      </Title>
      <Timeline bulletSize={14} lineWidth={2} active={instance.history.length}>
        {instance.history.map((event) => (
          <Timeline.Item key={event.id} color={event.kind === 'failed' || event.kind === 'action_failed' ? 'red' : event.kind === 'completed' ? 'green' : 'blue'} data-testid="history-event" data-kind={event.kind}>
            <Text size="sm">{t(`processes.events.${event.kind}`, { defaultValue: event.kind, element: element(event), ...eventDetails(event) })}</Text>
            <EventData event={event} />
            <Text size="xs" c="dimmed">
              {format.dateTime(event.at)}
              {event.userName ? ` · ${event.userName}` : ''}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Paper>
  );
}

/** The words a sentence of the history takes from its event's data. */
function eventDetails(event: ProcessEvent): Record<string, string> {
  const data = event.data;
  const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
  return { error: text(data.error), name: text(data.name), action: text(data.action), attempt: text(data.attempt), from: text(data.from), to: text(data.to) };
}

/** Values an event carries: a form's values, changed variables. */
function EventData({ event }: { event: ProcessEvent }) {
  const values = event.kind === 'task_completed' ? (event.data.values as Record<string, unknown> | undefined) : event.kind === 'variables_changed' ? mapChanges(event.data.changes) : undefined;
  if (!values || Object.keys(values).length === 0) return null;
  return (
    <Stack gap={0} my={2}>
      {Object.entries(values).map(([name, value]) => (
        <Group key={name} gap={6} wrap="nowrap" align="flex-start">
          <Text size="xs" ff="monospace" c="dimmed">
            {name}:
          </Text>
          {value === null ? <Text size="xs">—</Text> : <VariableValue value={value} />}
        </Group>
      ))}
    </Stack>
  );
}

function mapChanges(changes: unknown): Record<string, unknown> | undefined {
  if (!changes || typeof changes !== 'object') return undefined;
  return Object.fromEntries(Object.entries(changes as Record<string, { to?: unknown }>).map(([name, change]) => [name, change.to ?? null]));
}

function InstanceComments({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const toast = useToast();
  const errorText = useErrorText();
  const comments = useProcessComments(instanceId);
  const add = useAddProcessComment(instanceId);
  const [body, setBody] = useState('');
  const [kind, setKind] = useState<'comment' | 'question'>('comment');
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="process-comments-heading">
      <Title order={2} size="h4" id="process-comments-heading" mb="xs">
        {t('processes.comments.title')}
      </Title>
      <QueryStatus isPending={comments.isPending} error={comments.error}>
        <Stack gap="xs">
          {(comments.data ?? []).map((comment) => (
            <Stack key={comment.id} gap={2} data-testid="process-comment">
              <Group gap={6}>
                {comment.kind === 'question' ? (
                  <Badge size="xs" color="grape" variant="light">
                    {t('processes.comments.question')}
                  </Badge>
                ) : null}
                <Text size="xs" c="dimmed">
                  {comment.authorName ?? '—'} · {format.dateTime(comment.createdAt)}
                </Text>
              </Group>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {comment.body}
              </Text>
            </Stack>
          ))}
          {comments.data?.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('processes.comments.empty')}
            </Text>
          ) : null}
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (body.trim() === '') return;
              add.mutate({ kind, body: body.trim() }, { onSuccess: () => setBody(''), onError: (error) => toast({ color: 'red', message: errorText(error) }) });
            }}
          >
            <Stack gap="xs">
              <SegmentedControl
                size="xs"
                data={[
                  { value: 'comment', label: t('processes.comments.comment') },
                  { value: 'question', label: t('processes.comments.question') },
                ]}
                value={kind}
                onChange={(value) => setKind(value as 'comment' | 'question')}
              />
              <Textarea aria-label={t('processes.comments.new')} placeholder={t(kind === 'question' ? 'processes.comments.newQuestion' : 'processes.comments.new')} autosize minRows={2} maxLength={10_000} value={body} onChange={(event) => setBody(event.currentTarget.value)} />
              <Group justify="flex-end">
                <Button size="xs" type="submit" loading={add.isPending} disabled={body.trim() === ''}>
                  {t('processes.comments.send')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Stack>
      </QueryStatus>
    </Paper>
  );
}
