import { Alert, Button, em, Group, Modal, Radio, Stack, Table, Text, useMantineTheme } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQueries } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { MergeBody } from '@rapport/shared';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/api-client';
import { useErrorText } from '../../components/error-text';
import { useToast } from '../../components/toast-center';
import { useFormat } from '../../i18n/use-format';
import { useCustomFields } from '../custom-fields/use-custom-fields';
import { fieldFor, MERGE_FIELDS } from './card-sections';
import { FieldValue } from './field-value';
import { mergeChoices } from './merge-state';
import { OBJECTS, recordUrl, type ClientRecord, type FormObject } from './objects';
import { RecordMultiPicker } from './pickers';
import { useFieldLabels } from './use-field-labels';
import { recordKeys, useMerge, useObjectFields } from './use-records';

/**
 * A merge whose other records are already known (a likely-duplicate pair from the review list): it opens on the field
 * choices and hands the chosen survivor and values to `onMerge` instead of the card's merge.
 */
export interface PresetMerge {
  others: string[];
  onMerge: (body: MergeBody) => Promise<void>;
}

/** Merge the record with one or more others: choose the survivor and, field by field, whose value stays. */
export function MergeModal({ object, record, opened, onClose, preset }: { object: FormObject; record: ClientRecord; opened: boolean; onClose: () => void; preset?: PresetMerge }) {
  const { t } = useTranslation();
  const theme = useMantineTheme();
  const phone = useMediaQuery(`(max-width: ${em(theme.breakpoints.sm)})`) ?? false;
  return (
    <Modal opened={opened} onClose={onClose} size="xl" fullScreen={phone} title={t('records.merge.title', { name: record.name })} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {opened ? <MergeForm object={object} record={record} onClose={onClose} preset={preset} /> : null}
    </Modal>
  );
}

function MergeForm({ object, record, onClose, preset }: { object: FormObject; record: ClientRecord; onClose: () => void; preset: PresetMerge | undefined }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const toast = useToast();
  const errorText = useErrorText();
  const fields = useObjectFields(object);
  const customFields = useCustomFields(object);
  const labels = useFieldLabels(object, fields.data);
  const merge = useMerge(object);
  const [others, setOthers] = useState<string[]>(preset?.others ?? []);
  const [step, setStep] = useState<'pick' | 'fields'>(preset ? 'fields' : 'pick');
  const [survivorId, setSurvivorId] = useState(record.id);
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  const loaded = useQueries({
    queries: others.map((id) => ({ queryKey: recordKeys.one(object, id), queryFn: () => api<ClientRecord>('GET', `/${OBJECTS[object].path}/${id}`), enabled: step === 'fields' })),
  });
  const othersLoaded = loaded.every((query) => query.data);
  const records = useMemo(() => [record, ...loaded.map((query) => query.data).filter((item): item is ClientRecord => Boolean(item))], [loaded, record]);
  const keys = useMemo(() => [...MERGE_FIELDS[object].map(([key]) => key), ...(customFields.data ?? []).map((field) => `custom.${field.key}`)], [customFields.data, object]);
  const choices = useMemo(() => (othersLoaded ? mergeChoices(records, keys, survivorId) : []), [keys, othersLoaded, records, survivorId]);
  const kindOf = (key: string) => MERGE_FIELDS[object].find(([name]) => name === key)?.[1];
  const fieldOf = (key: string) => {
    const custom = customFields.data?.find((field) => `custom.${field.key}` === key);
    if (custom) return fieldFor(fields.data, key, custom.kind);
    return fieldFor(fields.data, key, kindOf(key));
  };
  const chosen = (key: string, defaultId: string) => picked[key] ?? defaultId;

  // Awaited rather than a mutate callback: the merged record's card unmounts (its id is gone) before callbacks would run.
  const submit = async () => {
    setError(null);
    const mergedIds = records.map((item) => item.id).filter((id) => id !== survivorId);
    const body = { survivorId, mergedIds, fields: Object.fromEntries(choices.map((choice) => [choice.key, chosen(choice.key, choice.defaultId)])) };
    try {
      if (preset) {
        await preset.onMerge(body);
        const name = records.find((item) => item.id === survivorId)?.name ?? record.name;
        toast({ color: 'green', message: t('records.merge.done', { name, n: mergedIds.length }) });
        onClose();
        return;
      }
      const survivor = await merge.mutateAsync(body);
      toast({ color: 'green', message: t('records.merge.done', { name: survivor.name, n: mergedIds.length }) });
      onClose();
      void navigate(recordUrl(object, survivor.id), { replace: true });
    } catch (failure) {
      setError(errorText(failure));
    }
  };

  if (step === 'pick') {
    return (
      <Stack>
        <Text size="sm">{t('records.merge.pickText', { name: record.name })}</Text>
        <RecordMultiPicker object={object} label={t('records.merge.pickLabel')} value={others} onChange={(ids) => setOthers(ids.slice(0, 10))} exclude={[record.id]} data-autofocus />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button disabled={others.length === 0} onClick={() => setStep('fields')}>
            {t('records.merge.next')}
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
      {!othersLoaded ? (
        <Text size="sm" c="dimmed">
          {t('common.loading')}
        </Text>
      ) : (
        <>
          <Radio.Group label={t('records.merge.survivor')} description={t('records.merge.survivorHint')} value={survivorId} onChange={(id) => { setSurvivorId(id); setPicked({}); }}>
            <Group gap="md" mt={6}>
              {records.map((item) => (
                <Radio key={item.id} value={item.id} label={<RecordLabel record={item} current={!preset && item.id === record.id} />} />
              ))}
            </Group>
          </Radio.Group>
          {choices.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('records.merge.noDifferences')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={200 + records.length * 200}>
              <Table verticalSpacing="xs" withTableBorder aria-label={t('records.merge.fieldsTable')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={180}>{t('records.merge.field')}</Table.Th>
                    {records.map((item) => (
                      <Table.Th key={item.id}>
                        <RecordLabel record={item} current={!preset && item.id === record.id} />
                        {item.id === survivorId ? (
                          <Text span size="xs" c="dimmed">
                            {' '}
                            ({t('records.merge.survives')})
                          </Text>
                        ) : null}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {choices.map((choice) => {
                    const field = fieldOf(choice.key);
                    const label = labels.field(field);
                    return (
                      <Table.Tr key={choice.key} data-testid={`merge-row-${choice.key}`}>
                        <Table.Td>
                          <Text size="sm" fw={500}>
                            {label}
                          </Text>
                        </Table.Td>
                        {records.map((item) => (
                          <Table.Td key={item.id}>
                            <Radio
                              name={`merge-${choice.key}`}
                              value={item.id}
                              checked={chosen(choice.key, choice.defaultId) === item.id}
                              onChange={() => setPicked((current) => ({ ...current, [choice.key]: item.id }))}
                              aria-label={t('records.merge.keep', { field: label, name: item.name })}
                              label={<FieldValue object={object} record={item} field={field} labels={labels} />}
                            />
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          <Alert color="blue" variant="light">
            <Text size="sm">{t(`records.merge.united.${object}`)}</Text>
          </Alert>
        </>
      )}
      <Group justify={preset ? 'flex-end' : 'space-between'}>
        {preset ? null : (
          <Button variant="subtle" onClick={() => setStep('pick')}>
            {t('records.merge.back')}
          </Button>
        )}
        <Group gap="xs">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="grape" onClick={() => void submit()} loading={merge.isPending} disabled={!othersLoaded}>
            {t('records.merge.confirm', { n: records.length })}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}

/** A record's name with what tells look-alikes apart: "this card", and when it was created. */
function RecordLabel({ record, current }: { record: ClientRecord; current: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <span>
      {record.name}{' '}
      <Text span size="xs" c="dimmed" fw={400}>
        {current ? t('records.merge.thisCard', { date: format.date(record.createdAt) }) : t('records.merge.created', { date: format.date(record.createdAt) })}
      </Text>
    </span>
  );
}
