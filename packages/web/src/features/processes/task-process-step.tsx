import type { ProcessTaskContext } from '@rapport/shared';
import { Alert, Anchor, Button, Checkbox, Group, NumberInput, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useErrorText, useFieldErrors } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { useToast } from '../../components/toast-center';
import { useCompleteProcessTask, useTaskProcessStep } from './use-processes';

type Field = ProcessTaskContext['form'][number];

/** The value typed into a form field, as the process takes it; undefined when left empty. */
function fieldValue(field: Field, text: string): unknown {
  if (field.type === 'boolean') return text === 'true';
  if (text.trim() === '') return undefined;
  if (field.type === 'number') return Number(text);
  // A datetime-local input has no zone: it is the user's local time.
  if (field.type === 'datetime') return new Date(text).toISOString();
  return text;
}

/**
 * On a task's card, when the task is a step of a process: which process (with a link to its card) and, while the task
 * is open, the step's form; completing it sends the values to the process, which checks them and moves on.
 */
export function TaskProcessStep({ taskId, canComplete }: { taskId: string; canComplete: boolean }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const fieldErrors = useFieldErrors();
  const step = useTaskProcessStep(taskId);
  const complete = useCompleteProcessTask();
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const data = step.data;
  if (!data) return null;
  const open = data.status === 'open' && (data.instanceState === 'running' || data.instanceState === 'failed');

  const submit = () => {
    const found: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    for (const field of data.form) {
      const value = fieldValue(field, texts[field.key] ?? '');
      if (value === undefined && field.required) found[field.key] = t('fieldErrors.required');
      else if (typeof value === 'number' && !Number.isFinite(value)) found[field.key] = t('fieldErrors.number');
      else if (value !== undefined) values[field.key] = value;
    }
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    // The promise, not mutate's callbacks: the refreshed task list can remount the drawer's view before the answer is
    // handled, and mutate's callbacks are dropped for an unmounted view.
    void complete.mutateAsync({ instanceId: data.instanceId, taskId, data: values }).then(
      () => toast({ color: 'green', message: t('processes.step.completed') }),
      (error: unknown) => {
        const byField = Object.fromEntries(Object.entries(fieldErrors(error)).map(([path, message]) => [path.replace(/^data\./, ''), message]));
        setErrors(byField);
        if (Object.keys(byField).length === 0) setFailure(errorText(error));
      },
    );
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="task-process-heading" data-testid="task-process-step">
      <Group gap="xs" mb="xs">
        <Icon name="flow" size={16} />
        <Title order={3} size="h5" id="task-process-heading">
          {t('processes.step.title')}
        </Title>
      </Group>
      <Text size="sm" mb="sm">
        <Anchor component={Link} to={`/processes/instances/${data.instanceId}`}>
          {data.definitionName}
        </Anchor>{' '}
        <Text span size="xs" c="dimmed">
          {t('processes.latestVersion', { version: data.definitionVersion })} · {t(`processes.states.${data.instanceState}`)}
        </Text>
      </Text>
      {open && canComplete ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
          noValidate
        >
          <Stack gap="sm">
            {failure ? (
              <Alert color="red" role="alert">
                {failure}
              </Alert>
            ) : null}
            {data.form.map((field) => (
              <FormFieldInput key={field.key} field={field} text={texts[field.key] ?? ''} error={errors[field.key]} onChange={(text) => {
                  setTexts((current) => ({ ...current, [field.key]: text }));
                  setErrors(({ [field.key]: _, ...rest }) => rest);
                }}
              />
            ))}
            {data.form.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('processes.step.noForm')}
              </Text>
            ) : null}
            <Group justify="flex-end">
              <Button type="submit" color="green" leftSection={<Icon name="check" size={14} />} loading={complete.isPending}>
                {t('processes.step.complete')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Paper>
  );
}

function FormFieldInput({ field, text, error, onChange }: { field: Field; text: string; error: string | undefined; onChange: (text: string) => void }) {
  if (field.type === 'boolean') return <Checkbox label={field.label} checked={text === 'true'} error={error} onChange={(event) => onChange(String(event.currentTarget.checked))} />;
  if (field.type === 'number') return <NumberInput label={field.label} required={field.required} value={text} error={error} onChange={(value) => onChange(String(value))} />;
  const type = field.type === 'date' ? 'date' : field.type === 'datetime' ? 'datetime-local' : 'text';
  return <TextInput type={type} label={field.label} required={field.required} value={text} error={error} onChange={(event) => onChange(event.currentTarget.value)} />;
}
