import type { BulkBody, ClientObject, ObjectField } from '@rapport/shared';
import { Alert, Button, Group, List, Modal, Paper, Progress, ScrollArea, Select, Stack, TagsInput, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-client';
import { useCan } from '../../app/session';
import { useErrorText } from '../../components/error-text';
import { useToast } from '../../components/toast-center';
import { useFormat } from '../../i18n/use-format';
import { runInChunks, type BulkSummary } from './bulk';
import { FieldInput } from './field-input';
import { UserPicker } from './pickers';
import type { FieldLabels } from './use-field-labels';
import { invalidateClientBase, runBulk } from './use-records';

type Action = 'assign' | 'add_tags' | 'set_field' | 'delete';

/** The bar over a list with selected rows: assign, tag, set a field or delete them, in chunks, with progress and a summary. */
export function BulkBar({
  object,
  ids,
  nameOf,
  fields,
  labels,
  onClear,
  onFinished,
  matching,
}: {
  object: ClientObject;
  ids: string[];
  nameOf: (id: string) => string;
  fields: ObjectField[];
  labels: FieldLabels;
  onClear: () => void;
  /** After a run: the ids that went through (they leave the selection). */
  onFinished: (succeeded: string[]) => void;
  /** When more records match than are selected: how many, and how to select them all. */
  matching?: { total: number; exact: boolean; selectAll: () => Promise<void> } | undefined;
}) {
  const { t } = useTranslation();
  const can = useCan();
  const format = useFormat();
  const [action, setAction] = useState<Action | null>(null);
  const errorText = useErrorText();
  const toast = useToast();
  const [selectingAll, setSelectingAll] = useState(false);
  const selectAll = async (run: () => Promise<void>) => {
    setSelectingAll(true);
    try {
      await run();
    } catch (error) {
      toast({ color: 'red', message: errorText(error) });
    } finally {
      setSelectingAll(false);
    }
  };
  // The ids that went through leave the selection when the summary is closed (leaving earlier would unmount it).
  const finished = useRef<string[] | null>(null);
  const close = () => {
    setAction(null);
    if (finished.current) onFinished(finished.current);
    finished.current = null;
  };
  const actions: { action: Action; label: string; allowed: boolean; color?: string }[] = [
    { action: 'assign', label: t('records.bulk.assign'), allowed: can(object, 'assign') },
    { action: 'add_tags', label: t('records.bulk.addTags'), allowed: can(object, 'update') },
    { action: 'set_field', label: t('records.bulk.setField'), allowed: can(object, 'update') && fields.some((field) => field.bulkEditable) },
    { action: 'delete', label: t('records.bulk.delete'), allowed: can(object, 'delete'), color: 'red' },
  ];
  return (
    <Paper withBorder p="xs" radius="md" bg="var(--mantine-primary-color-light)" data-testid="bulk-bar">
      <Group gap="xs" wrap="wrap">
        <Text size="sm" fw={600} mr="xs">
          {t('records.bulk.selected', { n: format.number(ids.length) })}
        </Text>
        {actions
          .filter((item) => item.allowed)
          .map((item) => (
            <Button key={item.action} size="compact-sm" variant={item.color ? 'light' : 'default'} color={item.color} onClick={() => setAction(item.action)}>
              {item.label}
            </Button>
          ))}
        {matching && matching.total > ids.length ? (
          <Button size="compact-sm" variant="subtle" loading={selectingAll} onClick={() => void selectAll(matching.selectAll)}>
            {t(matching.exact ? 'records.bulk.selectAllMatching' : 'records.bulk.selectAllMatchingCapped', { n: format.number(matching.total) })}
          </Button>
        ) : null}
        <Button size="compact-sm" variant="subtle" color="gray" onClick={onClear}>
          {t('records.bulk.clear')}
        </Button>
      </Group>
      <Modal opened={action !== null} onClose={close} title={action ? t(`records.bulk.titles.${action}`, { n: format.number(ids.length) }) : ''} closeButtonProps={{ 'aria-label': t('common.close') }} closeOnClickOutside={false}>
        {action ? <BulkRun object={object} action={action} ids={ids} nameOf={nameOf} fields={fields} labels={labels} onClose={close} onFinished={(succeeded) => (finished.current = succeeded)} /> : null}
      </Modal>
    </Paper>
  );
}

function BulkRun({
  object,
  action,
  ids,
  nameOf,
  fields,
  labels,
  onClose,
  onFinished,
}: {
  object: ClientObject;
  action: Action;
  ids: string[];
  nameOf: (id: string) => string;
  fields: ObjectField[];
  labels: FieldLabels;
  onClose: () => void;
  onFinished: (succeeded: string[]) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [ownerId, setOwnerId] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [fieldKey, setFieldKey] = useState<string | null>(null);
  const [value, setValue] = useState<unknown>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [summary, setSummary] = useState<BulkSummary | null>(null);
  const stop = useRef(false);
  const editable = fields.filter((field) => field.bulkEditable);
  const field = editable.find((candidate) => candidate.key === fieldKey);

  const start = async () => {
    let extra: Partial<BulkBody>;
    if (action === 'assign') {
      if (!ownerId) return setError(t('records.bulk.chooseOwner'));
      extra = { ownerId };
    } else if (action === 'add_tags') {
      if (tags.length === 0) return setError(t('records.bulk.chooseTags'));
      extra = { tags };
    } else if (action === 'set_field') {
      if (!field) return setError(t('records.bulk.chooseField'));
      const empty = value === '' || value === undefined || value === null || (Array.isArray(value) && value.length === 0);
      // Only custom fields and free text can be emptied; a system choice (type, status, source) always holds a value.
      if (empty && !field.custom && field.kind !== 'text') return setError(t('records.bulk.chooseValue'));
      extra = { field: field.key, value: empty ? null : value };
    } else extra = {};
    setError(null);
    stop.current = false;
    setProgress(0);
    const result = await runInChunks(ids, (part) => runBulk(object, { ids: part, action, ...extra }), {
      onProgress: (sent, total) => setProgress(Math.round((sent / total) * 100)),
      stopped: () => stop.current,
      describe: (failure) => ({ code: isApiError(failure) ? failure.code : 'internal', message: errorText(failure) }),
    });
    setSummary(result);
    await invalidateClientBase(queryClient);
    const failed = new Set(result.failed.map((item) => item.id));
    onFinished(result.skipped > 0 ? [] : ids.filter((id) => !failed.has(id)));
  };

  if (summary) {
    return (
      <Stack>
        <Alert color={summary.failed.length > 0 ? 'orange' : 'green'} role="status" title={t('records.bulk.finished')}>
          <Text size="sm">{t('records.bulk.doneCount', { n: format.number(summary.done) })}</Text>
          {summary.failed.length > 0 ? <Text size="sm">{t('records.bulk.failedCount', { n: format.number(summary.failed.length) })}</Text> : null}
          {summary.skipped > 0 ? <Text size="sm">{t('records.bulk.skippedCount', { n: format.number(summary.skipped) })}</Text> : null}
        </Alert>
        {summary.failed.length > 0 ? (
          <ScrollArea.Autosize mah={220} type="auto">
            <List size="sm" spacing={4} data-testid="bulk-failures">
              {summary.failed.map((item) => (
                <List.Item key={item.id}>
                  <Text span fw={500} size="sm">
                    {nameOf(item.id)}
                  </Text>
                  : {t(`errors.${item.code}`, { defaultValue: item.message })}
                </List.Item>
              ))}
            </List>
          </ScrollArea.Autosize>
        ) : null}
        <Group justify="flex-end">
          <Button onClick={onClose}>{t('common.done')}</Button>
        </Group>
      </Stack>
    );
  }

  if (progress !== null) {
    return (
      <Stack>
        <Text size="sm">{t('records.bulk.working', { n: format.number(ids.length) })}</Text>
        <Progress value={progress} size="lg" striped animated aria-label={t('records.bulk.progress')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => (stop.current = true)}>
            {t('records.bulk.stop')}
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <Stack>
      {error ? (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      ) : null}
      {action === 'assign' ? <UserPicker label={t('records.bulk.newOwner')} value={ownerId} onChange={(next) => setOwnerId(String(next))} data-autofocus /> : null}
      {action === 'add_tags' ? <TagsInput label={t('records.bulk.tags')} description={t('records.form.tagsHint')} value={tags} onChange={setTags} data-autofocus /> : null}
      {action === 'set_field' ? (
        <>
          <Select
            label={t('records.bulk.field')}
            data={editable.map((candidate) => ({ value: candidate.key, label: labels.field(candidate) }))}
            value={fieldKey}
            onChange={(next) => {
              setFieldKey(next);
              setValue(null);
            }}
            searchable
            comboboxProps={{ withinPortal: true }}
          />
          {field ? (
            <FieldInput
              kind={field.kind}
              label={t('records.bulk.value')}
              description={field.custom || field.kind === 'text' ? t('records.bulk.valueHint') : undefined}
              value={value}
              onChange={setValue}
              options={field.options.map((option) => ({ value: option.value, label: labels.option(field, option.value) }))}
              target={field.target}
            />
          ) : null}
        </>
      ) : null}
      {action === 'delete' ? <Text size="sm">{t('records.bulk.deleteText', { n: format.number(ids.length) })}</Text> : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button color={action === 'delete' ? 'red' : undefined} onClick={() => void start()}>
          {t(`records.bulk.run.${action}`)}
        </Button>
      </Group>
    </Stack>
  );
}
