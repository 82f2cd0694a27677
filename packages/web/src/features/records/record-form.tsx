import type { CustomField, DuplicateCandidate } from '@rapport/shared';
import { COMPANY_KINDS, COMPANY_STATUSES, CONTACT_SOURCES, EMAIL_TYPES, LEAD_SOURCES, LEAD_STATUSES, MESSENGER_TYPES, PHONE_TYPES } from '@rapport/shared';
import { ActionIcon, Alert, Anchor, Badge, Button, Checkbox, em, Fieldset, Group, List, Modal, Select, SimpleGrid, Stack, TagsInput, Text, Textarea, TextInput, useMantineTheme } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/api-client';
import { useCan, useMe } from '../../app/session';
import { useErrorText, useFieldMessage } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { useToast } from '../../components/toast-center';
import { useCustomFields } from '../custom-fields/use-custom-fields';
import { FieldInput } from './field-input';
import { buildBody, draftOf, duplicateQuery, errorKey, isContactPointError, missingRequired, type BuiltBody, type Draft } from './form-state';
import { recordUrl, type ClientRecord, type FormObject, type RecordOf } from './objects';
import { RecordPicker, UserPicker } from './pickers';
import { useFieldLabels, type FieldLabels } from './use-field-labels';
import { checkDuplicates, recordKeys, useObjectFields, useSaveRecord } from './use-records';

export type FormSection = 'main' | 'contacts' | 'companies' | 'requisites' | 'more' | 'custom';

const ENUMS: Record<string, readonly string[]> = {
  'company.kind': COMPANY_KINDS,
  'company.status': COMPANY_STATUSES,
  'contact.source': CONTACT_SOURCES,
  'lead.source': LEAD_SOURCES,
  'lead.status': LEAD_STATUSES,
};

/** Create or edit a company, contact or lead: sections, repeatable contact points, custom fields, duplicate check. */
export function RecordFormModal<O extends FormObject>({
  object,
  record,
  opened,
  onClose,
  onSaved,
  preset,
  section,
}: {
  object: O;
  record: RecordOf<O> | null;
  opened: boolean;
  onClose: () => void;
  onSaved: (record: RecordOf<O>) => void;
  /** Starting values for a new record (a contact already linked to the company it is added from). */
  preset?: (draft: Draft) => void;
  /** The section to scroll to when the form opens from a card's section. */
  section?: FormSection | undefined;
}) {
  const { t } = useTranslation();
  const theme = useMantineTheme();
  const phone = useMediaQuery(`(max-width: ${em(theme.breakpoints.sm)})`) ?? false;
  const queryClient = useQueryClient();
  // A new form after "reload" (a stale version); not on every version change, or a save would remount the form under its own callbacks.
  const [generation, setGeneration] = useState(0);
  const reload = async () => {
    if (record) await queryClient.refetchQueries({ queryKey: recordKeys.one(object, record.id) });
    setGeneration((current) => current + 1);
  };
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="xl"
      fullScreen={phone}
      title={record ? t('records.form.editTitle', { name: record.name }) : t(`records.${object}.new`)}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {opened ? <RecordForm key={`${record?.id ?? 'new'}:${generation}`} object={object} record={record} onCancel={onClose} onSaved={onSaved} onReload={() => void reload()} preset={preset} section={section} /> : null}
    </Modal>
  );
}

function RecordForm<O extends FormObject>({
  object,
  record,
  onCancel,
  onSaved,
  onReload,
  preset,
  section,
}: {
  object: O;
  record: RecordOf<O> | null;
  onCancel: () => void;
  onSaved: (record: RecordOf<O>) => void;
  onReload: () => void;
  preset?: ((draft: Draft) => void) | undefined;
  section?: FormSection | undefined;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const toast = useToast();
  const errorText = useErrorText();
  const fieldMessage = useFieldMessage();
  const fields = useObjectFields(object);
  const customFields = useCustomFields(object);
  const labels = useFieldLabels(object, fields.data);
  const save = useSaveRecord(object);
  const [initial] = useState<Draft>(() => draftOf(object, record as ClientRecord | null, me.user.id));
  const [draft, setDraft] = useState<Draft>(() => {
    const start = structuredClone(initial);
    preset?.(start);
    return start;
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [duplicates, setDuplicates] = useState<DuplicateCandidate[] | null>(null);
  const [offerKeep, setOfferKeep] = useState(false);
  const [checking, setChecking] = useState(false);
  const rootRef = useRef<HTMLFormElement>(null);
  const feedbackRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (section) rootRef.current?.querySelector(`[data-section="${section}"]`)?.scrollIntoView({ block: 'start' });
  }, [section]);
  // Warnings appear beside the buttons the user just pressed; make sure they are in view.
  useEffect(() => {
    if (duplicates || formError || conflict) feedbackRef.current?.scrollIntoView({ block: 'end' });
  }, [duplicates, formError, conflict]);

  const change = (mutate: (next: Draft) => void, ...keys: string[]) => {
    setDraft((current) => {
      const next = structuredClone(current);
      mutate(next);
      return next;
    });
    if (keys.some((key) => errors[key])) setErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => !keys.includes(key))));
    setFormError(null);
    setDuplicates(null);
  };

  const sortedCustom = [...(customFields.data ?? [])].sort((a, b) => a.position - b.position || a.label.localeCompare(b.label));

  const send = (built: BuiltBody, keepInvalid: boolean) => {
    const body = keepInvalid ? { ...built.body, keepInvalidAsNote: true } : built.body;
    save.mutate(
      { id: record?.id, body },
      {
        onSuccess: (saved) => {
          toast({ color: 'green', message: record ? t('records.form.saved', { name: saved.name }) : t('records.form.created', { name: saved.name }) });
          onSaved(saved);
        },
        onError: (error) => {
          if (isApiError(error) && error.code === 'version_conflict') return setConflict(true);
          const byKey: Record<string, string> = {};
          if (isApiError(error)) for (const fieldError of error.fieldErrors) byKey[errorKey(fieldError.path, built.rowOf)] ??= fieldMessage(fieldError.message);
          const shown = Object.keys(byKey).filter((key) => key !== '' && key !== 'body');
          setErrors(byKey);
          setOfferKeep(shown.some(isContactPointError));
          setFormError(shown.length > 0 ? t('records.form.fixErrors') : errorText(error));
        },
      },
    );
  };

  const submit = async (event: FormEvent | null, options: { skipDuplicates?: boolean; keepInvalid?: boolean } = {}) => {
    event?.preventDefault();
    const missing = missingRequired(draft, object, customFields.data ?? []);
    if (missing.length > 0) {
      setErrors(Object.fromEntries(missing.map((key) => [key, t('fieldErrors.required')])));
      setFormError(t('records.form.fixErrors'));
      return;
    }
    const built = buildBody(object, draft, initial, record ? record.version : null);
    if (record && Object.keys(built.body).length === 1) return onSaved(record);
    if (built.identityChanged && !options.skipDuplicates) {
      setChecking(true);
      try {
        const found = await checkDuplicates(object, duplicateQuery(object, draft, record?.id ?? null));
        if (found.length > 0) {
          setDuplicates(found);
          return;
        }
      } catch {
        // The check is a courtesy: if it fails, saving still goes ahead.
      } finally {
        setChecking(false);
      }
    }
    setDuplicates(null);
    send(built, options.keepInvalid ?? false);
  };

  const busy = save.isPending || checking;

  return (
    <form ref={rootRef} onSubmit={(event) => void submit(event)} noValidate>
      <Stack>
        <Section id="main" title={t('records.sections.main')}>
          <MainFields object={object} draft={draft} change={change} errors={errors} labels={labels} recordId={record?.id ?? null} />
        </Section>

        <Section id="contacts" title={t('records.sections.contacts')}>
          <ContactPoints object={object} draft={draft} change={change} errors={errors} />
        </Section>

        {object === 'contact' ? (
          <Section id="companies" title={t('records.sections.companies')}>
            <CompanyLinks draft={draft} change={change} errors={errors} />
          </Section>
        ) : null}

        {object === 'company' ? (
          <Section id="requisites" title={t('records.sections.requisites')}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {['inn', 'kpp', 'ogrn', 'vat'].map((key) => (
                <TextField key={key} name={key} draft={draft} change={change} errors={errors} labels={labels} inputMode="numeric" />
              ))}
            </SimpleGrid>
            <TextField name="legalAddress" draft={draft} change={change} errors={errors} labels={labels} />
            <TextField name="actualAddress" draft={draft} change={change} errors={errors} labels={labels} />
          </Section>
        ) : null}

        <Section id="more" title={t('records.sections.more')}>
          {object === 'contact' ? (
            <>
              <TextField name="address" draft={draft} change={change} errors={errors} labels={labels} />
              <Group gap="lg">
                {['emailOptIn', 'smsOptIn'].map((key) => (
                  <Checkbox key={key} label={labels.key(key)} checked={draft.flags[key] ?? false} onChange={(event) => change((next) => void (next.flags[key] = event.currentTarget.checked), key)} />
                ))}
              </Group>
            </>
          ) : null}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {can(object, 'assign') || !record ? (
              <UserPicker
                label={labels.key('ownerId')}
                value={draft.ownerId}
                onChange={(value) => change((next) => void (next.ownerId = String(value)), 'ownerId')}
                error={errors.ownerId}
                disabled={!can(object, 'assign')}
              />
            ) : null}
            <TagsInput label={labels.key('tags')} value={draft.tags} onChange={(tags) => change((next) => void (next.tags = tags), 'tags')} error={errors.tags} description={t('records.form.tagsHint')} />
          </SimpleGrid>
        </Section>

        {sortedCustom.length > 0 ? (
          <Section id="custom" title={t('records.sections.custom')}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {sortedCustom.map((field) => (
                <CustomInput key={field.id} field={field} draft={draft} change={change} errors={errors} />
              ))}
            </SimpleGrid>
          </Section>
        ) : null}

        {conflict ? (
          <Alert color="orange" role="alert" title={t('errors.version_conflict')}>
            <Text size="sm" mb="xs">
              {t('records.form.conflict')}
            </Text>
            <Button size="xs" variant="light" color="orange" onClick={onReload}>
              {t('records.form.reload')}
            </Button>
          </Alert>
        ) : null}
        {formError ? (
          <Alert color="red" role="alert">
            {formError}
            {offerKeep ? (
              <Stack gap={6} mt="xs">
                <Text size="sm">{t('records.form.keepInvalidHint')}</Text>
                <div>
                  <Button size="xs" variant="light" color="red" loading={busy} onClick={() => void submit(null, { skipDuplicates: true, keepInvalid: true })}>
                    {t('records.form.keepInvalid')}
                  </Button>
                </div>
              </Stack>
            ) : null}
          </Alert>
        ) : null}

        {duplicates ? <DuplicateWarning candidates={duplicates} onOpen={onCancel} onSaveAnyway={() => void submit(null, { skipDuplicates: true })} onBack={() => setDuplicates(null)} busy={busy} /> : null}

        <Group justify="flex-end" mt="xs" ref={feedbackRef}>
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} disabled={conflict || duplicates !== null}>
            {record ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type Change = (mutate: (next: Draft) => void, ...keys: string[]) => void;

function Section({ id, title, children }: { id: FormSection; title: string; children: ReactNode }) {
  return (
    <Fieldset legend={title} data-section={id} radius="md" style={{ scrollMarginTop: 16 }}>
      <Stack gap="sm">{children}</Stack>
    </Fieldset>
  );
}

function TextField({ name, draft, change, errors, labels, required, inputMode, autoFocus }: { name: string; draft: Draft; change: Change; errors: Record<string, string>; labels: FieldLabels; required?: boolean; inputMode?: 'numeric'; autoFocus?: boolean }) {
  return (
    <TextInput
      label={labels.key(name)}
      required={required}
      data-autofocus={autoFocus || undefined}
      inputMode={inputMode}
      value={draft.text[name] ?? ''}
      onChange={(event) => {
        const value = event.currentTarget.value;
        change((next) => void (next.text[name] = value), name);
      }}
      error={errors[name]}
    />
  );
}

function MainFields({ object, draft, change, errors, labels, recordId }: { object: FormObject; draft: Draft; change: Change; errors: Record<string, string>; labels: FieldLabels; recordId: string | null }) {
  const { t } = useTranslation();
  const choice = (key: string, clearable = false) => (
    <Select
      key={key}
      label={labels.key(key)}
      data={(ENUMS[`${object}.${key}`] ?? []).map((value) => ({ value, label: t(`enums.${object}.${key}.${value}`) }))}
      value={draft.choice[key] ?? null}
      onChange={(value) => change((next) => void (next.choice[key] = value), key)}
      allowDeselect={clearable}
      clearable={clearable}
      error={errors[key]}
      comboboxProps={{ withinPortal: true }}
    />
  );
  if (object === 'company') {
    return (
      <>
        <TextField name="name" draft={draft} change={change} errors={errors} labels={labels} required autoFocus />
        <TextField name="legalName" draft={draft} change={change} errors={errors} labels={labels} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {choice('kind')}
          {choice('status')}
          <TextField name="industry" draft={draft} change={change} errors={errors} labels={labels} />
          <TextInput label={labels.key('website')} type="url" placeholder="https://" value={draft.text.website ?? ''} onChange={(event) => { const value = event.currentTarget.value; change((next) => void (next.text.website = value), 'website'); }} error={errors.website} />
        </SimpleGrid>
        <RecordPicker
          object="company"
          label={labels.key('parentId')}
          description={t('records.form.parentHint')}
          value={draft.choice.parentId ?? null}
          onChange={(id) => change((next) => void (next.choice.parentId = id), 'parentId')}
          exclude={recordId ? [recordId] : []}
          error={errors.parentId}
        />
      </>
    );
  }
  if (object === 'contact') {
    return (
      <>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextField name="firstName" draft={draft} change={change} errors={errors} labels={labels} required autoFocus />
          <TextField name="middleName" draft={draft} change={change} errors={errors} labels={labels} />
          <TextField name="lastName" draft={draft} change={change} errors={errors} labels={labels} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextField name="position" draft={draft} change={change} errors={errors} labels={labels} />
          {choice('source', true)}
          <TextInput label={labels.key('birthday')} type="date" value={draft.text.birthday ?? ''} onChange={(event) => { const value = event.currentTarget.value; change((next) => void (next.text.birthday = value), 'birthday'); }} error={errors.birthday} />
        </SimpleGrid>
      </>
    );
  }
  return (
    <>
      <TextField name="name" draft={draft} change={change} errors={errors} labels={labels} required autoFocus />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextField name="companyName" draft={draft} change={change} errors={errors} labels={labels} />
        <TextField name="position" draft={draft} change={change} errors={errors} labels={labels} />
        {choice('source')}
        {choice('status')}
      </SimpleGrid>
      {draft.choice.status === 'disqualified' ? <TextField name="disqualifyReason" draft={draft} change={change} errors={errors} labels={labels} /> : null}
      <Textarea label={labels.key('description')} autosize minRows={2} maxRows={8} value={draft.text.description ?? ''} onChange={(event) => { const value = event.currentTarget.value; change((next) => void (next.text.description = value), 'description'); }} error={errors.description} />
    </>
  );
}

function ContactPoints({ object, draft, change, errors }: { object: FormObject; draft: Draft; change: Change; errors: Record<string, string> }) {
  const { t } = useTranslation();
  return (
    <>
      <Repeat
        title={t('records.form.phones')}
        addLabel={t('records.form.addPhone')}
        onAdd={() => change((next) => void next.phones.push({ type: object === 'contact' ? 'mobile' : 'work', number: '' }))}
        rows={draft.phones.map((row, index) => (
          <RowLine key={index} onRemove={() => change((next) => void next.phones.splice(index, 1), `phones.${index}.number`)} removeLabel={t('records.form.removePhone')}>
            <Select
              aria-label={t('records.form.phoneType')}
              data={PHONE_TYPES.map((type) => ({ value: type, label: t(`records.phoneTypes.${type}`) }))}
              value={row.type}
              allowDeselect={false}
              onChange={(value) => value && change((next) => void (next.phones[index]!.type = value as typeof row.type))}
              w={130}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              aria-label={t('records.form.phoneNumber')}
              type="tel"
              placeholder={t('records.form.phonePlaceholder')}
              value={row.number}
              onChange={(event) => {
                const value = event.currentTarget.value;
                change((next) => void (next.phones[index]!.number = value), `phones.${index}.number`);
              }}
              error={errors[`phones.${index}.number`]}
              style={{ flex: 1, minWidth: 160 }}
            />
          </RowLine>
        ))}
      />
      <Repeat
        title={t('records.form.emails')}
        addLabel={t('records.form.addEmail')}
        onAdd={() => change((next) => void next.emails.push({ type: 'work', email: '' }))}
        rows={draft.emails.map((row, index) => (
          <RowLine key={index} onRemove={() => change((next) => void next.emails.splice(index, 1), `emails.${index}.email`)} removeLabel={t('records.form.removeEmail')}>
            <Select
              aria-label={t('records.form.emailType')}
              data={EMAIL_TYPES.map((type) => ({ value: type, label: t(`records.emailTypes.${type}`) }))}
              value={row.type}
              allowDeselect={false}
              onChange={(value) => value && change((next) => void (next.emails[index]!.type = value as typeof row.type))}
              w={130}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              aria-label={t('records.form.emailAddress')}
              type="email"
              value={row.email}
              onChange={(event) => {
                const value = event.currentTarget.value;
                change((next) => void (next.emails[index]!.email = value), `emails.${index}.email`);
              }}
              error={errors[`emails.${index}.email`]}
              style={{ flex: 1, minWidth: 160 }}
            />
          </RowLine>
        ))}
      />
      {object === 'contact' ? (
        <Repeat
          title={t('records.form.messengers')}
          addLabel={t('records.form.addMessenger')}
          onAdd={() => change((next) => void next.messengers.push({ type: 'telegram', handle: '' }))}
          rows={draft.messengers.map((row, index) => (
            <RowLine key={index} onRemove={() => change((next) => void next.messengers.splice(index, 1))} removeLabel={t('records.form.removeMessenger')}>
              <Select
                aria-label={t('records.form.messengerType')}
                data={MESSENGER_TYPES.map((type) => ({ value: type, label: t(`records.messengerTypes.${type}`) }))}
                value={row.type}
                allowDeselect={false}
                onChange={(value) => value && change((next) => void (next.messengers[index]!.type = value as typeof row.type))}
                w={130}
                comboboxProps={{ withinPortal: true }}
              />
              <TextInput
                aria-label={t('records.form.messengerHandle')}
                value={row.handle}
                onChange={(event) => {
                  const value = event.currentTarget.value;
                  change((next) => void (next.messengers[index]!.handle = value), `messengers.${index}.handle`);
                }}
                error={errors[`messengers.${index}.handle`]}
                style={{ flex: 1, minWidth: 160 }}
              />
            </RowLine>
          ))}
        />
      ) : null}
    </>
  );
}

function CompanyLinks({ draft, change, errors }: { draft: Draft; change: Change; errors: Record<string, string> }) {
  const { t } = useTranslation();
  const chosen = draft.companies.map((row) => row.companyId).filter((id): id is string => id !== null);
  return (
    <Repeat
      title={null}
      addLabel={t('records.form.addCompany')}
      onAdd={() => change((next) => void next.companies.push({ companyId: null, role: '', isPrimary: next.companies.length === 0 }))}
      rows={draft.companies.map((row, index) => (
        <RowLine key={index} onRemove={() => change((next) => void next.companies.splice(index, 1))} removeLabel={t('records.form.removeCompany')}>
          <RecordPicker
            object="company"
            aria-label={t('records.form.company')}
            value={row.companyId}
            onChange={(id) => change((next) => void (next.companies[index]!.companyId = id), `companies.${index}.companyId`)}
            exclude={chosen.filter((id) => id !== row.companyId)}
            error={errors[`companies.${index}.companyId`]}
            w={240}
          />
          <TextInput
            aria-label={t('records.form.role')}
            placeholder={t('records.form.rolePlaceholder')}
            value={row.role}
            onChange={(event) => {
              const value = event.currentTarget.value;
              change((next) => void (next.companies[index]!.role = value), `companies.${index}.role`);
            }}
            error={errors[`companies.${index}.role`]}
            style={{ flex: 1, minWidth: 140 }}
          />
          <Checkbox
            label={t('records.form.primary')}
            checked={row.isPrimary}
            onChange={(event) => {
              const on = event.currentTarget.checked;
              change((next) => next.companies.forEach((link, other) => (link.isPrimary = other === index ? on : on ? false : link.isPrimary)));
            }}
          />
        </RowLine>
      ))}
    />
  );
}

function Repeat({ title, rows, addLabel, onAdd }: { title: string | null; rows: ReactNode[]; addLabel: string; onAdd: () => void }) {
  return (
    <Stack gap={6}>
      {title ? (
        <Text size="sm" fw={500}>
          {title}
        </Text>
      ) : null}
      {rows}
      <div>
        <Button size="compact-sm" variant="subtle" leftSection={<Icon name="plus" size={14} />} onClick={onAdd}>
          {addLabel}
        </Button>
      </div>
    </Stack>
  );
}

function RowLine({ children, onRemove, removeLabel }: { children: ReactNode; onRemove: () => void; removeLabel: string }) {
  return (
    <Group gap="xs" align="flex-start" wrap="wrap">
      {children}
      <ActionIcon variant="subtle" color="gray" size="lg" aria-label={removeLabel} onClick={onRemove}>
        ×
      </ActionIcon>
    </Group>
  );
}

function CustomInput({ field, draft, change, errors }: { field: CustomField; draft: Draft; change: Change; errors: Record<string, string> }) {
  const key = `custom.${field.key}`;
  return (
    <FieldInput
      kind={field.kind}
      label={field.label}
      required={field.required}
      value={draft.custom[field.key]}
      onChange={(value) => change((next) => void (next.custom[field.key] = value), key)}
      options={field.options.map((option) => ({ value: option.value, label: option.label }))}
      target={field.relationObject}
      currency={field.currency}
      error={errors[key]}
    />
  );
}

/** "Possible duplicates": links to the likely same records, and the choice to save anyway. */
export function DuplicateWarning({ candidates, onOpen, onSaveAnyway, onBack, busy }: { candidates: DuplicateCandidate[]; onOpen: () => void; onSaveAnyway: () => void; onBack: () => void; busy: boolean }) {
  const { t } = useTranslation();
  const list = useMemo(() => candidates.slice(0, 10), [candidates]);
  return (
    <Alert color="yellow" title={t('records.duplicates.title')} role="alert" data-testid="duplicate-warning">
      <Text size="sm" mb="xs">
        {t('records.duplicates.text', { count: candidates.length })}
      </Text>
      <List spacing={6} listStyleType="none" p={0} mb="sm">
        {list.map((candidate) => (
          <List.Item key={candidate.id}>
            <Group gap={6} wrap="wrap">
              <Anchor component={Link} to={recordUrl(candidate.object, candidate.id)} onClick={onOpen} fw={500} size="sm">
                {candidate.title}
              </Anchor>
              {candidate.subtitle ? (
                <Text span size="sm" c="dimmed">
                  {candidate.subtitle}
                </Text>
              ) : null}
              {candidate.reasons.map((reason) => (
                <Badge key={reason} size="xs" variant="light" color="yellow">
                  {t(`records.duplicates.reasons.${reason}`)}
                </Badge>
              ))}
            </Group>
          </List.Item>
        ))}
      </List>
      <Group gap="xs">
        <Button size="xs" color="yellow" onClick={onSaveAnyway} loading={busy}>
          {t('records.duplicates.saveAnyway')}
        </Button>
        <Button size="xs" variant="default" onClick={onBack}>
          {t('records.duplicates.back')}
        </Button>
      </Group>
    </Alert>
  );
}
