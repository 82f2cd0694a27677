import { TASK_PRIORITIES, type TaskTemplate } from '@rapport/shared';
import { ActionIcon, Alert, Button, Card, Group, Modal, NumberInput, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session';
import { ConfirmModal } from '../../components/confirm-modal';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { useToast } from '../../components/toast-center';
import { useForm } from '../../components/use-form';
import { UserPicker } from '../records/pickers';
import { useDeleteTemplate, useSaveTaskSettings, useSaveTemplate, useTaskSettings, useTaskTemplates } from './use-tasks';

/** Settings › Tasks: when an overdue task goes to the manager, and the workspace's task templates. */
export function TaskSettingsPage() {
  const { t } = useTranslation();
  const can = useCan();
  return (
    <>
      <PageHeader title={t('tasks.settings.title')} description={t('tasks.settings.description')} />
      <Stack maw={860} gap="md">
        {can('settings', 'read') ? <EscalationCard editable={can('settings', 'update')} /> : null}
        {can('task', 'read') ? <TemplatesCard /> : null}
      </Stack>
    </>
  );
}

function EscalationCard({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const settings = useTaskSettings(true);
  const save = useSaveTaskSettings();
  const [hours, setHours] = useState<number | ''>('');
  const [touched, setTouched] = useState(false);
  const current = settings.data?.overdueEscalationHours ?? null;
  const shown = touched ? hours : (current ?? '');
  return (
    <Card withBorder radius="md" padding="lg">
      <Title order={2} size="h4" mb={4}>
        {t('tasks.settings.escalation')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('tasks.settings.escalationHint')}
      </Text>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate(shown === '' ? null : shown, {
            onSuccess: () => {
              setTouched(false);
              toast({ color: 'green', message: t('tasks.settings.saved') });
            },
            onError: (error) => toast({ color: 'red', message: errorText(error) }),
          });
        }}
      >
        <Group align="flex-end" gap="sm">
          <NumberInput
            label={t('tasks.settings.hours')}
            placeholder={t('tasks.settings.never')}
            min={0}
            max={8760}
            w={200}
            value={shown}
            disabled={!editable}
            onChange={(value) => {
              setTouched(true);
              setHours(typeof value === 'number' ? Math.floor(value) : '');
            }}
          />
          {editable ? (
            <Button type="submit" loading={save.isPending} disabled={!touched}>
              {t('common.save')}
            </Button>
          ) : null}
        </Group>
      </form>
    </Card>
  );
}

function TemplatesCard() {
  const { t } = useTranslation();
  const can = useCan();
  const toast = useToast();
  const errorText = useErrorText();
  const templates = useTaskTemplates();
  const remove = useDeleteTemplate();
  const [editing, setEditing] = useState<TaskTemplate | 'new' | null>(null);
  const [deleting, setDeleting] = useState<TaskTemplate | null>(null);
  return (
    <Card withBorder radius="md" padding="lg">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('tasks.templates.title')}
        </Title>
        {can('task', 'create') ? (
          <Button size="xs" leftSection={<Icon name="plus" size={14} />} onClick={() => setEditing('new')}>
            {t('tasks.templates.new')}
          </Button>
        ) : null}
      </Group>
      {(templates.data ?? []).length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('tasks.templates.empty')}
        </Text>
      ) : (
        <Table>
          <Table.Tbody>
            {(templates.data ?? []).map((template) => (
              <Table.Tr key={template.id}>
                <Table.Td>
                  <Text fw={500}>{template.name}</Text>
                  <Text size="xs" c="dimmed">
                    {template.title}
                    {template.checklist.length > 0 ? ` · ${t('tasks.templates.items', { count: template.checklist.length })}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td w={96}>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <ActionIcon variant="subtle" aria-label={t('tasks.templates.edit', { name: template.name })} onClick={() => setEditing(template)}>
                      <Icon name="pencil" size={16} />
                    </ActionIcon>
                    <ActionIcon variant="subtle" color="red" aria-label={t('tasks.templates.delete', { name: template.name })} onClick={() => setDeleting(template)}>
                      <Icon name="trash" size={16} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={t(editing === 'new' ? 'tasks.templates.new' : 'tasks.templates.editTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
        {editing ? <TemplateForm template={editing === 'new' ? null : editing} onDone={() => setEditing(null)} /> : null}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title={t('tasks.templates.deleteTitle')}
        message={t('tasks.templates.deleteText', { name: deleting?.name ?? '' })}
        confirmLabel={t('common.delete')}
        loading={remove.isPending}
        onClose={() => setDeleting(null)}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting.id, {
            onSuccess: () => setDeleting(null),
            onError: (error) => {
              setDeleting(null);
              toast({ color: 'red', message: errorText(error) });
            },
          })
        }
      />
    </Card>
  );
}

function TemplateForm({ template, onDone }: { template: TaskTemplate | null; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSaveTemplate();
  const form = useForm({
    name: template?.name ?? '',
    title: template?.title ?? '',
    description: template?.description ?? '',
    priority: template?.priority ?? 'normal',
    checklist: (template?.checklist ?? []).map((item) => item.text).join('\n'),
    dueDays: template?.dueOffsetMinutes === null || template === null ? ('' as number | '') : template.dueOffsetMinutes / 1440,
    assigneeId: template?.assigneeId ?? '',
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { values } = form;
    const body = {
      name: values.name.trim(),
      title: values.title.trim(),
      description: values.description.trim() || null,
      priority: values.priority,
      checklist: values.checklist
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .map((text) => ({ text })),
      dueOffsetMinutes: values.dueDays === '' ? null : Math.round(values.dueDays * 1440),
      assigneeId: values.assigneeId || null,
    };
    save.mutate({ ...(template ? { id: template.id } : {}), body: template ? { ...body, version: template.version } : body }, { onSuccess: onDone, onError: form.fail });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {form.formError ? (
          <Alert color="red" role="alert">
            {form.formError}
          </Alert>
        ) : null}
        <TextInput label={t('tasks.templates.name')} required value={form.values.name} onChange={(event) => form.set('name', event.currentTarget.value)} error={form.errors.name} />
        <TextInput label={t('tasks.fields.title')} required value={form.values.title} onChange={(event) => form.set('title', event.currentTarget.value)} error={form.errors.title} />
        <Textarea label={t('tasks.fields.description')} autosize minRows={2} value={form.values.description} onChange={(event) => form.set('description', event.currentTarget.value)} />
        <Group grow>
          <Select
            label={t('tasks.fields.priority')}
            allowDeselect={false}
            data={TASK_PRIORITIES.map((value) => ({ value, label: t(`tasks.priority.${value}`) }))}
            value={form.values.priority}
            onChange={(value) => value && form.set('priority', value as typeof form.values.priority)}
            comboboxProps={{ withinPortal: true }}
          />
          <NumberInput label={t('tasks.templates.dueDays')} min={0} max={365} decimalScale={2} value={form.values.dueDays} onChange={(value) => form.set('dueDays', typeof value === 'number' ? value : '')} error={form.errors.dueOffsetMinutes} />
        </Group>
        <UserPicker label={t('tasks.templates.assignee')} value={form.values.assigneeId} onChange={(value) => form.set('assigneeId', value as string)} error={form.errors.assigneeId} />
        <Textarea label={t('tasks.templates.checklist')} description={t('tasks.templates.checklistHint')} autosize minRows={3} value={form.values.checklist} onChange={(event) => form.set('checklist', event.currentTarget.value)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
