import type { ClientObject, CustomField, FieldKind } from '@rapport/shared';
import { FIELD_KINDS } from '@rapport/shared';
import { ActionIcon, Alert, Badge, Button, Code, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-client';
import { useCan } from '../../app/session';
import { ConfirmDeleteModal } from '../../components/confirm-delete-modal';
import { useErrorText, useFieldMessage } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { ObjectTabs } from '../records/object-tabs';
import { CLIENT_OBJECT_LIST } from '../records/objects';
import { KEY_PATTERN, keyFromLabel } from './field-key';
import { useCustomFields, useDeleteCustomField, useSaveCustomField } from './use-custom-fields';

const CHOICE_KINDS: FieldKind[] = ['select', 'multiselect'];

/** Settings → Custom fields: per object, the admin's own fields with their kind, options and list/filter flags. */
export function CustomFieldsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const objects = CLIENT_OBJECT_LIST.filter((object) => can(object, 'read'));
  return (
    <>
      <PageHeader title={t('customFields.title')} description={t('customFields.description')} />
      <ObjectTabs objects={objects}>{(item) => <FieldList object={item} />}</ObjectTabs>
    </>
  );
}

function FieldList({ object }: { object: ClientObject }) {
  const { t } = useTranslation();
  const fields = useCustomFields(object);
  const remove = useDeleteCustomField();
  const [editing, setEditing] = useState<CustomField | 'new' | null>(null);
  const [deleting, setDeleting] = useState<CustomField | null>(null);
  const sorted = [...(fields.data ?? [])].sort((a, b) => a.position - b.position || a.label.localeCompare(b.label));
  const yes = (on: boolean) => (on ? t('common.yes') : t('common.no'));

  return (
    <Stack>
      <Group justify="flex-end">
        <Button leftSection={<Icon name="plus" size={16} />} onClick={() => setEditing('new')}>
          {t('customFields.newButton')}
        </Button>
      </Group>
      <QueryStatus isPending={fields.isPending} error={fields.error} onRetry={() => void fields.refetch()}>
        {sorted.length === 0 ? (
          <Text c="dimmed" py="lg">
            {t('customFields.empty', { object: t(`records.${object}.title`) })}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={820}>
            <Table verticalSpacing="sm" highlightOnHover aria-label={t('customFields.tableLabel', { object: t(`records.${object}.title`) })}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('customFields.fields.label')}</Table.Th>
                  <Table.Th>{t('customFields.fields.key')}</Table.Th>
                  <Table.Th>{t('customFields.fields.kind')}</Table.Th>
                  <Table.Th>{t('customFields.fields.required')}</Table.Th>
                  <Table.Th>{t('customFields.fields.filterable')}</Table.Th>
                  <Table.Th>{t('customFields.fields.showInList')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sorted.map((field) => (
                  <Table.Tr key={field.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {field.label}
                      </Text>
                      {field.options.length > 0 ? (
                        <Text size="xs" c="dimmed">
                          {field.options.map((option) => option.label).join(', ')}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Code>{field.key}</Code>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color="gray" tt="none">
                        {t(`customFields.kinds.${field.kind}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{yes(field.required)}</Table.Td>
                    <Table.Td>{yes(field.filterable)}</Table.Td>
                    <Table.Td>{yes(field.showInList)}</Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button size="compact-sm" variant="subtle" onClick={() => setEditing(field)} aria-label={t('customFields.editNamed', { name: field.label })}>
                          {t('common.edit')}
                        </Button>
                        <Button size="compact-sm" variant="subtle" color="red" onClick={() => setDeleting(field)} aria-label={t('customFields.deleteNamed', { name: field.label })}>
                          {t('common.delete')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryStatus>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} size="lg" title={editing === 'new' ? t('customFields.newTitle', { object: t(`records.${object}.one`) }) : t('customFields.editTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        {editing !== null ? <FieldForm object={object} field={editing === 'new' ? null : editing} nextPosition={(sorted.at(-1)?.position ?? 0) + 10} onDone={() => setEditing(null)} /> : null}
      </Modal>
      <ConfirmDeleteModal
        item={deleting}
        title={t('customFields.deleteTitle')}
        message={t('customFields.deleteText', { name: deleting?.label ?? '' })}
        done={(field) => t('customFields.deleted', { name: field.label })}
        pending={remove.isPending}
        remove={(field) => remove.mutateAsync(field)}
        onClose={() => setDeleting(null)}
      />
    </Stack>
  );
}

interface OptionRow {
  value: string;
  label: string;
  /** The value follows the label until someone edits it. */
  auto: boolean;
}

function FieldForm({ object, field, nextPosition, onDone }: { object: ClientObject; field: CustomField | null; nextPosition: number; onDone: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const fieldMessage = useFieldMessage();
  const save = useSaveCustomField();
  const [label, setLabel] = useState(field?.label ?? '');
  const [key, setKey] = useState(field?.key ?? '');
  const [keyEdited, setKeyEdited] = useState(false);
  const [kind, setKind] = useState<FieldKind>(field?.kind ?? 'text');
  const [options, setOptions] = useState<OptionRow[]>(field?.options.map((option) => ({ ...option, auto: false })) ?? []);
  const [relationObject, setRelationObject] = useState<ClientObject | null>(field?.relationObject ?? null);
  const [currency, setCurrency] = useState(field?.currency ?? '');
  const [required, setRequired] = useState(field?.required ?? false);
  const [filterable, setFilterable] = useState(field?.filterable ?? true);
  const [showInList, setShowInList] = useState(field?.showInList ?? false);
  const [position, setPosition] = useState<number>(field?.position ?? nextPosition);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const choice = CHOICE_KINDS.includes(kind);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!label.trim()) problems.label = t('fieldErrors.required');
    if (!field && !KEY_PATTERN.test(key)) problems.key = t('customFields.keyRule');
    const cleanOptions = options.filter((option) => option.label.trim() !== '').map((option) => ({ value: option.value.trim() || keyFromLabel(option.label), label: option.label.trim() }));
    if (choice && cleanOptions.length === 0) problems.options = t('customFields.needOptions');
    if (choice && cleanOptions.some((option) => !option.value)) problems.options = t('customFields.optionValueRule');
    if (kind === 'relation' && !relationObject) problems.relationObject = t('fieldErrors.required');
    if (Object.keys(problems).length > 0) return setErrors(problems);
    const common = { label: label.trim(), required, filterable, showInList, position, ...(choice ? { options: cleanOptions } : {}) };
    const body = field
      ? { ...common, version: field.version }
      : { ...common, object, key, kind, ...(kind === 'relation' ? { relationObject } : {}), ...(kind === 'money' && currency ? { currency: currency.toUpperCase() } : {}) };
    save.mutate(
      { id: field?.id, body },
      {
        onSuccess: (saved) => {
          toast({ color: 'green', message: t('customFields.saved', { name: saved.label }) });
          onDone();
        },
        onError: (error) => {
          const byField: Record<string, string> = {};
          if (isApiError(error)) for (const item of error.fieldErrors) byField[item.path.split('/')[2] ?? ''] ??= fieldMessage(item.message);
          setErrors(byField);
          setFormError(isApiError(error) && error.code === 'version_conflict' ? t('customFields.conflict') : errorText(error));
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {formError ? (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        ) : null}
        <TextInput
          label={t('customFields.fields.label')}
          required
          data-autofocus
          value={label}
          onChange={(event) => {
            const value = event.currentTarget.value;
            setLabel(value);
            if (!field && !keyEdited) setKey(keyFromLabel(value));
          }}
          error={errors.label}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('customFields.fields.key')}
            description={field ? t('customFields.keyFixed') : t('customFields.keyHint')}
            required
            disabled={Boolean(field)}
            value={key}
            onChange={(event) => {
              setKey(event.currentTarget.value);
              setKeyEdited(true);
            }}
            error={errors.key}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <Select
            label={t('customFields.fields.kind')}
            description={field ? t('customFields.kindFixed') : undefined}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            disabled={Boolean(field)}
            data={FIELD_KINDS.map((value) => ({ value, label: t(`customFields.kinds.${value}`) }))}
            value={kind}
            onChange={(value) => {
              if (!value) return;
              setKind(value as FieldKind);
              if (CHOICE_KINDS.includes(value as FieldKind) && options.length === 0) setOptions([{ value: '', label: '', auto: true }]);
            }}
            allowDeselect={false}
            error={errors.kind}
            comboboxProps={{ withinPortal: true }}
          />
        </SimpleGrid>
        {kind === 'relation' ? (
          <Select
            label={t('customFields.fields.relationObject')}
            required
            disabled={Boolean(field)}
            data={CLIENT_OBJECT_LIST.map((value) => ({ value, label: t(`records.${value}.one`) }))}
            value={relationObject}
            onChange={(value) => setRelationObject(value as ClientObject | null)}
            error={errors.relationObject}
            comboboxProps={{ withinPortal: true }}
          />
        ) : null}
        {kind === 'money' ? <TextInput label={t('customFields.fields.currency')} placeholder="EUR" maxLength={3} disabled={Boolean(field)} value={currency} onChange={(event) => setCurrency(event.currentTarget.value.toUpperCase())} error={errors.currency} w={120} /> : null}
        {choice ? (
          <Stack gap={6}>
            <Text size="sm" fw={500}>
              {t('customFields.fields.options')}
            </Text>
            {options.map((option, index) => (
              <Group key={index} gap="xs" wrap="nowrap" align="flex-start">
                <TextInput
                  aria-label={t('customFields.optionLabel', { n: index + 1 })}
                  placeholder={t('customFields.optionLabelPlaceholder')}
                  value={option.label}
                  onChange={(event) => {
                    const value = event.currentTarget.value;
                    setOptions((current) => current.map((item, other) => (other === index ? { ...item, label: value, value: item.auto ? keyFromLabel(value) : item.value } : item)));
                  }}
                  style={{ flex: 1 }}
                />
                <TextInput
                  aria-label={t('customFields.optionValue', { n: index + 1 })}
                  placeholder={t('customFields.optionValuePlaceholder')}
                  value={option.value}
                  disabled={!option.auto && (field?.options.some((existing) => existing.value === option.value) ?? false)}
                  onChange={(event) => {
                    const value = event.currentTarget.value;
                    setOptions((current) => current.map((item, other) => (other === index ? { ...item, value, auto: false } : item)));
                  }}
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                  w={160}
                />
                <ActionIcon variant="subtle" color="gray" size="lg" aria-label={t('customFields.removeOption', { n: index + 1 })} onClick={() => setOptions((current) => current.filter((_, other) => other !== index))}>
                  ×
                </ActionIcon>
              </Group>
            ))}
            {errors.options ? (
              <Text size="xs" c="red">
                {errors.options}
              </Text>
            ) : null}
            <div>
              <Button size="compact-sm" variant="subtle" leftSection={<Icon name="plus" size={14} />} onClick={() => setOptions((current) => [...current, { value: '', label: '', auto: true }])}>
                {t('customFields.addOption')}
              </Button>
            </div>
          </Stack>
        ) : null}
        <Stack gap="xs">
          <Switch label={t('customFields.fields.required')} description={t('customFields.requiredHint')} checked={required} onChange={(event) => setRequired(event.currentTarget.checked)} />
          <Switch label={t('customFields.fields.filterable')} description={t('customFields.filterableHint')} checked={filterable} onChange={(event) => setFilterable(event.currentTarget.checked)} />
          <Switch label={t('customFields.fields.showInList')} description={t('customFields.showInListHint')} checked={showInList} onChange={(event) => setShowInList(event.currentTarget.checked)} />
        </Stack>
        <NumberInput label={t('customFields.fields.position')} description={t('customFields.positionHint')} value={position} onChange={(value) => setPosition(typeof value === 'number' ? value : 0)} min={0} max={10000} maw={320} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {field ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
