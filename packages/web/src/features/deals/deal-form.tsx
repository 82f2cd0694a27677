import { DEAL_SOURCES, type Deal } from '@rapport/shared';
import { ActionIcon, Alert, Button, Group, Modal, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-client';
import { useCan, useMe } from '../../app/session';
import { useErrorText, useFieldMessage } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { useToast } from '../../components/toast-center';
import { useCustomFields } from '../custom-fields/use-custom-fields';
import { usePipelines } from '../pipelines/use-pipelines';
import { usePriceLists } from '../price-lists/use-price-lists';
import { serverFieldErrors } from '../products/product-draft';
import { FieldInput } from '../records/field-input';
import { RecordPicker, UserPicker } from '../records/pickers';
import { useSaveRecord } from '../records/use-records';
import { dealDraftErrors, draftOfDeal, toDealCreateBody, toDealUpdateBody, type DealDefaults, type DealDraft, type DealField } from './deal-draft';
import { useRefreshDealViews } from './use-deals';

/** Fields the form shows a server error beside; others go to the form's general error. */
const SHOWN = new Set(['title', 'pipelineId', 'stageId', 'amount', 'currency', 'expectedCloseDate', 'companyId', 'ownerId', 'lostReason', 'campaign', 'priceListId']);

export interface DealPreset {
  pipelineId?: string | null;
  stageId?: string | null;
  companyId?: string | null;
  contactId?: string | null;
}

/** Creates a deal (in a preset pipeline, stage, company or with a preset person) or edits one. */
export function DealFormModal({ deal, opened, preset, onClose, onSaved }: { deal: Deal | null; opened: boolean; preset?: DealPreset; onClose: () => void; onSaved: (deal: Deal) => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={deal ? t('deals.form.editTitle') : t('deals.form.newTitle')} size="lg">
      {opened ? <DealForm deal={deal} preset={preset ?? {}} onCancel={onClose} onSaved={onSaved} /> : null}
    </Modal>
  );
}

function DealForm({ deal, preset, onCancel, onSaved }: { deal: Deal | null; preset: DealPreset; onCancel: () => void; onSaved: (deal: Deal) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const toast = useToast();
  const errorText = useErrorText();
  const fieldMessage = useFieldMessage();
  const pipelines = usePipelines();
  const customFields = useCustomFields('deal');
  const custom = [...(customFields.data ?? [])].sort((a, b) => a.position - b.position || a.label.localeCompare(b.label));
  const priceLists = usePriceLists(false, can('deal', 'read'));
  const save = useSaveRecord('deal');
  const refresh = useRefreshDealViews();
  const defaultPipeline = pipelines.data?.find((pipeline) => pipeline.isDefault) ?? pipelines.data?.[0];
  const defaults: DealDefaults = { ownerId: me.user.id, currency: me.workspace.currency, pipelineId: preset.pipelineId ?? null, stageId: preset.stageId ?? null, companyId: preset.companyId ?? null, contactId: preset.contactId ?? null };
  const [draft, setDraft] = useState<DealDraft>(() => draftOfDeal(deal, defaults));
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Map<string, string>>(new Map());
  const [formError, setFormError] = useState<string | null>(null);

  const pipeline = pipelines.data?.find((candidate) => candidate.id === (draft.pipelineId ?? defaultPipeline?.id));
  const stages = pipeline?.stages ?? [];
  const stage = stages.find((candidate) => candidate.id === draft.stageId) ?? stages[0];
  const local = dealDraftErrors(draft, stage?.kind);
  const errorAt = (field: DealField | string) => serverErrors.get(field) ?? (submitted && local.has(field as DealField) ? t(`deals.errors.${local.get(field as DealField)!}`) : undefined);
  /** Another currency takes its own default list (a list prices in one currency only); a new deal leaves it to the server. */
  const changeCurrency = (currency: string) => {
    const fallback = deal ? (priceLists.data?.items.find((list) => list.currency === currency && list.isDefault)?.id ?? null) : null;
    setDraft((current) => ({ ...current, currency, priceListId: priceLists.data?.items.find((list) => list.id === current.priceListId)?.currency === currency ? current.priceListId : fallback }));
  };
  const set = <K extends keyof DealDraft>(field: K, value: DealDraft[K]) => {
    setDraft((current) => ({ ...current, [field]: value }));
    setServerErrors((current) => {
      const next = new Map(current);
      next.delete(field);
      return next;
    });
  };

  const fail = (error: unknown) => {
    const byField = serverFieldErrors(error, (field) => SHOWN.has(field) || /^contacts\.\d+\.contactId$/.test(field) || field.startsWith('custom.'), (rule) => t(`deals.errors.${rule}`), fieldMessage);
    setServerErrors(byField);
    if (byField.size > 0) return;
    setFormError(isApiError(error) && error.code === 'version_conflict' ? t('deals.form.conflict') : errorText(error));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setServerErrors(new Map());
    setFormError(null);
    if (local.size > 0) return;
    // The stage shown is the one sent: a new deal in a pipeline starts where the form says.
    const complete = { ...draft, pipelineId: pipeline?.id ?? null, stageId: stage?.id ?? null };
    const body = deal ? toDealUpdateBody(complete, deal, defaults) : toDealCreateBody(complete);
    save.mutate(
      { ...(deal ? { id: deal.id } : {}), body: body as unknown as Record<string, unknown> },
      {
        onSuccess: (saved) => {
          void refresh(saved.id);
          toast({ color: 'green', message: t('deals.form.saved', { title: saved.title }) });
          onSaved(saved);
        },
        onError: fail,
      },
    );
  };

  const contactRow = (index: number, patch: Partial<DealDraft['contacts'][number]>) => set('contacts', draft.contacts.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  return (
    <form onSubmit={submit} noValidate aria-label={deal ? deal.title : t('deals.form.newTitle')}>
      <Stack>
        {formError ? (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        ) : null}
        <TextInput label={t('fields.deal.title')} value={draft.title} onChange={(event) => set('title', event.currentTarget.value)} error={errorAt('title')} maxLength={300} required data-autofocus />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('fields.deal.pipelineId')}
            data={(pipelines.data ?? []).map((item) => ({ value: item.id, label: item.name }))}
            value={pipeline?.id ?? null}
            onChange={(value) => setDraft((current) => ({ ...current, pipelineId: value, stageId: null }))}
            error={errorAt('pipelineId')}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t('fields.deal.stageId')}
            data={stages.map((item) => ({ value: item.id, label: item.name }))}
            value={stage?.id ?? null}
            onChange={(value) => set('stageId', value)}
            error={errorAt('stageId')}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput label={t('fields.deal.amount')} description={t('deals.form.amountHint')} value={draft.amount} onChange={(event) => set('amount', event.currentTarget.value)} error={errorAt('amount')} maxLength={30} inputMode="decimal" />
          <TextInput label={t('fields.deal.currency')} description={t('deals.form.currencyHint')} value={draft.currency} onChange={(event) => changeCurrency(event.currentTarget.value.toUpperCase())} error={errorAt('currency')} maxLength={3} />
          <TextInput type="date" label={t('fields.deal.expectedCloseDate')} value={draft.expectedCloseDate} onChange={(event) => set('expectedCloseDate', event.currentTarget.value)} error={errorAt('expectedCloseDate')} />
          <TextInput label={t('fields.deal.campaign')} description={t('deals.form.campaignHint')} value={draft.campaign} onChange={(event) => set('campaign', event.currentTarget.value)} error={errorAt('campaign')} maxLength={200} />
          <Select
            label={t('fields.deal.priceListId')}
            description={t('deals.form.priceListHint')}
            placeholder={deal ? t('deals.form.noPriceList') : t('deals.form.defaultPriceList')}
            data={(priceLists.data?.items ?? []).filter((list) => list.currency === draft.currency.trim().toUpperCase()).map((list) => ({ value: list.id, label: list.name }))}
            value={draft.priceListId}
            onChange={(value) => set('priceListId', value)}
            error={errorAt('priceListId')}
            clearable
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t('fields.deal.source')}
            data={DEAL_SOURCES.map((value) => ({ value, label: t(`enums.deal.source.${value}`) }))}
            value={draft.source}
            onChange={(value) => set('source', value)}
            clearable
            comboboxProps={{ withinPortal: true }}
          />
          {can('company', 'read') ? <RecordPicker object="company" label={t('fields.deal.companyId')} value={draft.companyId} onChange={(id) => set('companyId', id)} error={errorAt('companyId')} /> : null}
          <UserPicker label={t('fields.deal.ownerId')} value={draft.ownerId} onChange={(value) => set('ownerId', String(value))} error={errorAt('ownerId')} />
        </SimpleGrid>
        {stage?.kind === 'lost' ? (
          <TextInput label={t('fields.deal.lostReason')} description={t('deals.form.lostHint')} value={draft.lostReason} onChange={(event) => set('lostReason', event.currentTarget.value)} error={errorAt('lostReason')} maxLength={500} required />
        ) : null}
        {can('contact', 'read') ? (
          <Stack gap="xs">
            <Text size="sm" fw={500}>
              {t('deals.form.people')}
            </Text>
            {draft.contacts.map((row, index) => (
              <Group key={index} gap="xs" align="flex-start" wrap="nowrap">
                <RecordPicker
                  object="contact"
                  aria-label={t('deals.form.person')}
                  value={row.contactId}
                  onChange={(id) => contactRow(index, { contactId: id })}
                  exclude={draft.contacts.flatMap((other, i) => (i !== index && other.contactId ? [other.contactId] : []))}
                  error={errorAt(`contacts.${index}.contactId`)}
                  w="50%"
                />
                <TextInput aria-label={t('deals.form.role')} placeholder={t('deals.form.rolePlaceholder')} value={row.role} onChange={(event) => contactRow(index, { role: event.currentTarget.value })} maxLength={100} style={{ flex: 1 }} />
                <ActionIcon variant="subtle" color="gray" size="lg" aria-label={t('deals.form.remove')} onClick={() => set('contacts', draft.contacts.filter((_, i) => i !== index))}>
                  <Icon name="trash" size={16} />
                </ActionIcon>
              </Group>
            ))}
            <Button variant="subtle" size="compact-sm" leftSection={<Icon name="plus" size={14} />} onClick={() => set('contacts', [...draft.contacts, { contactId: null, role: '' }])} style={{ alignSelf: 'flex-start' }}>
              {t('deals.form.addPerson')}
            </Button>
          </Stack>
        ) : null}
        {custom.length > 0 ? (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {custom.map((field) => (
              <FieldInput
                key={field.id}
                kind={field.kind}
                label={field.label}
                required={field.required}
                value={draft.custom[field.key] ?? null}
                onChange={(value) => set('custom', { ...draft.custom, [field.key]: value })}
                options={field.options.map((option) => ({ value: option.value, label: option.label }))}
                target={field.relationObject}
                currency={field.currency}
                error={serverErrors.get(`custom.${field.key}`)}
              />
            ))}
          </SimpleGrid>
        ) : null}
        <Textarea label={t('fields.deal.description')} value={draft.description} onChange={(event) => set('description', event.currentTarget.value)} maxLength={5000} autosize minRows={2} maxRows={6} />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {deal ? t('common.save') : t('deals.form.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
