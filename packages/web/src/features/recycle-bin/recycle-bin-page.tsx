import type { ClientObject } from '@rapport/shared';
import { Anchor, Button, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session';
import { useErrorText } from '../../components/error-text';
import { LoadMore } from '../../components/load-more';
import { NotAllowed } from '../../components/not-allowed';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { useFormat } from '../../i18n/use-format';
import { ObjectTabs } from '../records/object-tabs';
import { CLIENT_OBJECT_LIST, recordUrl } from '../records/objects';
import { useRestoreRecord } from '../records/use-records';
import { useRecycleBin } from './use-recycle-bin';

/** Objects whose deleted records the user can see (and restore): the API lists those within the delete right. */
export function recycleBinObjects(can: (object: ClientObject, action: 'delete') => boolean): ClientObject[] {
  return CLIENT_OBJECT_LIST.filter((object) => can(object, 'delete'));
}

/** Settings → Recycle bin: deleted companies, contacts and leads, newest first, each with a restore button. */
export function RecycleBinPage() {
  const { t } = useTranslation();
  const can = useCan();
  const objects = recycleBinObjects(can);
  if (objects.length === 0) return <NotAllowed />;
  return (
    <>
      <PageHeader title={t('recycleBin.title')} description={t('recycleBin.description')} />
      <ObjectTabs objects={objects}>{(item) => <DeletedList object={item} />}</ObjectTabs>
    </>
  );
}

function DeletedList({ object }: { object: ClientObject }) {
  const { t } = useTranslation();
  const format = useFormat();
  const toast = useToast();
  const errorText = useErrorText();
  const pages = useRecycleBin(object);
  const restore = useRestoreRecord();
  const [restoring, setRestoring] = useState<string | null>(null);
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <QueryStatus isPending={pages.isPending} error={pages.error} onRetry={() => void pages.refetch()}>
      {items.length === 0 ? (
        <Text c="dimmed" py="lg">
          {t('recycleBin.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" aria-label={t('recycleBin.tableLabel', { object: t(`records.${object}.title`) })}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('recycleBin.columns.name')}</Table.Th>
                <Table.Th>{t('recycleBin.columns.deletedAt')}</Table.Th>
                <Table.Th>{t('recycleBin.columns.deletedBy')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {item.title}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{format.dateTime(item.deletedAt)}</Table.Td>
                  <Table.Td>{item.deletedByName ?? t('common.none')}</Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="light"
                      loading={restoring === item.id}
                      aria-label={t('recycleBin.restoreNamed', { name: item.title })}
                      onClick={() => {
                        setRestoring(item.id);
                        restore.mutate(
                          { object, id: item.id },
                          {
                            onSuccess: () =>
                              toast({
                                color: 'green',
                                message: t('recycleBin.restored', { name: item.title }),
                              }),
                            onError: (error) => toast({ color: 'red', message: errorText(error) }),
                            onSettled: () => setRestoring(null),
                          },
                        );
                      }}
                    >
                      {t('recycleBin.restore')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore hasMore={pages.hasNextPage} loading={pages.isFetchingNextPage} onLoad={() => void pages.fetchNextPage()} />
      {restore.data ? (
        <Text size="sm" mt="sm">
          <Anchor component={Link} to={recordUrl(object, restore.data.id)}>
            {t('recycleBin.openRestored', { name: restore.data.name })}
          </Anchor>
        </Text>
      ) : null}
    </QueryStatus>
  );
}
