import type { ClientObject, DocumentFormat } from '@rapport/shared';
import { Alert, Button, Group, Modal, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { useToast } from '../../components/toast-center';
import { useDocumentTemplates, useGenerateDocument } from './use-documents';

/** "Create document" on a card: pick a template and a format; the document joins the record's files. Hidden without templates. */
export function GenerateDocumentButton({ object, id }: { object: ClientObject; id: string }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const templates = useDocumentTemplates(object);
  const generate = useGenerateDocument(object, id);
  const [open, setOpen] = useState(false);
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [format, setFormat] = useState<DocumentFormat>('docx');
  const [error, setError] = useState<string | null>(null);
  const items = templates.data?.items ?? [];
  if (items.length === 0) return null;
  const pdfAvailable = templates.data?.pdfAvailable === true;
  const chosen = templateId ?? items[0]?.id ?? null;

  const submit = () => {
    if (!chosen) return;
    setError(null);
    generate.mutate(
      { templateId: chosen, format },
      {
        onSuccess: (attachment) => {
          toast({ color: 'green', message: t('documents.generated', { name: attachment.fileName }) });
          setOpen(false);
        },
        onError: (failure) => setError(errorText(failure)),
      },
    );
  };

  return (
    <>
      <Button size="compact-sm" variant="light" leftSection={<Icon name="copy" size={14} />} onClick={() => setOpen(true)}>
        {t('documents.generate')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('documents.generateTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack>
          {error ? (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          ) : null}
          <Select label={t('documents.template')} data={items.map((item) => ({ value: item.id, label: item.name }))} value={chosen} onChange={setTemplateId} allowDeselect={false} data-autofocus />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('documents.format')}
            </Text>
            <SegmentedControl
              value={format}
              onChange={(value) => setFormat(value as DocumentFormat)}
              data={[
                { value: 'docx', label: 'DOCX' },
                { value: 'pdf', label: 'PDF', disabled: !pdfAvailable },
              ]}
              aria-label={t('documents.format')}
            />
            {pdfAvailable ? null : (
              <Text size="xs" c="dimmed">
                {t('documents.noPdf')}
              </Text>
            )}
          </Stack>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button onClick={submit} loading={generate.isPending}>
              {t('documents.create')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
