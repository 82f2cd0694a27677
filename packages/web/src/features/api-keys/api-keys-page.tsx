import type { ApiKey } from '@rapport/shared';
import { Badge, Button, Code, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session';
import { ConfirmModal } from '../../components/confirm-modal';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { useFormat } from '../../i18n/use-format';
import { useUserDirectory } from '../users/use-users';
import { CreateApiKeyModal } from './create-api-key-modal';
import { useApiKeys, useRevokeApiKey } from './use-api-keys';

function stateOf(key: ApiKey): 'active' | 'revoked' | 'expired' {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt) <= new Date()) return 'expired';
  return 'active';
}

export function ApiKeysPage() {
  const { t } = useTranslation();
  const can = useCan();
  const format = useFormat();
  const toast = useToast();
  const errorText = useErrorText();
  const keys = useApiKeys();
  const directory = useUserDirectory(can('user', 'read'));
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const ownerName = (id: string) => directory.data?.find((user) => user.id === id)?.name ?? t('common.none');

  return (
    <>
      <PageHeader
        title={t('apiKeys.title')}
        description={t('apiKeys.description')}
        actions={
          can('api_key', 'create') ? (
            <Button leftSection={<Icon name="key" size={16} />} onClick={() => setCreating(true)}>
              {t('apiKeys.newButton')}
            </Button>
          ) : null
        }
      />
      <QueryStatus isPending={keys.isPending} error={keys.error} onRetry={() => void keys.refetch()}>
        {keys.data?.length === 0 ? (
          <Text c="dimmed" py="lg">
            {t('apiKeys.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={820}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('apiKeys.fields.name')}</Table.Th>
                  <Table.Th>{t('apiKeys.fields.prefix')}</Table.Th>
                  <Table.Th>{t('apiKeys.fields.owner')}</Table.Th>
                  <Table.Th>{t('apiKeys.fields.created')}</Table.Th>
                  <Table.Th>{t('apiKeys.fields.expires')}</Table.Th>
                  <Table.Th>{t('apiKeys.fields.lastUsed')}</Table.Th>
                  <Table.Th>{t('apiKeys.fields.state')}</Table.Th>
                  {can('api_key', 'delete') ? <Table.Th>{t('common.actions')}</Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(keys.data ?? []).map((key) => {
                  const state = stateOf(key);
                  return (
                    <Table.Tr key={key.id}>
                      <Table.Td fw={500}>{key.name}</Table.Td>
                      <Table.Td>
                        <Code>{key.prefix}…</Code>
                      </Table.Td>
                      <Table.Td>{ownerName(key.userId)}</Table.Td>
                      <Table.Td>{format.date(key.createdAt)}</Table.Td>
                      <Table.Td>{key.expiresAt ? format.date(key.expiresAt) : t('apiKeys.noExpiry')}</Table.Td>
                      <Table.Td>{format.dateTime(key.lastUsedAt)}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={state === 'active' ? 'teal' : 'gray'}>
                          {t(`apiKeys.state.${state}`)}
                        </Badge>
                      </Table.Td>
                      {can('api_key', 'delete') ? (
                        <Table.Td>
                          {state === 'active' ? (
                            <Button size="compact-sm" variant="subtle" color="red" onClick={() => setRevoking(key)} aria-label={t('apiKeys.revokeNamed', { name: key.name })}>
                              {t('apiKeys.revoke')}
                            </Button>
                          ) : null}
                        </Table.Td>
                      ) : null}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryStatus>
      <CreateApiKeyModal opened={creating} onClose={() => setCreating(false)} />
      <ConfirmModal
        opened={revoking !== null}
        title={t('apiKeys.revokeTitle')}
        message={t('apiKeys.revokeText', { name: revoking?.name ?? '' })}
        confirmLabel={t('apiKeys.revoke')}
        loading={revoke.isPending}
        onClose={() => setRevoking(null)}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking.id, {
            onSuccess: () => {
              toast({ color: 'green', message: t('apiKeys.revoked', { name: revoking.name }) });
              setRevoking(null);
            },
            onError: (error) => {
              toast({ color: 'red', message: errorText(error) });
              setRevoking(null);
            },
          })
        }
      />
    </>
  );
}
