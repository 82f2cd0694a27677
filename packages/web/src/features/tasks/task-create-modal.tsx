import type { Task, TaskSubjectInput } from '@rapport/shared';
import { Alert, Button, Group, Modal, Select, Stack } from '@mantine/core';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan, useMe } from '../../app/session';
import { useToast } from '../../components/toast-center';
import { applyTemplate, buildTaskBody, newTaskDraft } from './task-draft';
import { TaskFields } from './task-fields';
import { useTaskForm } from './use-task-form';
import { useCreateTask, useTaskTemplates } from './use-tasks';

/** "New task": blank, from a template, or about a record (prefilled from its card). */
export function TaskCreateModal({ opened, subject, onClose, onCreated }: { opened: boolean; subject?: TaskSubjectInput | null; onClose: () => void; onCreated?: (task: Task) => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} size="lg" title={t('tasks.create.title')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {opened ? <CreateForm subject={subject ?? null} onDone={onClose} onCreated={onCreated} /> : null}
    </Modal>
  );
}

function CreateForm({ subject, onDone, onCreated }: { subject: TaskSubjectInput | null; onDone: () => void; onCreated: ((task: Task) => void) | undefined }) {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const toast = useToast();
  const create = useCreateTask();
  const templates = useTaskTemplates(can('task', 'read'));
  const form = useTaskForm(() => newTaskDraft({ ownerId: me.user.id, subject, now: new Date() }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form.check(new Date())) return;
    create.mutate(buildTaskBody(form.draft), {
      onSuccess: (task) => {
        toast({ color: 'green', message: t('tasks.create.done', { title: task.title }) });
        onCreated?.(task);
        onDone();
      },
      onError: form.fail,
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {form.formError ? (
          <Alert color="red" role="alert">
            {form.formError}
          </Alert>
        ) : null}
        {templates.data && templates.data.length > 0 ? (
          <Select
            label={t('tasks.create.template')}
            placeholder={t('tasks.create.noTemplate')}
            clearable
            data={templates.data.map((template) => ({ value: template.id, label: template.name }))}
            value={form.draft.templateId}
            onChange={(id) => {
              const template = templates.data.find((item) => item.id === id);
              form.setDraft((current) => (template ? applyTemplate(current, template, new Date()) : { ...current, templateId: null }));
            }}
            comboboxProps={{ withinPortal: true }}
          />
        ) : null}
        <TaskFields draft={form.draft} set={form.set} replace={form.replace} errors={form.errors} withStatus={false} withChecklist readOnly={false} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('tasks.create.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
