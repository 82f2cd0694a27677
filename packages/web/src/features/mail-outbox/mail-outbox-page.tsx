import type { MailMessage } from '@rapport/shared';
import { Alert, Anchor, Badge, Button, Code, CopyButton, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadMore } from '../../components/load-more';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useFormat } from '../../i18n/use-format';
import { linksIn, useMailPages } from './use-mail-outbox';

const STATUS_COLOR: Record<MailMessage['status'], string> = { held: 'yellow', queued: 'blue', sent: 'teal', failed: 'red' };

export function MailStatusBadge({ status }: { status: MailMessage['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATUS_COLOR[status]}>
      {t(`mail.status.${status}`)}
    </Badge>
  );
}

export function MailOutboxPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const pages = useMailPages();
  const [open, setOpen] = useState<MailMessage | null>(null);
  const messages = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const anyHeld = messages.some((message) => message.status === 'held');

  return (
    <>
      <PageHeader title={t('mail.title')} description={t('mail.description')} />
      {anyHeld ? (
        <Alert color="yellow" mb="md" title={t('mail.heldTitle')}>
          {t('mail.heldText')}
        </Alert>
      ) : null}
      <QueryStatus isPending={pages.isPending} error={pages.error} onRetry={() => void pages.refetch()}>
        {messages.length === 0 ? (
          <Text c="dimmed" py="lg">
            {t('mail.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('mail.fields.created')}</Table.Th>
                  <Table.Th>{t('mail.fields.to')}</Table.Th>
                  <Table.Th>{t('mail.fields.subject')}</Table.Th>
                  <Table.Th>{t('mail.fields.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {messages.map((message) => (
                  <Table.Tr key={message.id} style={{ cursor: 'pointer' }} onClick={() => setOpen(message)}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{format.dateTime(message.createdAt)}</Table.Td>
                    <Table.Td>{message.to}</Table.Td>
                    <Table.Td>
                      {/* A real button, so the message opens from the keyboard too. */}
                      <Anchor
                        component="button"
                        type="button"
                        fw={500}
                        ta="left"
                        onClick={(event) => {
                          event.stopPropagation();
                          setOpen(message);
                        }}
                      >
                        {message.subject}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <MailStatusBadge status={message.status} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <LoadMore hasMore={pages.hasNextPage} loading={pages.isFetchingNextPage} onLoad={() => void pages.fetchNextPage()} />
      </QueryStatus>
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={open?.subject} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
        {open ? <MailView message={open} /> : null}
      </Modal>
    </>
  );
}

function MailView({ message }: { message: MailMessage }) {
  const { t } = useTranslation();
  const format = useFormat();
  const links = linksIn(message.text);
  return (
    <Stack>
      <Stack gap={4}>
        <Text size="sm">
          <Text span c="dimmed">
            {t('mail.fields.to')}:
          </Text>{' '}
          {message.to}
        </Text>
        <Group gap="xs">
          <MailStatusBadge status={message.status} />
          <Text size="xs" c="dimmed">
            {format.dateTime(message.createdAt)}
          </Text>
        </Group>
        {message.error ? (
          <Alert color="red" p="xs">
            {message.error}
          </Alert>
        ) : null}
      </Stack>
      <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 14 }} data-testid="mail-text">
        {message.text}
      </Code>
      {links.length > 0 ? (
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            {t('mail.links')}
          </Text>
          {links.map((link) => (
            <Group key={link} gap="xs" wrap="nowrap" align="flex-start">
              <Text size="sm" style={{ wordBreak: 'break-all', minWidth: 0, flex: 1 }}>
                {link}
              </Text>
              <CopyButton value={link}>
                {({ copied, copy }) => (
                  <Button size="compact-xs" variant="light" color={copied ? 'teal' : 'indigo'} onClick={copy}>
                    {copied ? t('common.copied') : t('mail.copyLink')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          ))}
        </Stack>
      ) : null}
      <Group justify="flex-end">
        <CopyButton value={message.text}>
          {({ copied, copy }) => (
            <Button variant="default" color={copied ? 'teal' : undefined} onClick={copy}>
              {copied ? t('common.copied') : t('mail.copyText')}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}
