import type { PermissionAction, PermissionObject } from '@rapport/shared';
import { Anchor, Button, Table, Tabs, Text, VisuallyHidden } from '@mantine/core';
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
import { CLIENT_OBJECT_LIST, recordUrl } from '../records/objects';
import { useRestoreRecord } from '../records/use-records';
import { useDueText } from '../tasks/use-due-text';
import { useRestoreTask } from '../tasks/use-tasks';
import { useRecycleBin, type BinItem, type BinKind } from './use-recycle-bin';

/** What the user's bin shows (and lets them restore): the API lists each kind within the delete right. */
export function recycleBinKinds(can: (object: PermissionObject, action: PermissionAction) => boolean): BinKind[] {
  return [...CLIENT_OBJECT_LIST, 'task' as const].filter((kind) => can(kind, 'delete'));
}

const kindTitle = (kind: BinKind) => (kind === 'task' ? 'tasks.title' : `records.${kind}.title`);
const itemUrl = (kind: BinKind, id: string) => (kind === 'task' ? `/tasks/${id}` : recordUrl(kind, id));

/** Settings → Recycle bin: deleted companies, contacts, leads and tasks, newest first, each with a restore button. */
export function RecycleBinPage() {
  const { t } = useTranslation();
  const can = useCan();
  const kinds = recycleBinKinds(can);
  const [kind, setKind] = useState<BinKind | undefined>(kinds[0]);
  if (kinds.length === 0) return <NotAllowed />;
  return (
    <>
      <PageHeader title={t('recycleBin.title')} description={t('recycleBin.description')} />
      <Tabs value={kind ?? null} onChange={(value) => value && setKind(value as BinKind)} keepMounted={false}>
        <Tabs.List mb="md">
          {kinds.map((item) => (
            <Tabs.Tab key={item} value={item}>
              {t(kindTitle(item))}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {kinds.map((item) => (
          <Tabs.Panel key={item} value={item}>
            <DeletedList kind={item} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}

/** Restores one item of any kind; the answer names what came back, for the link to open it. */
function useRestore(kind: BinKind) {
  const record = useRestoreRecord();
  const task = useRestoreTask();
  const [restored, setRestored] = useState<{ id: string; name: string } | null>(null);
  const restore = (item: BinItem, callbacks: { onSuccess: () => void; onError: (error: unknown) => void; onSettled: () => void }) => {
    const done = (id: string, name: string) => {
      setRestored({ id, name });
      callbacks.onSuccess();
    };
    if (kind === 'task') task.mutate(item.id, { onSuccess: (back) => done(back.id, back.title), onError: callbacks.onError, onSettled: callbacks.onSettled });
    else record.mutate({ object: kind, id: item.id }, { onSuccess: (back) => done(back.id, back.name), onError: callbacks.onError, onSettled: callbacks.onSettled });
  };
  return { restore, restored };
}

function DeletedList({ kind }: { kind: BinKind }) {
  const { t } = useTranslation();
  const format = useFormat();
  const dueText = useDueText();
  const toast = useToast();
  const errorText = useErrorText();
  const pages = useRecycleBin(kind);
  const { restore, restored } = useRestore(kind);
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
          <Table verticalSpacing="sm" aria-label={t('recycleBin.tableLabel', { object: t(kindTitle(kind)) })}>
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
                    {'ownerId' in item ? (
                      <Text size="xs" c="dimmed">
                        {t('tasks.recycleBin.detail', { assignee: item.ownerName ?? t('common.none'), due: dueText(item, '—') })}
                      </Text>
                    ) : null}
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
                        restore(item, {
                          onSuccess: () => toast({ color: 'green', message: t('recycleBin.restored', { name: item.title }) }),
                          onError: (error) => toast({ color: 'red', message: errorText(error) }),
                          onSettled: () => setRestoring(null),
                        });
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
      {restored ? (
        <Text size="sm" mt="sm">
          <Anchor component={Link} to={itemUrl(kind, restored.id)}>
            {t('recycleBin.openRestored', { name: restored.name })}
          </Anchor>
        </Text>
      ) : null}
    </QueryStatus>
  );
}
