import { PREVIEWABLE_TYPES, type Attachment, type ClientObject } from '@rapport/shared';
import { ActionIcon, Anchor, Box, Button, FileButton, Group, Modal, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useState, type DragEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-client';
import { ConfirmModal } from '../../components/confirm-modal';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { useToast } from '../../components/toast-center';
import { useFormat } from '../../i18n/use-format';
import { attachmentUrl, useAttachments, useRemoveAttachment, useUploadAttachment } from './use-attachments';

/** 1 decimal place for KB and MB, in the reader's number format. */
function useSizeText() {
  const { t } = useTranslation();
  const format = useFormat();
  return (bytes: number) => {
    if (bytes < 1024) return t('attachments.sizes.b', { n: format.number(bytes) });
    if (bytes < 1024 * 1024) return t('attachments.sizes.kb', { n: format.number(Math.round((bytes / 1024) * 10) / 10) });
    return t('attachments.sizes.mb', { n: format.number(Math.round((bytes / (1024 * 1024)) * 10) / 10) });
  };
}

/**
 * A card's files: attach by button or by dropping them on the panel, preview images and PDF, download, remove.
 * `actions` go beside the attach button (e.g. making a document from a template).
 */
export function RecordAttachments({ object, id, canAttach, actions }: { object: ClientObject; id: string; canAttach: boolean; actions?: ReactNode }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const format = useFormat();
  const sizeText = useSizeText();
  const attachments = useAttachments(object, id);
  const upload = useUploadAttachment(object, id);
  const remove = useRemoveAttachment(object, id);
  const [uploading, setUploading] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [previewing, setPreviewing] = useState<Attachment | null>(null);
  const [removing, setRemoving] = useState<Attachment | null>(null);

  // One at a time, so each file gets its own answer and a refused one does not stop the others.
  const attach = async (files: File[]) => {
    for (const file of files) {
      setUploading(file.name);
      try {
        await upload.mutateAsync(file);
        toast({ color: 'green', message: t('attachments.added', { name: file.name }) });
      } catch (error) {
        const reason = isApiError(error) && error.code === 'payload_too_large' ? t('attachments.tooLarge') : isApiError(error) && error.code === 'unsupported_media_type' ? t('attachments.badType') : errorText(error);
        toast({ color: 'red', message: t('attachments.failed', { name: file.name, reason }) });
      }
    }
    setUploading(null);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (canAttach && event.dataTransfer.files.length > 0) void attach([...event.dataTransfer.files]);
  };

  const items = attachments.data?.items ?? [];
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-labelledby="record-files-heading"
      onDragOver={(event: DragEvent) => {
        if (!canAttach) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      style={dragging ? { outline: '2px dashed var(--mantine-color-blue-5)', outlineOffset: -4 } : undefined}
    >
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="record-files-heading">
          {t('attachments.title')}
        </Title>
        {canAttach ? (
          <Group gap="xs">
            {actions}
            <FileButton multiple onChange={(files) => void attach(files)}>
              {(props) => (
                <Button {...props} size="compact-sm" variant="light" leftSection={<Icon name="paperclip" size={14} />} loading={uploading !== null}>
                  {t('attachments.add')}
                </Button>
              )}
            </FileButton>
          </Group>
        ) : null}
      </Group>
      <Stack gap={6}>
        {dragging ? (
          <Text size="sm" c="blue">
            {t('attachments.drop')}
          </Text>
        ) : null}
        {uploading ? (
          <Text size="sm" c="dimmed" role="status">
            {t('attachments.uploading', { name: uploading })}
          </Text>
        ) : null}
        {items.map((file) => (
          <Group key={file.id} justify="space-between" wrap="nowrap" gap="xs" data-testid="attachment">
            <Box style={{ flex: 1, minWidth: 0 }}>
              {PREVIEWABLE_TYPES.includes(file.contentType) ? (
                <Anchor component="button" type="button" size="sm" onClick={() => setPreviewing(file)} style={{ overflowWrap: 'anywhere', textAlign: 'left' }} aria-label={`${t('attachments.preview')}: ${file.fileName}`}>
                  {file.fileName}
                </Anchor>
              ) : (
                <Anchor href={attachmentUrl(file.id, true)} size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {file.fileName}
                </Anchor>
              )}
              <Text size="xs" c="dimmed">
                {t('attachments.by', { size: sizeText(file.sizeBytes), name: file.createdByName ?? t('timeline.system'), date: format.dateTime(file.createdAt) })}
              </Text>
            </Box>
            <Group gap={2} wrap="nowrap">
              <Tooltip label={t('attachments.download')}>
                <ActionIcon component="a" href={attachmentUrl(file.id, true)} variant="subtle" color="gray" aria-label={`${t('attachments.download')}: ${file.fileName}`}>
                  <Icon name="download" size={16} />
                </ActionIcon>
              </Tooltip>
              {file.removable ? (
                <Tooltip label={t('attachments.remove')}>
                  <ActionIcon variant="subtle" color="red" onClick={() => setRemoving(file)} aria-label={`${t('attachments.remove')}: ${file.fileName}`}>
                    <Icon name="trash" size={16} />
                  </ActionIcon>
                </Tooltip>
              ) : null}
            </Group>
          </Group>
        ))}
        {attachments.data && items.length === 0 && !uploading ? (
          <Text size="sm" c="dimmed">
            {t('attachments.empty')}
          </Text>
        ) : null}
        {attachments.error ? (
          <Text size="sm" c="red">
            {errorText(attachments.error)}
          </Text>
        ) : null}
      </Stack>

      <Modal opened={previewing !== null} onClose={() => setPreviewing(null)} title={previewing?.fileName} size="xl" closeButtonProps={{ 'aria-label': t('common.close') }}>
        {previewing ? (
          <Stack gap="sm">
            {previewing.contentType === 'application/pdf' ? (
              <iframe src={attachmentUrl(previewing.id)} title={previewing.fileName} style={{ width: '100%', height: '70vh', border: 0 }} />
            ) : (
              <img src={attachmentUrl(previewing.id)} alt={previewing.fileName} style={{ maxWidth: '100%', maxHeight: '70vh', objectFit: 'contain', alignSelf: 'center' }} />
            )}
            <Group justify="flex-end">
              <Button component="a" href={attachmentUrl(previewing.id, true)} variant="default" leftSection={<Icon name="download" size={16} />}>
                {t('attachments.download')}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Modal>
      <ConfirmModal
        opened={removing !== null}
        title={t('attachments.removeTitle')}
        message={t('attachments.removeText', { name: removing?.fileName ?? '' })}
        confirmLabel={t('attachments.remove')}
        loading={remove.isPending}
        onClose={() => setRemoving(null)}
        onConfirm={() =>
          removing &&
          remove.mutate(removing.id, {
            onSuccess: () => {
              setRemoving(null);
              toast({ color: 'green', message: t('attachments.removed') });
            },
            onError: (error) => toast({ color: 'red', message: errorText(error) }),
          })
        }
      />
    </Paper>
  );
}
