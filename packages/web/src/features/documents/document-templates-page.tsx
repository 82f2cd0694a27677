import { CLIENT_OBJECTS, mergeFieldsOf, RECORD_MERGE_LOOPS, type ClientObject, type DocumentTemplate, type Locale } from '@rapport/shared';
import { ActionIcon, Alert, Anchor, Badge, Button, Code, FileButton, Group, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-client';
import { useMe } from '../../app/session';
import { ConfirmModal } from '../../components/confirm-modal';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { templateFileUrl, useArchiveTemplate, useDocumentTemplates, useUpdateTemplate, useUploadTemplate } from './use-documents';

/** i18next reads dots as nesting: `owner.name` is looked up as `owner_name`. */
export const mergeFieldKey = (field: string) => {
  const [loop, inner] = field.split('.');
  if (loop && Object.values(RECORD_MERGE_LOOPS).some((loops) => loops[loop])) return inner ? `documents.loopFields.${loop}.${inner}` : `documents.loops.${loop}`;
  return `documents.mergeFields.${field.replace(/\./g, '_')}`;
};

/** Settings › Document templates: DOCX files with merge fields, filled from a record on its card. */
export function DocumentTemplatesPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const templates = useDocumentTemplates();
  const archive = useArchiveTemplate();
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState<DocumentTemplate | null>(null);
  const [archiving, setArchiving] = useState<DocumentTemplate | null>(null);
  const items = templates.data?.items ?? [];

  const confirmArchive = () => {
    if (!archiving) return;
    archive.mutate(archiving.id, {
      onSuccess: () => {
        toast({ color: 'green', message: t('documents.archived', { name: archiving.name }) });
        setArchiving(null);
      },
      onError: (error) => toast({ color: 'red', message: errorText(error) }),
    });
  };

  return (
    <>
      <PageHeader
        title={t('documents.title')}
        description={t('documents.description')}
        actions={
          <Button leftSection={<Icon name="plus" size={16} />} onClick={() => setAdding(true)}>
            {t('documents.new')}
          </Button>
        }
      />
      {templates.data && !templates.data.pdfAvailable ? (
        <Alert color="yellow" mb="md">
          {t('documents.noPdf')}
        </Alert>
      ) : null}
      <QueryStatus isPending={templates.isPending} error={templates.error} onRetry={() => void templates.refetch()}>
        {items.length === 0 ? (
          <Text c="dimmed" py="lg">
            {t('documents.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" aria-label={t('documents.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('documents.name')}</Table.Th>
                  <Table.Th>{t('documents.object')}</Table.Th>
                  <Table.Th>{t('documents.language')}</Table.Th>
                  <Table.Th>{t('documents.fieldsUsed')}</Table.Th>
                  <Table.Th w={120} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((template) => (
                  <Table.Tr key={template.id} data-testid="template-row">
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {template.name}
                      </Text>
                      <Anchor href={templateFileUrl(template.id)} size="xs" c="dimmed">
                        {template.fileName}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{t(`audit.objects.${template.object}`)}</Table.Td>
                    <Table.Td>{t(`documents.locales.${template.locale}`)}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {template.fields.map((field) => (
                          <Badge key={field} size="sm" variant="light" color="gray" tt="none" title={t(mergeFieldKey(field))}>
                            {`{${field}}`}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={2} wrap="nowrap" justify="flex-end">
                        <ActionIcon component="a" href={templateFileUrl(template.id)} variant="subtle" color="gray" aria-label={t('documents.download', { name: template.name })}>
                          <Icon name="download" size={16} />
                        </ActionIcon>
                        <ActionIcon variant="subtle" color="gray" onClick={() => setRenaming(template)} aria-label={t('documents.rename', { name: template.name })}>
                          <Icon name="pencil" size={16} />
                        </ActionIcon>
                        <ActionIcon variant="subtle" color="red" onClick={() => setArchiving(template)} aria-label={t('documents.archive', { name: template.name })}>
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
      </QueryStatus>
      <Modal opened={adding} onClose={() => setAdding(false)} title={t('documents.new')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
        {adding ? <UploadForm onDone={() => setAdding(false)} /> : null}
      </Modal>
      <Modal opened={renaming !== null} onClose={() => setRenaming(null)} title={t('documents.renameTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        {renaming ? <RenameForm key={`${renaming.id}:${renaming.version}`} template={renaming} onDone={() => setRenaming(null)} /> : null}
      </Modal>
      <ConfirmModal
        opened={archiving !== null}
        title={t('documents.archiveTitle')}
        message={t('documents.archiveMessage', { name: archiving?.name ?? '' })}
        confirmLabel={t('common.delete')}
        loading={archive.isPending}
        onConfirm={confirmArchive}
        onClose={() => setArchiving(null)}
      />
    </>
  );
}

/** The merge fields a template for `object` may use, each with what it is filled with. */
function MergeFieldReference({ object }: { object: ClientObject }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Title order={3} size="h6">
        {t('documents.reference')}
      </Title>
      <Text size="xs" c="dimmed">
        {t('documents.referenceHint')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={4} verticalSpacing={2} data-testid="merge-fields">
        {mergeFieldsOf(object).map((field) => (
          <Text key={field} size="xs">
            <Code>{`{${field}}`}</Code> {t(mergeFieldKey(field))}
          </Text>
        ))}
      </SimpleGrid>
      {Object.entries(RECORD_MERGE_LOOPS[object]).map(([loop, fields]) => (
        <Stack key={loop} gap={2} data-testid="merge-loop">
          <Text size="xs">
            <Code>{`{#${loop}}…{/${loop}}`}</Code> {t(`documents.loops.${loop}`)}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={4} verticalSpacing={2}>
            {fields.map((field) => (
              <Text key={field} size="xs" pl="md">
                <Code>{`{${field}}`}</Code> {t(`documents.loopFields.${loop}.${field}`)}
              </Text>
            ))}
          </SimpleGrid>
        </Stack>
      ))}
    </Stack>
  );
}

/** Name, kind of record, language and the DOCX; the server names each merge field it cannot fill. */
function UploadForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const toast = useToast();
  const errorText = useErrorText();
  const upload = useUploadTemplate();
  const [name, setName] = useState('');
  const [object, setObject] = useState<ClientObject>('contact');
  const [locale, setLocale] = useState<Locale>(me.user.locale);
  const [file, setFile] = useState<File | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [problem, setProblem] = useState<{ message: string; fields: string[] } | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setProblem(null);
    if (!name.trim() || !file) return;
    upload.mutate(
      { file, name: name.trim(), object, locale },
      {
        onSuccess: (saved) => {
          toast({ color: 'green', message: t('documents.saved', { name: saved.name }) });
          onDone();
        },
        onError: (error) => {
          const fields = isApiError(error) ? error.fieldErrors.flatMap((fieldError) => (fieldError.field ? [fieldError.field] : [])) : [];
          if (fields.length > 0) setProblem({ message: t('documents.badFields'), fields });
          else if (isApiError(error) && error.code === 'unsupported_media_type') setProblem({ message: t('documents.notDocx'), fields: [] });
          else if (isApiError(error) && error.code === 'payload_too_large') setProblem({ message: t('documents.tooLarge'), fields: [] });
          else setProblem({ message: errorText(error), fields: [] });
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('documents.new')}>
      <Stack>
        {problem ? (
          <Alert color="red" role="alert">
            <Text size="sm">{problem.message}</Text>
            {problem.fields.length > 0 ? (
              <Group gap={4} mt={6}>
                {problem.fields.map((field) => (
                  <Code key={field} data-testid="bad-field">{`{${field}}`}</Code>
                ))}
              </Group>
            ) : null}
          </Alert>
        ) : null}
        <TextInput label={t('documents.name')} value={name} onChange={(event) => setName(event.currentTarget.value)} error={submitted && !name.trim() ? t('documents.required') : undefined} maxLength={200} required data-autofocus />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('documents.object')}
            data={CLIENT_OBJECTS.map((value) => ({ value, label: t(`audit.objects.${value}`) }))}
            value={object}
            onChange={(value) => value && setObject(value as ClientObject)}
            allowDeselect={false}
          />
          <Select
            label={t('documents.language')}
            description={t('documents.languageHint')}
            data={(['en', 'ru'] as const).map((value) => ({ value, label: t(`documents.locales.${value}`) }))}
            value={locale}
            onChange={(value) => value && setLocale(value as Locale)}
            allowDeselect={false}
          />
        </SimpleGrid>
        <Group gap="sm">
          <FileButton accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document" onChange={setFile}>
            {(props) => (
              <Button {...props} variant="light" leftSection={<Icon name="paperclip" size={14} />}>
                {t('documents.chooseFile')}
              </Button>
            )}
          </FileButton>
          <Text size="sm" c={submitted && !file ? 'red' : 'dimmed'} data-testid="chosen-file">
            {file ? file.name : t('documents.noFile')}
          </Text>
        </Group>
        <MergeFieldReference object={object} />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={upload.isPending}>
            {t('documents.upload')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RenameForm({ template, onDone }: { template: DocumentTemplate; onDone: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const update = useUpdateTemplate();
  const [name, setName] = useState(template.name);
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setError(t('documents.required'));
    update.mutate(
      { id: template.id, name: name.trim(), version: template.version },
      { onSuccess: onDone, onError: (failure) => setError(isApiError(failure) && failure.code === 'version_conflict' ? t('documents.conflict') : errorText(failure)) },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label={t('documents.name')} value={name} onChange={(event) => setName(event.currentTarget.value)} error={error} maxLength={200} required data-autofocus />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={update.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
