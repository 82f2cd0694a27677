import { IMPORT_DELIMITERS, IMPORT_ENCODINGS, IMPORT_FIELDS, IMPORT_FILE_PROBLEMS, IMPORT_MODES, IMPORT_OBJECTS, importRight, type ImportJob, type ImportObject, type ImportSettingsBody } from '@rapport/shared';
import { Alert, Anchor, Badge, Button, FileInput, Group, Paper, Progress, Radio, ScrollArea, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ImportReviewLink, isDqObject } from '../data-quality/data-quality-page';
import { apiUrl, isApiError } from '../../api/api-client';
import { useCan } from '../../app/session';
import { ConfirmModal } from '../../components/confirm-modal';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { NotAllowed } from '../../components/not-allowed';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { useFormat } from '../../i18n/use-format';
import { useCustomFields } from '../custom-fields/use-custom-fields';
import { useConfigureImport, useImport, useImportAction, useImportPreview, useImports, useUploadImport } from './use-imports';

/** What the upload offers: CSV (and the .txt some exports use), Excel workbooks and vCard address books. */
const ACCEPT = '.csv,.txt,.xlsx,.vcf,.vcard,text/csv,text/vcard,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Fields stored as values that the preview names as cards do: a lead's source and status, a deal's source (the same values). */
const NAMED_VALUES: Partial<Record<ImportObject, string[]>> = { lead: ['source', 'status'], deal: ['source'] };

/** Countries whose local phone formats a file is most often written in; the workspace's own comes first. */
const COUNTRIES = ['RU', 'BY', 'KZ', 'UZ', 'KG', 'AM', 'GE', 'AZ', 'UA', 'US', 'GB', 'DE', 'FR', 'IT', 'ES', 'TR', 'AE', 'CN', 'IN'];

/** A page guard: the import right on any object a file can bring in. */
export function RequireImport({ children }: { children: ReactNode }) {
  const can = useCan();
  return IMPORT_OBJECTS.some((object) => can(importRight(object).object, importRight(object).action)) ? <>{children}</> : <NotAllowed />;
}

/** Settings › Import: upload a file, or the list of recent imports. */
export function ImportPage() {
  const { t } = useTranslation();
  const can = useCan();
  const objects = IMPORT_OBJECTS.filter((object) => can(importRight(object).object, importRight(object).action));
  const [object, setObject] = useState<ImportObject>(objects[0] ?? 'contact');
  const [file, setFile] = useState<File | null>(null);
  const upload = useUploadImport();
  const navigate = useNavigate();
  const problemText = useImportProblemText();
  const imports = useImports();
  const format = useFormat();

  const send = async () => {
    if (!file) return;
    const job = await upload.mutateAsync({ file, object });
    void navigate(`/settings/import/${job.id}`);
  };

  return (
    <>
      <PageHeader title={t('importWizard.title')} description={t('importWizard.description')} />
      <Paper withBorder p="md" maw={640}>
        <Stack>
          <Title order={3} size="h4">
            {t('importWizard.steps.upload')}
          </Title>
          <SegmentedControl value={object} onChange={(value) => setObject(value as ImportObject)} data={objects.map((value) => ({ value, label: t(`importWizard.objects.${value}`) }))} aria-label={t('importWizard.object')} />
          <FileInput label={t('importWizard.file')} description={t('importWizard.fileHint')} placeholder={t('importWizard.choose')} accept={ACCEPT} value={file} onChange={setFile} clearable />
          {upload.error ? (
            <Alert color="red" title={t('importWizard.fileRefused')}>
              <Text size="sm">{problemText(upload.error)}</Text>
              {isApiError(upload.error) && !importProblem(upload.error) && upload.error.message !== upload.error.code ? (
                <Text size="xs" c="dimmed">
                  {upload.error.message}
                </Text>
              ) : null}
            </Alert>
          ) : null}
          <Group>
            <Button onClick={() => void send().catch(() => undefined)} disabled={!file} loading={upload.isPending} leftSection={<Icon name="plus" size={16} />}>
              {t('importWizard.upload')}
            </Button>
          </Group>
        </Stack>
      </Paper>
      <Title order={3} size="h4" mt="xl" mb="sm">
        {t('importWizard.recent')}
      </Title>
      <QueryStatus isPending={imports.isPending} error={imports.error} onRetry={() => void imports.refetch()}>
        {(imports.data ?? []).length === 0 ? (
          <Text c="dimmed">{t('importWizard.noImports')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="xs" aria-label={t('importWizard.recent')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('importWizard.file')}</Table.Th>
                  <Table.Th>{t('importWizard.object')}</Table.Th>
                  <Table.Th>{t('importWizard.statusColumn')}</Table.Th>
                  <Table.Th>{t('importWizard.when')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(imports.data ?? []).map((job) => (
                  <Table.Tr key={job.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/settings/import/${job.id}`}>
                        {job.fileName}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{t(`importWizard.objects.${job.object}`)}</Table.Td>
                    <Table.Td>
                      <StatusBadge job={job} />
                    </Table.Td>
                    <Table.Td>{format.dateTime(job.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryStatus>
    </>
  );
}

/** The reason an upload was refused as a whole, when the server named one. */
function importProblem(error: unknown) {
  return isApiError(error) ? error.fieldErrors.find((fieldError) => fieldError.code && (IMPORT_FILE_PROBLEMS as readonly string[]).includes(fieldError.code)) : undefined;
}

/** A refused file's reason in the user's language: the import problem with its params, else the error code's text. */
function useImportProblemText(): (error: unknown) => string {
  const { t } = useTranslation();
  const errorText = useErrorText();
  return (error: unknown) => {
    const problem = importProblem(error);
    return problem ? t(`importWizard.problems.${problem.code}`, problem.params ?? {}) : errorText(error);
  };
}

function StatusBadge({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const color = { draft: 'gray', queued: 'blue', running: 'blue', done: 'green', cancelled: 'yellow', failed: 'red', undone: 'gray' }[job.status];
  return <Badge color={color}>{t(`importWizard.status.${job.status}`)}</Badge>;
}

/** One import: the wizard while it is a draft, the progress while it runs, the report once it stops. */
export function ImportJobPage() {
  const { t } = useTranslation();
  const { importId } = useParams();
  const job = useImport(importId);
  return (
    <>
      <PageHeader
        title={job.data ? t('importWizard.jobTitle', { name: job.data.fileName }) : t('importWizard.title')}
        actions={
          <Anchor component={Link} to="/settings/import">
            {t('importWizard.back')}
          </Anchor>
        }
      />
      <QueryStatus isPending={job.isPending} error={job.error} onRetry={() => void job.refetch()}>
        {job.data ? job.data.status === 'draft' ? <Wizard job={job.data} /> : <Progressing job={job.data} /> : null}
      </QueryStatus>
    </>
  );
}

/** The object's custom fields; products have none. */
function useImportCustomFields(object: ImportObject) {
  const query = useCustomFields(object === 'product' ? 'contact' : object, object !== 'product');
  return object === 'product' ? [] : (query.data ?? []);
}

function useFieldLabel(object: ImportObject) {
  const { t } = useTranslation();
  const custom = useImportCustomFields(object);
  // An object may name a shared field its own way (a lead's name is a person's, its company a name kept as text).
  return (field: string) => (field.startsWith('custom.') ? (custom.find((f) => `custom.${f.key}` === field)?.label ?? field) : t([`importWizard.objectFields.${object}.${field}`, `importWizard.fields.${field}`]));
}

function Wizard({ job }: { job: ImportJob }) {
  const { t, i18n } = useTranslation();
  const configure = useConfigureImport(job.id);
  const action = useImportAction(job.id);
  const preview = useImportPreview(job);
  const custom = useImportCustomFields(job.object);
  const label = useFieldLabel(job.object);
  const errorText = useErrorText();
  const [saveAs, setSaveAs] = useState('');
  const set = (body: Omit<ImportSettingsBody, 'version'>) => configure.mutate({ ...body, version: job.version });
  const fieldOptions = [
    ...IMPORT_FIELDS[job.object].map((field) => ({ value: field, label: label(field) })),
    ...custom.filter((field) => ['text', 'phone', 'email', 'url', 'number', 'money', 'date', 'boolean', 'select'].includes(field.kind)).map((field) => ({ value: `custom.${field.key}`, label: field.label })),
  ];
  const mapped = job.mapping.filter((field) => field !== null) as string[];
  const columns = [...new Set(mapped.flatMap((field) => (field === 'fullName' ? ['lastName', 'firstName', 'middleName'] : [field])))];
  const rows = preview.data?.rows ?? [];
  const failing = rows.filter((row) => row.errors.length > 0).length;
  const shown = (field: string, value: string) => (NAMED_VALUES[job.object]?.includes(field) && value !== '' ? t(`enums.lead.${field}.${value}`) : value);

  return (
    <Stack gap="lg">
      <Paper withBorder p="md">
        <Title order={3} size="h4" mb="sm">
          {t('importWizard.steps.file')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('importWizard.fileSummary', { rows: job.totalRows, columns: job.headers.length })}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 3 }} maw={840}>
          <TextInput label={t('importWizard.format')} value={t(`importWizard.formats.${job.format}`)} readOnly />
          {job.format === 'xlsx' ? null : (
            <Select label={t('importWizard.encoding')} data={IMPORT_ENCODINGS.map((value) => ({ value, label: value.toUpperCase() }))} value={job.encoding} allowDeselect={false} onChange={(value) => value && set({ encoding: value as ImportJob['encoding'] })} />
          )}
          {job.format === 'csv' ? (
            <Select
              label={t('importWizard.delimiter')}
              data={IMPORT_DELIMITERS.map((value) => ({ value, label: t(`importWizard.delimiters.${{ ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' }[value]}`) }))}
              value={job.delimiter}
              allowDeselect={false}
              onChange={(value) => value && set({ delimiter: value as ImportJob['delimiter'] })}
            />
          ) : null}
        </SimpleGrid>
      </Paper>

      <Paper withBorder p="md">
        <Title order={3} size="h4" mb="xs">
          {t('importWizard.steps.mapping')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('importWizard.mappingHint')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {job.headers.map((header, i) => (
            <Select
              key={`${i}-${header}`}
              label={header}
              placeholder={t('importWizard.skipColumn')}
              data={fieldOptions}
              value={job.mapping[i] ?? null}
              clearable
              searchable
              onChange={(value) => set({ mapping: job.mapping.map((field, j) => (j === i ? value : field)) })}
            />
          ))}
        </SimpleGrid>
        {configure.error ? (
          <Alert color="red" mt="sm">
            {errorText(configure.error)}
          </Alert>
        ) : null}
      </Paper>

      <Paper withBorder p="md">
        <Title order={3} size="h4" mb="xs">
          {t('importWizard.steps.preview')}
        </Title>
        <Text size="sm" c={failing > 0 ? 'red' : 'dimmed'} mb="sm">
          {failing > 0 ? t('importWizard.previewErrors', { count: failing, shown: rows.length }) : t('importWizard.previewHint', { shown: rows.length })}
        </Text>
        <QueryStatus isPending={preview.isPending} error={preview.error} onRetry={() => void preview.refetch()}>
          <ScrollArea>
            <Table withTableBorder verticalSpacing={4} fz="sm" aria-label={t('importWizard.steps.preview')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>#</Table.Th>
                  {columns.map((field) => (
                    <Table.Th key={field}>{label(field)}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={row.rowNumber}>
                    <Table.Td c="dimmed">{row.rowNumber}</Table.Td>
                    {columns.map((field) => {
                      const error = row.errors.find((e) => e.field === field);
                      return (
                        <Table.Td key={field} bg={error ? 'var(--mantine-color-red-light)' : undefined}>
                          {error ? (
                            <Text size="sm" c="red">
                              {t('importWizard.cellError', { message: t(`importWizard.cellProblems.${error.code}`, error.params) })}
                            </Text>
                          ) : (
                            shown(field, row.values[field] ?? '')
                          )}
                        </Table.Td>
                      );
                    })}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </QueryStatus>
      </Paper>

      <Paper withBorder p="md">
        <Title order={3} size="h4" mb="sm">
          {t('importWizard.steps.options')}
        </Title>
        <Stack maw={560}>
          {job.object === 'product' ? null : (
            // Products hold no phone numbers; a deal's row may find its contact by phone.
            <Select
              label={t('importWizard.country')}
              description={t('importWizard.countryHint')}
              data={[...new Set([job.defaultCountry, ...COUNTRIES])].map((code) => ({ value: code, label: `${new Intl.DisplayNames([i18n.language], { type: 'region' }).of(code) ?? code} (${code})` }))}
              value={job.defaultCountry}
              allowDeselect={false}
              searchable
              onChange={(value) => value && set({ defaultCountry: value })}
            />
          )}
          <Select
            label={t('importWizard.fileLocale')}
            description={t('importWizard.fileLocaleHint')}
            data={[
              { value: 'ru', label: t('importWizard.locales.ru') },
              { value: 'en', label: t('importWizard.locales.en') },
            ]}
            value={job.fileLocale}
            allowDeselect={false}
            onChange={(value) => value && set({ fileLocale: value as 'en' | 'ru' })}
          />
          {job.object === 'deal' ? (
            // Nothing identifies a deal to match a row with: deals are only created.
            <Text size="sm">{t('importWizard.dealsCreated')}</Text>
          ) : (
            <Radio.Group label={t('importWizard.mode')} description={t('importWizard.modeHint')} value={job.mode} onChange={(value) => set({ mode: value as ImportJob['mode'] })}>
              <Stack gap="xs" mt="xs">
                {IMPORT_MODES.map((mode) => (
                  <Radio key={mode} value={mode} label={t(`importWizard.modes.${mode}`)} />
                ))}
              </Stack>
            </Radio.Group>
          )}
          <TextInput label={t('importWizard.saveMapping')} description={t('importWizard.saveMappingHint')} value={saveAs} onChange={(event) => setSaveAs(event.currentTarget.value)} maxLength={200} />
          {action.error ? <Alert color="red">{errorText(action.error)}</Alert> : null}
          <Group>
            <Button onClick={() => action.mutate({ action: 'start', body: { version: job.version, ...(saveAs.trim() ? { saveMappingAs: saveAs.trim() } : {}) } })} loading={action.isPending} disabled={configure.isPending || mapped.length === 0}>
              {t('importWizard.start', { count: job.totalRows })}
            </Button>
            <Button variant="subtle" color="gray" onClick={() => action.mutate({ action: 'cancel' })}>
              {t('importWizard.discard')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}

function Progressing({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const format = useFormat();
  const action = useImportAction(job.id);
  const toast = useToast();
  const errorText = useErrorText();
  const [confirming, setConfirming] = useState(false);
  const percent = job.totalRows > 0 ? Math.round((job.rowsDone / job.totalRows) * 100) : 100;
  const running = job.status === 'queued' || job.status === 'running';
  const secondsLeft = job.rate && job.rate > 0 ? Math.ceil((job.totalRows - job.rowsDone) / job.rate) : null;
  const undo = () =>
    action.mutate(
      { action: 'undo' },
      {
        onSuccess: () => toast({ color: 'green', message: t('importWizard.undone') }),
        onError: (error) => toast({ color: 'red', title: t('importWizard.undoFailed'), message: errorText(error) }),
        onSettled: () => setConfirming(false),
      },
    );
  return (
    <Stack maw={720}>
      <Group>
        <StatusBadge job={job} />
        <Text size="sm" c="dimmed">
          {t(`importWizard.objects.${job.object}`)} · {job.object === 'deal' ? t('importWizard.dealsMode') : t(`importWizard.modes.${job.mode}`)}
        </Text>
      </Group>
      <Progress value={percent} size="xl" animated={running} aria-label={t('importWizard.progress')} />
      <Text size="sm">
        {t('importWizard.rowsDone', { done: format.number(job.rowsDone), total: format.number(job.totalRows) })}
        {job.rate !== null ? ` · ${t('importWizard.rate', { rate: format.number(job.rate) })}` : ''}
        {running && secondsLeft !== null ? ` · ${t('importWizard.timeLeft', { seconds: secondsLeft })}` : ''}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        {(['created', 'updated', 'skipped', 'rejected'] as const).map((key) => (
          <Paper key={key} withBorder p="sm">
            <Text size="xs" c="dimmed">
              {t(`importWizard.counts.${key}`)}
            </Text>
            <Text size="xl" fw={600} c={key === 'rejected' && job[key] > 0 ? 'red' : undefined} data-testid={`import-${key}`}>
              {format.number(job[key])}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      {job.error ? <Alert color="red">{t('importWizard.failed')}</Alert> : null}
      {job.created > 0 && isDqObject(job.object) ? <ImportReviewLink object={job.object} importId={job.id} /> : null}
      {job.undoneAt ? <Alert color="gray">{t('importWizard.undoneAt', { when: format.dateTime(job.undoneAt) })}</Alert> : null}
      <Group>
        {running ? (
          <Button color="red" variant="light" onClick={() => action.mutate({ action: 'cancel' })} loading={action.isPending}>
            {t('importWizard.cancel')}
          </Button>
        ) : null}
        {job.rejected > 0 ? (
          <Button component="a" href={apiUrl(`/imports/${job.id}/rejected`, undefined)} variant="light" leftSection={<Icon name="download" size={16} />}>
            {t('importWizard.downloadRejected')}
          </Button>
        ) : null}
        {['done', 'cancelled', 'failed'].includes(job.status) && job.created + job.updated > 0 ? (
          <Button color="red" variant="outline" leftSection={<Icon name="rotate" size={16} />} onClick={() => setConfirming(true)}>
            {t('importWizard.undo')}
          </Button>
        ) : null}
      </Group>
      <ConfirmModal opened={confirming} title={t('importWizard.undoTitle')} message={t('importWizard.undoText', { created: job.created, updated: job.updated })} confirmLabel={t('importWizard.undo')} loading={action.isPending} onConfirm={undo} onClose={() => setConfirming(false)} />
    </Stack>
  );
}
