import { LEAD_SOURCES, WEB_FORM_ASSIGN_MODES, WEEKDAYS, type LeadDistributionRule, type WebFormAssignMode } from '@rapport/shared';
import { ActionIcon, Alert, Anchor, Badge, Button, Chip, Group, MultiSelect, NumberInput, Paper, SegmentedControl, Select, Stack, Switch, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/api-client';
import { ConfirmDeleteModal } from '../../components/confirm-delete-modal';
import { useErrorText, useFieldMessage } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { useCustomFields } from '../custom-fields/use-custom-fields';
import { useProductPages } from '../products/use-products';
import { useTeams } from '../teams/use-teams';
import { useUserDirectory } from '../users/use-users';
import { useWebForms } from '../web-forms/use-web-forms';
import { draftErrors, draftOf, editorFieldOf, moved, toBody, type RuleDraft } from './rule-draft';
import { useDeleteDistributionRule, useDistributionRule, useDistributionRules, useReorderDistributionRules, useSaveDistributionRule } from './use-lead-distribution';

/** Settings › Lead distribution: the ordered rules that pick the owner of every incoming lead. */
export function LeadDistributionPage() {
  const { t } = useTranslation();
  const rules = useDistributionRules();
  const toast = useToast();
  const errorText = useErrorText();
  const remove = useDeleteDistributionRule();
  const reorder = useReorderDistributionRules();
  const users = useUserDirectory();
  const teams = useTeams();
  const [deleting, setDeleting] = useState<LeadDistributionRule | null>(null);
  const items = rules.data ?? [];
  const ids = items.map((rule) => rule.id);
  const userName = new Map((users.data ?? []).map((user) => [user.id, user.name]));
  const teamName = new Map((teams.data ?? []).map((team) => [team.id, team.name]));
  const move = (id: string, step: -1 | 1) => reorder.mutate(moved(ids, id, step), { onError: (error) => toast({ color: 'red', message: errorText(error) }) });
  const who = (rule: LeadDistributionRule) =>
    rule.assignment.mode === 'user' ? (userName.get(rule.assignment.userId ?? '') ?? '—') : t(`leadDistribution.modeOf.${rule.assignment.mode}`, { team: teamName.get(rule.assignment.teamId ?? '') ?? '—' });
  const conditions = (rule: LeadDistributionRule) => {
    const parts = [
      ...rule.conditions.sources.map((source) => t(`enums.lead.source.${source}`)),
      ...(rule.conditions.region ? [rule.conditions.region.values.join(', ')] : []),
      ...(rule.conditions.productIds.length > 0 ? [t('leadDistribution.productCount', { count: rule.conditions.productIds.length })] : []),
      ...(rule.conditions.formIds.length > 0 ? [t('leadDistribution.formCount', { count: rule.conditions.formIds.length })] : []),
    ];
    return parts.length > 0 ? parts.join(' · ') : t('leadDistribution.anyLead');
  };

  return (
    <>
      <PageHeader
        title={t('leadDistribution.title')}
        description={t('leadDistribution.description')}
        actions={
          <Button component={Link} to="/settings/lead-distribution/new" leftSection={<Icon name="plus" size={16} />}>
            {t('leadDistribution.new')}
          </Button>
        }
      />
      <QueryStatus isPending={rules.isPending} error={rules.error} onRetry={() => void rules.refetch()}>
        {items.length === 0 ? (
          <Text c="dimmed" py="lg">
            {t('leadDistribution.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table highlightOnHover verticalSpacing="sm" aria-label={t('leadDistribution.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={40}>#</Table.Th>
                  <Table.Th>{t('leadDistribution.fields.name')}</Table.Th>
                  <Table.Th>{t('leadDistribution.columns.conditions')}</Table.Th>
                  <Table.Th>{t('leadDistribution.columns.who')}</Table.Th>
                  <Table.Th>{t('leadDistribution.columns.hours')}</Table.Th>
                  <Table.Th w={130} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((rule, index) => (
                  <Table.Tr key={rule.id} data-testid="distribution-rule-row">
                    <Table.Td>{index + 1}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Anchor component={Link} to={`/settings/lead-distribution/${rule.id}`} fw={500} size="sm">
                          {rule.name}
                        </Anchor>
                        {rule.enabled ? null : (
                          <Badge size="xs" variant="light" color="gray">
                            {t('leadDistribution.disabledBadge')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{conditions(rule)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{who(rule)}</Text>
                      {rule.reassign ? (
                        <Text size="xs" c="dimmed">
                          {t('leadDistribution.reassignSummary', { minutes: rule.reassign.afterMinutes, count: rule.reassign.maxTimes })}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {rule.workingHours
                          ? `${rule.workingHours.days.map((day) => t(`leadDistribution.weekdays.${day}`)).join(', ')} ${rule.workingHours.from}–${rule.workingHours.to}`
                          : t('leadDistribution.always')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        <ActionIcon variant="subtle" disabled={index === 0 || reorder.isPending} onClick={() => move(rule.id, -1)} aria-label={t('leadDistribution.moveUp', { name: rule.name })}>
                          <Icon name="chevronUp" size={16} />
                        </ActionIcon>
                        <ActionIcon variant="subtle" disabled={index === items.length - 1 || reorder.isPending} onClick={() => move(rule.id, 1)} aria-label={t('leadDistribution.moveDown', { name: rule.name })}>
                          <Icon name="chevronDown" size={16} />
                        </ActionIcon>
                        <ActionIcon variant="subtle" color="red" onClick={() => setDeleting(rule)} aria-label={t('leadDistribution.delete', { name: rule.name })}>
                          <Icon name="trash" size={16} />
                        </ActionIcon>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Text size="sm" c="dimmed" mt="md">
          {t('leadDistribution.fallbackHint')}
        </Text>
      </QueryStatus>
      <ConfirmDeleteModal
        item={deleting}
        title={t('leadDistribution.deleteTitle')}
        message={t('leadDistribution.deleteText', { name: deleting?.name ?? '' })}
        done={(rule) => t('leadDistribution.deleted', { name: rule.name })}
        pending={remove.isPending}
        remove={(rule) => remove.mutateAsync(rule.id)}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}

/** One rule's editor. */
export function LeadDistributionRulePage() {
  const { t } = useTranslation();
  const { ruleId } = useParams();
  const isNew = ruleId === 'new';
  const rule = useDistributionRule(isNew ? undefined : ruleId);
  const ready = isNew || rule.data;
  return (
    <>
      <PageHeader
        title={isNew ? t('leadDistribution.new') : (rule.data?.name ?? t('leadDistribution.title'))}
        description={
          <Anchor component={Link} to="/settings/lead-distribution" size="sm">
            {t('leadDistribution.back')}
          </Anchor>
        }
      />
      <QueryStatus isPending={!ready && !rule.error} error={rule.error} onRetry={() => void rule.refetch()}>
        {ready ? <RuleEditor key={rule.data ? `${rule.data.id}:${rule.data.version}` : 'new'} rule={rule.data ?? null} /> : null}
      </QueryStatus>
    </>
  );
}

/** Server sentences the editor has its own words for; others get the generic field messages. */
const SERVER_RULES: [RegExp, string][] = [
  [/no such active user|choose the person/, 'chooseUser'],
  [/no such team|choose the team/, 'chooseTeam'],
  [/no such web form/, 'unknownForm'],
  [/no such product/, 'unknownProduct'],
  [/no such lead custom field|text or select/, 'regionField'],
  [/at least one region/, 'regionsRequired'],
  [/working day|each day once/, 'daysRequired'],
  [/later than the start/, 'fromBeforeTo'],
  [/nobody to pass the lead to/, 'reassignNeedsTeam'],
  [/between 1 minute and a week/, 'afterMinutes'],
  [/between 1 and 20/, 'maxTimes'],
];

/** The editor field whose error a draft value's change answers. */
const ERROR_FIELD: Partial<Record<keyof RuleDraft, string>> = { mode: 'assignment', userId: 'assignment', teamId: 'assignment', from: 'hours', to: 'hours', reassignOn: 'reassign', hoursOn: 'hours' };

function RuleEditor({ rule }: { rule: LeadDistributionRule | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const toast = useToast();
  const errorText = useErrorText();
  const fieldMessage = useFieldMessage();
  const users = useUserDirectory();
  const teams = useTeams();
  const forms = useWebForms();
  const products = useProductPages('', false);
  const custom = useCustomFields('lead');
  const save = useSaveDistributionRule();
  const narrow = useMediaQuery('(max-width: 36em)');
  const [draft, setDraft] = useState<RuleDraft>(() => draftOf(rule));
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [formError, setFormError] = useState<string | null>(null);
  const ruleText = (key: string) => t(`leadDistribution.errors.${key}`);
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
    // A field's complaint goes once the field is changed.
    const field = ERROR_FIELD[key] ?? key;
    if (errors.has(field)) setErrors((current) => new Map([...current].filter(([name]) => name !== field)));
  };

  const fail = (error: unknown) => {
    const byField = new Map<string, string>();
    if (isApiError(error)) {
      for (const item of error.fieldErrors) {
        const field = editorFieldOf(item.path);
        const known = SERVER_RULES.find(([test]) => test.test(item.message))?.[1];
        const text = known ? ruleText(known) : fieldMessage(item.message);
        byField.set(field, [...new Set([byField.get(field), text].filter(Boolean))].join('; '));
      }
    }
    const formLevel = byField.get('form');
    byField.delete('form');
    setErrors(byField);
    if (byField.size > 0 && !formLevel) return;
    setFormError(formLevel ?? (isApiError(error) && error.code === 'version_conflict' ? t('leadDistribution.conflict') : errorText(error)));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const local = draftErrors(draft);
    setErrors(new Map([...local].map(([field, key]) => [field, ruleText(key)])));
    if (local.size > 0) return;
    const body = toBody(draft);
    save.mutate(
      { id: rule?.id ?? null, body: rule ? { ...body, version: rule.version } : body },
      {
        onSuccess: (saved) => {
          toast({ color: 'green', message: t('leadDistribution.saved', { name: saved.name }) });
          void navigate('/settings/lead-distribution');
        },
        onError: fail,
      },
    );
  };

  const modeOptions = WEB_FORM_ASSIGN_MODES.map((mode) => ({ value: mode, label: t(`leadDistribution.modes.${mode}`) }));
  const productOptions = (products.data?.pages.flatMap((page) => page.items) ?? []).map((product) => ({ value: product.id, label: `${product.name} (${product.sku})` }));
  const regionFields = (custom.data ?? []).filter((field) => field.kind === 'text' || field.kind === 'select').map((field) => ({ value: field.key, label: field.label }));

  return (
    <Paper withBorder radius="md" p="lg" component="form" onSubmit={submit} noValidate aria-label={t('leadDistribution.editor')} maw={820}>
      <Stack>
        {formError ? (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        ) : null}
        <TextInput label={t('leadDistribution.fields.name')} required maxLength={200} value={draft.name} onChange={(event) => set('name', event.currentTarget.value)} error={errors.get('name')} data-autofocus />
        <Switch label={t('leadDistribution.fields.enabled')} checked={draft.enabled} onChange={(event) => set('enabled', event.currentTarget.checked)} />

        <Title order={2} size="h5">
          {t('leadDistribution.sections.conditions')}
        </Title>
        <Text size="xs" c="dimmed" mt={-8}>
          {t('leadDistribution.conditionsHint')}
        </Text>
        <MultiSelect
          label={t('leadDistribution.fields.sources')}
          placeholder={t('leadDistribution.anyValue')}
          data={LEAD_SOURCES.map((source) => ({ value: source, label: t(`enums.lead.source.${source}`) }))}
          value={draft.sources}
          onChange={(value) => set('sources', value as RuleDraft['sources'])}
          error={errors.get('sources')}
          clearable
        />
        <Group grow align="flex-start">
          <Select label={t('leadDistribution.fields.regionField')} description={t('leadDistribution.regionHint')} placeholder={t('leadDistribution.noRegion')} data={regionFields} value={draft.regionField} onChange={(value) => set('regionField', value)} error={errors.get('regionField')} clearable />
          <Textarea label={t('leadDistribution.fields.regions')} description={t('leadDistribution.regionsHint')} autosize minRows={2} disabled={!draft.regionField} value={draft.regions} onChange={(event) => set('regions', event.currentTarget.value)} error={errors.get('regions')} />
        </Group>
        <MultiSelect label={t('leadDistribution.fields.products')} description={t('leadDistribution.productsHint')} placeholder={t('leadDistribution.anyValue')} searchable data={productOptions} value={draft.productIds} onChange={(value) => set('productIds', value)} error={errors.get('productIds')} clearable />
        <MultiSelect label={t('leadDistribution.fields.forms')} placeholder={t('leadDistribution.anyValue')} data={(forms.data ?? []).map((form) => ({ value: form.id, label: form.name }))} value={draft.formIds} onChange={(value) => set('formIds', value)} error={errors.get('formIds')} clearable />

        <Title order={2} size="h5">
          {t('leadDistribution.sections.who')}
        </Title>
        <SegmentedControl data={modeOptions} orientation={narrow ? 'vertical' : 'horizontal'} fullWidth value={draft.mode} onChange={(value) => set('mode', value as WebFormAssignMode)} aria-label={t('leadDistribution.sections.who')} />
        {draft.mode === 'user' ? (
          <Select
            label={t('leadDistribution.fields.user')}
            searchable
            data={(users.data ?? []).filter((user) => user.status === 'active').map((user) => ({ value: user.id, label: user.name }))}
            value={draft.userId}
            onChange={(value) => set('userId', value)}
            error={errors.get('assignment')}
          />
        ) : (
          <Select label={t('leadDistribution.fields.team')} description={t(`leadDistribution.modeHints.${draft.mode}`)} searchable data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))} value={draft.teamId} onChange={(value) => set('teamId', value)} error={errors.get('assignment')} />
        )}

        <Title order={2} size="h5">
          {t('leadDistribution.sections.hours')}
        </Title>
        <Switch label={t('leadDistribution.fields.hoursOn')} description={t('leadDistribution.hoursHint')} checked={draft.hoursOn} onChange={(event) => set('hoursOn', event.currentTarget.checked)} />
        {draft.hoursOn ? (
          <Stack gap="xs">
            <Chip.Group multiple value={draft.days} onChange={(value) => set('days', value)}>
              <Group gap={6}>
                {WEEKDAYS.map((day) => (
                  <Chip key={day} value={String(day)} size="sm">
                    {t(`leadDistribution.weekdays.${day}`)}
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
            {errors.get('days') ? (
              <Text size="xs" c="red">
                {errors.get('days')}
              </Text>
            ) : null}
            <Group grow align="flex-start" maw={360}>
              <TextInput type="time" label={t('leadDistribution.fields.from')} value={draft.from} onChange={(event) => set('from', event.currentTarget.value)} error={errors.get('hours')} />
              <TextInput type="time" label={t('leadDistribution.fields.to')} value={draft.to} onChange={(event) => set('to', event.currentTarget.value)} />
            </Group>
          </Stack>
        ) : null}

        <Title order={2} size="h5">
          {t('leadDistribution.sections.reassign')}
        </Title>
        <Switch label={t('leadDistribution.fields.reassignOn')} description={t('leadDistribution.reassignHint')} checked={draft.reassignOn} onChange={(event) => set('reassignOn', event.currentTarget.checked)} error={errors.get('reassign')} />
        {draft.reassignOn ? (
          <Group grow align="flex-start" maw={420}>
            <NumberInput label={t('leadDistribution.fields.afterMinutes')} min={1} max={10_080} allowDecimal={false} value={draft.afterMinutes} onChange={(value) => set('afterMinutes', value)} error={errors.get('afterMinutes')} />
            <NumberInput label={t('leadDistribution.fields.maxTimes')} min={1} max={20} allowDecimal={false} value={draft.maxTimes} onChange={(value) => set('maxTimes', value)} error={errors.get('maxTimes')} />
          </Group>
        ) : null}

        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {rule ? t('common.save') : t('leadDistribution.create')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
