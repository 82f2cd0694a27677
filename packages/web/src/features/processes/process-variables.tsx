import type { ProcessInstanceCard } from '@rapport/shared';
import { ActionIcon, Alert, Button, Code, Group, NumberInput, Paper, Select, Stack, Switch, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-client';
import { useErrorText, useFieldErrors } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { useToast } from '../../components/toast-center';
import { useFormat } from '../../i18n/use-format';
import { useSetVariables } from './use-processes';
import { VARIABLE_TYPES, draftOf, typeOf, valueOf, type VariableDraft, type VariableType } from './variable-draft';

/** A variable's value as people read it: numbers and dates by locale, yes/no, structures as JSON. */
export function VariableValue({ value }: { value: unknown }) {
  const { t } = useTranslation();
  const format = useFormat();
  const type = typeOf(value);
  if (type === 'number') return <Text size="sm">{format.number(value as number)}</Text>;
  if (type === 'boolean') return <Text size="sm">{value ? t('common.yes') : t('common.no')}</Text>;
  if (type === 'json') return <Code block>{JSON.stringify(value, null, 2)}</Code>;
  const text = value as string;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return <Text size="sm">{format.date(text)}</Text>;
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(text)) return <Text size="sm">{format.dateTime(text)}</Text>;
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {text}
    </Text>
  );
}

/**
 * The instance's variables; those who may change the instance edit them in place (typed inputs, a new variable, removal),
 * saved against the version the card shows: a change made meanwhile is reported, not overwritten.
 */
export function ProcessVariables({ instance, canEdit }: { instance: ProcessInstanceCard; canEdit: boolean }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const fieldErrors = useFieldErrors();
  const save = useSetVariables(instance.id);
  const [drafts, setDrafts] = useState<VariableDraft[] | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const entries = Object.entries(instance.variables);

  const edit = () => {
    setDrafts(entries.map(([name, value]) => draftOf(name, value)));
    setErrors({});
    setFailure(null);
  };
  const set = (index: number, patch: Partial<VariableDraft>) => setDrafts((current) => current!.map((draft, at) => (at === index ? { ...draft, ...patch } : draft)));

  const submit = () => {
    const found: Record<string, string> = {};
    const variables: Record<string, unknown> = {};
    drafts!.forEach((draft, index) => {
      // A removed variable is sent as null, which deletes it.
      if (draft.removed) return void (variables[draft.name] = null);
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(draft.name)) found[`name.${index}`] = t('processes.variables.nameError');
      else if (drafts!.findIndex((other) => other.name === draft.name) !== index) found[`name.${index}`] = t('processes.variables.nameTaken');
      const value = valueOf(draft);
      if (value === undefined) found[`value.${index}`] = t(`processes.variables.valueError.${draft.type}`);
      else variables[draft.name] = value;
    });
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    save.mutate(
      { version: instance.version, variables },
      {
        onSuccess: () => {
          setDrafts(null);
          toast({ color: 'green', message: t('processes.variables.saved') });
        },
        onError: (error) => {
          if (isApiError(error) && error.code === 'version_conflict') return setFailure(t('processes.variables.stale'));
          // Server paths name the variable: /body/variables/<name> → the row of that name.
          const byField = fieldErrors(error);
          const mapped: Record<string, string> = {};
          for (const [field, message] of Object.entries(byField)) {
            const index = drafts!.findIndex((draft) => `variables.${draft.name}` === field);
            mapped[index >= 0 ? `value.${index}` : 'form'] = message;
          }
          setErrors(mapped);
          setFailure(Object.keys(mapped).length === 0 || mapped.form ? errorText(error) : null);
        },
      },
    );
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="process-variables-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="process-variables-heading">
          {t('processes.variables.title')}
        </Title>
        {canEdit && !drafts ? (
          <Button size="compact-sm" variant="light" leftSection={<Icon name="pencil" size={14} />} onClick={edit}>
            {t('common.edit')}
          </Button>
        ) : null}
      </Group>
      {failure ? (
        <Alert color="orange" role="alert" mb="sm">
          {failure}
        </Alert>
      ) : null}
      {drafts ? (
        <Stack gap="xs">
          {drafts.map((draft, index) => (
            <Group key={index} align="flex-start" gap="xs" wrap="nowrap" opacity={draft.removed ? 0.5 : 1} data-testid="variable-editor">
              <TextInput aria-label={t('processes.variables.name')} placeholder={t('processes.variables.name')} value={draft.name} disabled={draft.original !== null || draft.removed} error={errors[`name.${index}`]} onChange={(event) => set(index, { name: event.currentTarget.value })} w={160} />
              <Select aria-label={t('processes.variables.type')} data={VARIABLE_TYPES.map((type) => ({ value: type, label: t(`processes.variables.types.${type}`) }))} value={draft.type} allowDeselect={false} disabled={draft.removed} onChange={(type) => type && set(index, { type: type as VariableType })} w={120} />
              <div style={{ flex: 1, minWidth: 0 }}>
                <VariableInput draft={draft} error={errors[`value.${index}`]} onChange={(text) => set(index, { text })} />
              </div>
              <ActionIcon variant="subtle" color={draft.removed ? 'blue' : 'red'} mt={6} aria-label={t(draft.removed ? 'processes.variables.keep' : 'processes.variables.remove', { name: draft.name || '…' })} onClick={() => (draft.original === null ? setDrafts((current) => current!.filter((_, at) => at !== index)) : set(index, { removed: !draft.removed }))}>
                <Icon name={draft.removed ? 'rotate' : 'trash'} size={16} />
              </ActionIcon>
            </Group>
          ))}
          <Group justify="space-between">
            <Button size="xs" variant="subtle" leftSection={<Icon name="plus" size={14} />} onClick={() => setDrafts((current) => [...current!, { name: '', original: null, type: 'text', text: '', removed: false }])}>
              {t('processes.variables.add')}
            </Button>
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={() => setDrafts(null)}>
                {t('common.cancel')}
              </Button>
              <Button size="xs" loading={save.isPending} onClick={submit}>
                {t('common.save')}
              </Button>
            </Group>
          </Group>
        </Stack>
      ) : entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('processes.variables.empty')}
        </Text>
      ) : (
        <Table verticalSpacing={4} aria-labelledby="process-variables-heading">
          <Table.Tbody>
            {entries.map(([name, value]) => (
              <Table.Tr key={name} data-testid="variable-row">
                <Table.Td w="35%">
                  <Text size="sm" ff="monospace">
                    {name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <VariableValue value={value} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function VariableInput({ draft, error, onChange }: { draft: VariableDraft; error: string | undefined; onChange: (text: string) => void }) {
  const { t } = useTranslation();
  const label = t('processes.variables.value', { name: draft.name || '…' });
  if (draft.type === 'boolean') return <Switch mt={8} aria-label={label} checked={draft.text === 'true'} disabled={draft.removed} onChange={(event) => onChange(String(event.currentTarget.checked))} />;
  if (draft.type === 'number') return <NumberInput aria-label={label} value={draft.text} disabled={draft.removed} error={error} onChange={(value) => onChange(String(value))} />;
  if (draft.type === 'json') return <Textarea aria-label={label} value={draft.text} disabled={draft.removed} error={error} autosize minRows={2} ff="monospace" onChange={(event) => onChange(event.currentTarget.value)} />;
  return <TextInput aria-label={label} value={draft.text} disabled={draft.removed} error={error} onChange={(event) => onChange(event.currentTarget.value)} />;
}
