import { Alert, Button, Card, CopyButton, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../components/confirm-modal';
import { useErrorText } from '../../components/error-text';
import { useFormat } from '../../i18n/use-format';
import { useCreateFeed, useFeedStatus, useRevokeFeed } from './use-calendar';

/** The user's private calendar address for other calendar apps: made (or replaced) here, shown once, revocable. */
export function IcsFeedSection() {
  const { t } = useTranslation();
  const format = useFormat();
  const errorText = useErrorText();
  const status = useFeedStatus();
  const create = useCreateFeed();
  const revoke = useRevokeFeed();
  const [url, setUrl] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const active = status.data?.active ?? false;

  return (
    <Card withBorder radius="md" padding="lg">
      <Title order={2} size="h4" mb={4}>
        {t('calendar.feed.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('calendar.feed.description')}
      </Text>
      <Stack gap="sm">
        {url ? (
          <>
            <Alert color="yellow">{t('calendar.feed.shownOnce')}</Alert>
            <Group gap="xs" wrap="nowrap" align="flex-end">
              <TextInput label={t('calendar.feed.url')} value={url} readOnly style={{ flex: 1 }} onFocus={(event) => event.currentTarget.select()} data-testid="feed-url" />
              <CopyButton value={url}>{({ copied, copy }) => <Button variant="light" onClick={copy}>{copied ? t('calendar.feed.copied') : t('calendar.feed.copy')}</Button>}</CopyButton>
            </Group>
          </>
        ) : (
          <Text size="sm">{active ? t('calendar.feed.active', { date: format.dateTime(status.data?.createdAt) }) : t('calendar.feed.none')}</Text>
        )}
        {create.error || revoke.error ? (
          <Alert color="red" role="alert">
            {errorText(create.error ?? revoke.error)}
          </Alert>
        ) : null}
        <Group gap="xs">
          <Button variant={active ? 'default' : 'filled'} loading={create.isPending} onClick={() => create.mutate(undefined, { onSuccess: (created) => setUrl(created.url) })}>
            {active ? t('calendar.feed.rotate') : t('calendar.feed.create')}
          </Button>
          {active ? (
            <Button variant="subtle" color="red" onClick={() => setConfirming(true)}>
              {t('calendar.feed.revoke')}
            </Button>
          ) : null}
        </Group>
      </Stack>
      <ConfirmModal
        opened={confirming}
        title={t('calendar.feed.revokeTitle')}
        message={t('calendar.feed.revokeMessage')}
        confirmLabel={t('calendar.feed.revoke')}
        loading={revoke.isPending}
        onClose={() => setConfirming(false)}
        onConfirm={() =>
          revoke.mutate(undefined, {
            onSuccess: () => {
              setUrl(null);
              setConfirming(false);
            },
          })
        }
      />
    </Card>
  );
}
