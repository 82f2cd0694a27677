import type { DuplicateCandidate, Lead, LeadConvertBody } from '@rapport/shared';
import { Alert, Anchor, Badge, Button, Checkbox, Group, Modal, Radio, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/api-client';
import { useCan } from '../../app/session';
import { useErrorText } from '../../components/error-text';
import { QueryStatus } from '../../components/query-status';
import { usePipelines } from '../pipelines/use-pipelines';
import { recordUrl } from './objects';
import { RecordPicker } from './pickers';
import { useConvertLead, useConvertPreview } from './use-records';

/**
 * Converting a lead: a new contact or an existing one (likely matches offered first), and a new company, an existing
 * one or none, and optionally a deal in a pipeline. The lead's notes follow to each of them.
 */
export function LeadConvertModal({ lead, opened, onClose, onConflict }: { lead: Lead; opened: boolean; onClose: () => void; onConflict: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} size="lg" title={t('records.convert.title', { name: lead.name })} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {opened ? <ConvertForm lead={lead} onClose={onClose} onConflict={onConflict} /> : null}
    </Modal>
  );
}

function ConvertForm({ lead, onClose, onConflict }: { lead: Lead; onClose: () => void; onConflict: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const can = useCan();
  const pipelines = usePipelines();
  const preview = useConvertPreview(lead.id, true);
  const convert = useConvertLead();
  const [contact, setContact] = useState<string>('new');
  const [company, setCompany] = useState<string>(lead.companyName ? 'new' : 'none');
  const [otherCompany, setOtherCompany] = useState<string | null>(null);
  const [withDeal, setWithDeal] = useState(false);
  const [pipelineId, setPipelineId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ contactId: string; companyId: string | null; dealId: string | null } | null>(null);
  const defaultPipeline = pipelines.data?.find((pipeline) => pipeline.isDefault) ?? pipelines.data?.[0];

  if (result) {
    return (
      <Stack>
        <Alert color="green" title={t('records.convert.doneTitle')} role="status">
          <Text size="sm">{t('records.convert.doneText', { name: lead.name })}</Text>
        </Alert>
        <Group gap="md">
          <Anchor component={Link} to={recordUrl('contact', result.contactId)} onClick={onClose} fw={600}>
            {t('records.convert.openContact')}
          </Anchor>
          {result.companyId ? (
            <Anchor component={Link} to={recordUrl('company', result.companyId)} onClick={onClose}>
              {t('records.convert.openCompany')}
            </Anchor>
          ) : null}
          {result.dealId ? (
            <Anchor component={Link} to={recordUrl('deal', result.dealId)} onClick={onClose}>
              {t('deals.convert.openDeal')}
            </Anchor>
          ) : null}
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.done')}
          </Button>
        </Group>
      </Stack>
    );
  }

  const submit = () => {
    setError(null);
    const companyChoice: LeadConvertBody['company'] =
      company === 'new' ? { mode: 'new' } : company === 'none' ? { mode: 'none' } : company === 'other' ? { mode: 'existing', id: otherCompany! } : { mode: 'existing', id: company };
    if (company === 'other' && !otherCompany) return setError(t('records.convert.chooseCompany'));
    convert.mutate(
      {
        id: lead.id,
        body: {
          contact: contact === 'new' ? { mode: 'new' } : { mode: 'existing', id: contact },
          company: companyChoice,
          ...(withDeal ? { deal: { pipelineId: pipelineId ?? defaultPipeline?.id } } : {}),
          version: lead.version,
        },
      },
      {
        onSuccess: (converted) => setResult({ contactId: converted.contactId, companyId: converted.companyId, dealId: converted.dealId }),
        onError: (failure) => {
          if (isApiError(failure) && failure.code === 'version_conflict') {
            onConflict();
            setError(t('records.convert.conflict'));
          } else setError(errorText(failure));
        },
      },
    );
  };

  return (
    <QueryStatus isPending={preview.isPending} error={preview.error} onRetry={() => void preview.refetch()}>
      <Stack>
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        <Radio.Group label={t('records.convert.contact')} value={contact} onChange={setContact}>
          <Stack gap="xs" mt={6}>
            <Radio value="new" label={t('records.convert.newContact', { name: lead.name })} />
            {(preview.data?.contacts ?? []).map((candidate) => (
              <Radio key={candidate.id} value={candidate.id} label={<CandidateLabel candidate={candidate} />} />
            ))}
          </Stack>
        </Radio.Group>
        {(preview.data?.contacts.length ?? 0) > 0 ? (
          <Text size="xs" c="dimmed">
            {t('records.convert.contactMatches')}
          </Text>
        ) : null}
        <Radio.Group label={t('records.convert.company')} value={company} onChange={setCompany}>
          <Stack gap="xs" mt={6}>
            {lead.companyName ? <Radio value="new" label={t('records.convert.newCompany', { name: lead.companyName })} /> : null}
            {(preview.data?.companies ?? []).map((candidate) => (
              <Radio key={candidate.id} value={candidate.id} label={<CandidateLabel candidate={candidate} />} />
            ))}
            <Radio value="other" label={t('records.convert.otherCompany')} />
            {company === 'other' ? <RecordPicker object="company" aria-label={t('records.convert.otherCompany')} value={otherCompany} onChange={setOtherCompany} w={320} /> : null}
            <Radio value="none" label={t('records.convert.noCompany')} />
          </Stack>
        </Radio.Group>
        {can('deal', 'create') ? (
          <Stack gap="xs">
            <Checkbox label={t('deals.convert.withDeal')} checked={withDeal} onChange={(event) => setWithDeal(event.currentTarget.checked)} />
            {withDeal ? (
              <Select
                label={t('deals.convert.pipeline')}
                data={(pipelines.data ?? []).map((pipeline) => ({ value: pipeline.id, label: pipeline.name }))}
                value={pipelineId ?? defaultPipeline?.id ?? null}
                onChange={setPipelineId}
                allowDeselect={false}
                w={320}
                comboboxProps={{ withinPortal: true }}
              />
            ) : null}
          </Stack>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="orange" onClick={submit} loading={convert.isPending}>
            {t('records.convert.submit')}
          </Button>
        </Group>
      </Stack>
    </QueryStatus>
  );
}

function CandidateLabel({ candidate }: { candidate: DuplicateCandidate }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="wrap">
      <Text size="sm" fw={500}>
        {t('records.convert.existing', { name: candidate.title })}
      </Text>
      {candidate.subtitle ? (
        <Text size="sm" c="dimmed">
          {candidate.subtitle}
        </Text>
      ) : null}
      {candidate.reasons.map((reason) => (
        <Badge key={reason} size="xs" variant="light">
          {t(`records.duplicates.reasons.${reason}`)}
        </Badge>
      ))}
    </Group>
  );
}
