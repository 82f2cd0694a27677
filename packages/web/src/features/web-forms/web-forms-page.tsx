import { WEB_FORM_ASSIGN_MODES, type WebForm, type WebFormAssignMode } from '@rapport/shared';
import { ActionIcon, Alert, Anchor, Badge, Button, Checkbox, Code, CopyButton, Grid, Group, Paper, SegmentedControl, Select, Stack, Switch, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/api-client';
import { ConfirmDeleteModal } from '../../components/confirm-delete-modal';
import { useErrorText, useFieldMessage } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { LoadMore } from '../../components/load-more';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { useFormat } from '../../i18n/use-format';
import { useCustomFields } from '../custom-fields/use-custom-fields';
import { usePipelines } from '../pipelines/use-pipelines';
import { useTeams } from '../teams/use-teams';
import { useUserDirectory } from '../users/use-users';
import { draftErrors, draftOf, editorFieldOf, embedSnippet, toBody, type FieldChoice, type WebFormDraft } from './web-form-draft';
import { useDeleteWebForm, useSaveWebForm, useSubmissionPages, useWebForm, useWebForms } from './use-web-forms';

/** Settings › Web forms: the forms websites embed to send requests in as leads. */
export function WebFormsPage() {
  const { t } = useTranslation();
  const forms = useWebForms();
  const remove = useDeleteWebForm();
  const [deleting, setDeleting] = useState<WebForm | null>(null);
  const items = forms.data ?? [];

  return (
    <>
      <PageHeader
        title={t('webForms.title')}
        description={t('webForms.description')}
        actions={
          <Button component={Link} to="/settings/web-forms/new" leftSection={<Icon name="plus" size={16} />}>
            {t('webForms.new')}
          </Button>
        }
      />
      <QueryStatus isPending={forms.isPending} error={forms.error} onRetry={() => void forms.refetch()}>
        {items.length === 0 ? (
          <Text c="dimmed" py="lg">
            {t('webForms.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table highlightOnHover verticalSpacing="sm" aria-label={t('webForms.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('webForms.fields.name')}</Table.Th>
                  <Table.Th>{t('webForms.fields.assignment')}</Table.Th>
                  <Table.Th ta="right">{t('webForms.submissionsColumn')}</Table.Th>
                  <Table.Th w={60} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((form) => (
                  <Table.Tr key={form.id} data-testid="web-form-row">
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Anchor component={Link} to={`/settings/web-forms/${form.id}`} fw={500} size="sm">
                          {form.name}
                        </Anchor>
                        {form.enabled ? null : (
                          <Badge size="xs" variant="light" color="gray">
                            {t('webForms.disabledBadge')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>{t(`webForms.modes.${form.assignment.mode}`)}</Table.Td>
                    <Table.Td ta="right">{form.submissionCount}</Table.Td>
                    <Table.Td>
                      <ActionIcon variant="subtle" color="red" onClick={() => setDeleting(form)} aria-label={t('webForms.delete', { name: form.name })}>
                        <Icon name="trash" size={16} />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryStatus>
      <ConfirmDeleteModal
        item={deleting}
        title={t('webForms.deleteTitle')}
        message={t('webForms.deleteText', { name: deleting?.name ?? '' })}
        done={(form) => t('webForms.deleted', { name: form.name })}
        pending={remove.isPending}
        remove={(form) => remove.mutateAsync(form.id)}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}

/** One form: its settings, the snippet to paste into a website, and what came in through it. */
export function WebFormPage() {
  const { t } = useTranslation();
  const { formId } = useParams();
  const isNew = formId === 'new';
  const form = useWebForm(isNew ? undefined : formId);
  const custom = useCustomFields('lead');
  const ready = (isNew || form.data) && custom.data;
  return (
    <>
      <PageHeader title={isNew ? t('webForms.new') : (form.data?.name ?? t('webForms.title'))} description={<Anchor component={Link} to="/settings/web-forms" size="sm">{t('webForms.back')}</Anchor>} />
      <QueryStatus isPending={!ready && !form.error && !custom.error} error={form.error ?? custom.error} onRetry={() => void form.refetch()}>
        {ready ? (
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <WebFormEditor key={form.data ? `${form.data.id}:${form.data.version}` : 'new'} form={form.data ?? null} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              {form.data ? <EmbedSnippet form={form.data} /> : <Alert color="blue">{t('webForms.snippetAfterSave')}</Alert>}
            </Grid.Col>
            {form.data ? (
              <Grid.Col span={12}>
                <Submissions formId={form.data.id} />
              </Grid.Col>
            ) : null}
          </Grid>
        ) : null}
      </QueryStatus>
    </>
  );
}

const TOP_FIELDS = ['name', 'assignment', 'dealPipelineId', 'successMessage', 'redirectUrl', 'allowedOrigins'] as const;
/** Server sentences the editor has its own words for; others get the generic field messages. */
const SERVER_RULES: [RegExp, string][] = [
  [/phone or an e-mail/, 'needPhoneOrEmail'],
  [/is required: put it on the form/, 'requiredCustom'],
  [/already on the form/, 'duplicateField'],
  [/cannot be filled in|no such lead custom field/, 'unusableField'],
  [/no such active user|choose the person/, 'chooseUser'],
  [/no such team|choose the team/, 'chooseTeam'],
  [/no such pipeline/, 'choosePipeline'],
];

function WebFormEditor({ form }: { form: WebForm | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const toast = useToast();
  const errorText = useErrorText();
  const fieldMessage = useFieldMessage();
  const custom = useCustomFields('lead');
  const users = useUserDirectory();
  const teams = useTeams();
  const pipelines = usePipelines();
  const save = useSaveWebForm();
  // Three choices do not fit side by side on a phone.
  const narrow = useMediaQuery('(max-width: 36em)');
  const [draft, setDraft] = useState<WebFormDraft>(() => draftOf(form, custom.data ?? [], (key) => t(`webForms.leadFields.${key}`)));
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [formError, setFormError] = useState<string | null>(null);
  const ruleText = (rule: string) => t(`webForms.errors.${rule}`);
  const set = <K extends keyof WebFormDraft>(key: K, value: WebFormDraft[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const setField = (index: number, patch: Partial<FieldChoice>) => set('fields', draft.fields.map((choice, i) => (i === index ? { ...choice, ...patch } : choice)));

  const fail = (error: unknown) => {
    const byField = new Map<string, string>();
    if (isApiError(error)) {
      for (const item of error.fieldErrors) {
        const field = editorFieldOf(item.path);
        const key = (TOP_FIELDS as readonly string[]).includes(field) ? field : 'fields';
        const rule = SERVER_RULES.find(([test]) => test.test(item.message))?.[1];
        const text = rule ? ruleText(rule) : ['redirectUrl', 'allowedOrigins'].includes(key) ? ruleText(key) : fieldMessage(item.message);
        byField.set(key, [...new Set([byField.get(key), text].filter(Boolean))].join('; '));
      }
    }
    setErrors(byField);
    if (byField.size > 0) return;
    setFormError(isApiError(error) && error.code === 'version_conflict' ? t('webForms.conflict') : errorText(error));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const local = draftErrors(draft);
    setErrors(new Map([...local].map(([field, rule]) => [field, ruleText(rule)])));
    if (local.size > 0) return;
    const body = toBody(draft);
    save.mutate(
      { id: form?.id ?? null, body: form ? { ...body, version: form.version } : body },
      {
        onSuccess: (saved) => {
          toast({ color: 'green', message: t('webForms.saved', { name: saved.name }) });
          if (!form) void navigate(`/settings/web-forms/${saved.id}`, { replace: true });
        },
        onError: fail,
      },
    );
  };

  const fieldName = (choice: FieldChoice) => (choice.custom ? choice.custom.label : t(`webForms.leadFields.${choice.key}`));
  const modeOptions = WEB_FORM_ASSIGN_MODES.map((mode) => ({ value: mode, label: t(`webForms.modes.${mode}`) }));

  return (
    <Paper withBorder radius="md" p="lg" component="form" onSubmit={submit} noValidate aria-label={t('webForms.settings')}>
      <Stack>
        {formError ? (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        ) : null}
        <TextInput label={t('webForms.fields.name')} required maxLength={200} value={draft.name} onChange={(event) => set('name', event.currentTarget.value)} error={errors.get('name')} data-autofocus />
        <div>
          <Title order={3} size="h5" mb={4}>
            {t('webForms.fields.fields')}
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            {t('webForms.fieldsHint')}
          </Text>
          {errors.get('fields') ? (
            <Alert color="red" mb="xs" role="alert">
              {errors.get('fields')}
            </Alert>
          ) : null}
          <Table verticalSpacing={4} aria-label={t('webForms.fields.fields')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40} />
                <Table.Th>{t('webForms.fieldColumn')}</Table.Th>
                <Table.Th>{t('webForms.labelColumn')}</Table.Th>
                <Table.Th w={90}>{t('webForms.requiredColumn')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {draft.fields.map((choice, index) => (
                <Table.Tr key={choice.key}>
                  <Table.Td>
                    <Checkbox aria-label={t('webForms.onForm', { field: fieldName(choice) })} checked={choice.on} onChange={(event) => setField(index, { on: event.currentTarget.checked })} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={choice.on ? undefined : 'dimmed'}>
                      {fieldName(choice)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <TextInput size="xs" aria-label={t('webForms.labelOf', { field: fieldName(choice) })} disabled={!choice.on} maxLength={200} value={choice.label} onChange={(event) => setField(index, { label: event.currentTarget.value })} />
                  </Table.Td>
                  <Table.Td>
                    <Checkbox aria-label={t('webForms.requiredOf', { field: fieldName(choice) })} disabled={!choice.on} checked={choice.required} onChange={(event) => setField(index, { required: event.currentTarget.checked })} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
        <Stack gap="xs">
          <Text fw={500} size="sm">
            {t('webForms.fields.assignment')}
          </Text>
          <SegmentedControl data={modeOptions} orientation={narrow ? 'vertical' : 'horizontal'} fullWidth value={draft.mode} onChange={(value) => set('mode', value as WebFormAssignMode)} />
          {draft.mode === 'user' ? (
            <Select
              label={t('webForms.assignUser')}
              searchable
              data={(users.data ?? []).filter((user) => user.status === 'active').map((user) => ({ value: user.id, label: user.name }))}
              value={draft.userId}
              onChange={(value) => set('userId', value)}
              error={errors.get('assignment')}
            />
          ) : (
            <Select label={t('webForms.assignTeam')} description={t(`webForms.modeHints.${draft.mode}`)} searchable data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))} value={draft.teamId} onChange={(value) => set('teamId', value)} error={errors.get('assignment')} />
          )}
        </Stack>
        <Select
          label={t('webForms.fields.dealPipelineId')}
          description={t('webForms.dealHint')}
          placeholder={t('webForms.leadOnly')}
          clearable
          data={(pipelines.data ?? []).map((pipeline) => ({ value: pipeline.id, label: pipeline.name }))}
          value={draft.dealPipelineId}
          onChange={(value) => set('dealPipelineId', value)}
          error={errors.get('dealPipelineId')}
        />
        <Textarea label={t('webForms.fields.successMessage')} description={t('webForms.successHint')} autosize minRows={2} maxLength={1000} value={draft.successMessage} onChange={(event) => set('successMessage', event.currentTarget.value)} error={errors.get('successMessage')} />
        <TextInput label={t('webForms.fields.redirectUrl')} description={t('webForms.redirectHint')} placeholder="https://example.com/thanks" value={draft.redirectUrl} onChange={(event) => set('redirectUrl', event.currentTarget.value)} error={errors.get('redirectUrl')} />
        <Textarea label={t('webForms.fields.allowedOrigins')} description={t('webForms.originsHint')} placeholder="https://example.com" autosize minRows={2} value={draft.allowedOrigins} onChange={(event) => set('allowedOrigins', event.currentTarget.value)} error={errors.get('allowedOrigins')} />
        <Switch label={t('webForms.fields.enabled')} description={t('webForms.enabledHint')} checked={draft.enabled} onChange={(event) => set('enabled', event.currentTarget.checked)} />
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {form ? t('common.save') : t('webForms.create')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function EmbedSnippet({ form }: { form: WebForm }) {
  const { t } = useTranslation();
  const snippet = embedSnippet(window.location.origin, form.id);
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label={t('webForms.snippetTitle')}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('webForms.snippetTitle')}
        </Title>
        <CopyButton value={snippet}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" color={copied ? 'teal' : undefined} leftSection={<Icon name="copy" size={14} />} onClick={copy}>
              {copied ? t('webForms.copied') : t('webForms.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="sm" c="dimmed" mb="xs">
        {t('webForms.snippetHint')}
      </Text>
      <Code block data-testid="web-form-snippet" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {snippet}
      </Code>
      {form.enabled ? null : (
        <Alert color="yellow" mt="sm">
          {t('webForms.disabledHint')}
        </Alert>
      )}
    </Paper>
  );
}

function Submissions({ formId }: { formId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const pages = useSubmissionPages(formId);
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label={t('webForms.submissionsTitle')}>
      <Title order={2} size="h4" mb="xs">
        {t('webForms.submissionsTitle')}
      </Title>
      <QueryStatus isPending={pages.isPending} error={pages.error} onRetry={() => void pages.refetch()}>
        {items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('webForms.noSubmissions')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="xs" fz="sm" aria-label={t('webForms.submissionsTitle')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('webForms.columns.time')}</Table.Th>
                  <Table.Th>{t('webForms.columns.lead')}</Table.Th>
                  <Table.Th>{t('webForms.columns.contact')}</Table.Th>
                  <Table.Th>{t('webForms.columns.deal')}</Table.Th>
                  <Table.Th>{t('webForms.columns.utmSource')}</Table.Th>
                  <Table.Th>{t('webForms.columns.utmCampaign')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr key={item.id} data-testid="web-form-submission">
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{format.dateTime(item.createdAt)}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/leads/${item.leadId}`} size="sm">
                        {item.leadName ?? t('webForms.deletedLead')}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {item.ownerName}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {item.matchedContactId ? (
                        <Anchor component={Link} to={`/contacts/${item.matchedContactId}`} size="sm">
                          {item.matchedContactName ?? '—'}
                        </Anchor>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    <Table.Td>
                      {item.dealId ? (
                        <Anchor component={Link} to={`/deals/${item.dealId}`} size="sm">
                          {item.dealTitle ?? '—'}
                        </Anchor>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    <Table.Td>{item.utm.utm_source ?? '—'}</Table.Td>
                    <Table.Td>{item.utm.utm_campaign ?? '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <LoadMore hasMore={pages.hasNextPage} loading={pages.isFetchingNextPage} onLoad={() => void pages.fetchNextPage()} />
      </QueryStatus>
    </Paper>
  );
}
