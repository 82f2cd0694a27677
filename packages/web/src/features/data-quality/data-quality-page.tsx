import { DQ_OBJECTS, type BulkResult, type DqCount, type DqObject, type DqProblem, type DqRecord, type ReviewItem } from '@rapport/shared';
import { Alert, Anchor, Badge, Button, Checkbox, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useCan } from '../../app/session';
import { useErrorText } from '../../components/error-text';
import { NotAllowed } from '../../components/not-allowed';
import { NotFound } from '../../components/not-found';
import { PageHeader } from '../../components/page-header';
import { useToast } from '../../components/toast-center';
import { useFormat } from '../../i18n/use-format';
import { MergeModal, type PresetMerge } from '../records/merge-modal';
import { recordUrl, type ClientRecord } from '../records/objects';
import { UserPicker } from '../records/pickers';
import { runBulk, useRecord } from '../records/use-records';
import { useDqRecords, useDqSummary, useFixContactPoints, useReviewActions, useReviewItems, useScan } from './use-data-quality';

const PROBLEM_KEYS = [
  ['invalidPhones', 'invalid_phones'],
  ['invalidEmails', 'invalid_emails'],
  ['missingOwner', 'missing_owner'],
  ['duplicates', 'duplicates'],
] as const;
type ListKind = DqProblem | 'duplicates';
export const isDqObject = (value: string | undefined): value is DqObject => (DQ_OBJECTS as readonly string[]).includes(value ?? '');
const isListKind = (value: string | undefined): value is ListKind => PROBLEM_KEYS.some(([, kind]) => kind === value);
const listPath = (object: DqObject, kind: ListKind) => `/settings/data-quality/${object}/${kind}`;

/** Whoever may change companies, contacts or leads (the API answers for the objects they may change). */
export function RequireDataQuality({ children }: { children: React.ReactNode }) {
  const can = useCan();
  return DQ_OBJECTS.some((object) => can(object, 'update')) ? <>{children}</> : <NotAllowed />;
}

function useCount() {
  const { t } = useTranslation();
  const format = useFormat();
  return (count: DqCount) => (count.exact ? format.number(count.value) : t('dataQuality.atLeast', { n: format.number(count.value) }));
}

/** Settings › Data quality: per object, how many records have each problem; each count opens its records. */
export function DataQualityPage() {
  const { t } = useTranslation();
  const summary = useDqSummary();
  const scan = useScan();
  const toast = useToast();
  const errorText = useErrorText();
  const count = useCount();
  const format = useFormat();
  const runScan = (object: DqObject) =>
    scan.mutate(object, {
      onSuccess: (result) => toast({ color: 'green', message: t('dataQuality.scanDone', { shown: format.number(result.found) }) }),
      onError: (error) => toast({ color: 'red', message: errorText(error) }),
    });
  return (
    <>
      <PageHeader title={t('dataQuality.title')} description={t('dataQuality.description')} />
      {summary.error ? <Alert color="red">{errorText(summary.error)}</Alert> : null}
      <Table.ScrollContainer minWidth={640}>
        <Table withTableBorder verticalSpacing="sm" aria-label={t('dataQuality.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('dataQuality.object')}</Table.Th>
              {PROBLEM_KEYS.map(([key]) => (
                <Table.Th key={key} ta="right">
                  {t(`dataQuality.problems.${key}`)}
                </Table.Th>
              ))}
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(summary.data?.objects ?? []).map((row) => (
              <Table.Tr key={row.object} data-testid={`dq-row-${row.object}`}>
                <Table.Td fw={600}>{t(`dataQuality.objects.${row.object}`)}</Table.Td>
                {PROBLEM_KEYS.map(([key, kind]) => (
                  <Table.Td key={key} ta="right">
                    {row[key].value > 0 ? (
                      <Anchor component={Link} to={listPath(row.object, kind)} fw={600} c={key === 'duplicates' ? undefined : 'red'} data-testid={`dq-${row.object}-${kind}`}>
                        {count(row[key])}
                      </Anchor>
                    ) : (
                      <Text span c="dimmed" data-testid={`dq-${row.object}-${kind}`}>
                        {count(row[key])}
                      </Text>
                    )}
                  </Table.Td>
                ))}
                <Table.Td ta="right">
                  <Button size="xs" variant="light" loading={scan.isPending && scan.variables === row.object} onClick={() => runScan(row.object)}>
                    {t('dataQuality.scan')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="sm" c="dimmed" mt="sm">
        {t('dataQuality.scanHint')}
      </Text>
    </>
  );
}

/** The records behind one count: a problem list with its bulk fix, or the review list of likely duplicates. */
export function DataQualityListPage() {
  const { t } = useTranslation();
  const { object, problem } = useParams();
  const [search] = useSearchParams();
  if (!isDqObject(object) || !isListKind(problem)) return <NotFound />;
  const key = PROBLEM_KEYS.find(([, kind]) => kind === problem)![0];
  return (
    <>
      <PageHeader
        title={`${t(`dataQuality.objects.${object}`)}: ${t(`dataQuality.problems.${key}`)}`}
        description={
          <Anchor component={Link} to="/settings/data-quality" size="sm">
            {t('dataQuality.back')}
          </Anchor>
        }
      />
      {problem === 'duplicates' ? <ReviewList object={object} importId={search.get('importId') ?? undefined} /> : <ProblemList object={object} problem={problem} />}
    </>
  );
}

function Owner({ record }: { record: DqRecord }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm">{record.ownerName ?? '—'}</Text>
      {!record.ownerActive ? (
        <Badge color="red" variant="light" size="sm">
          {t('dataQuality.deactivated')}
        </Badge>
      ) : null}
    </Group>
  );
}

function ContactPoints({ record }: { record: DqRecord }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      {record.phones.map((phone, i) => (
        <Text key={`p${i}`} size="sm" c={phone.valid ? undefined : 'red'} title={phone.valid ? undefined : t('dataQuality.invalidValue')}>
          {phone.number}
          {phone.valid ? '' : ` · ${t('dataQuality.invalidValue')}`}
        </Text>
      ))}
      {record.emails.map((entry, i) => (
        <Text key={`e${i}`} size="sm" c={entry.valid ? undefined : 'red'}>
          {entry.email}
          {entry.valid ? '' : ` · ${t('dataQuality.invalidValue')}`}
        </Text>
      ))}
    </Stack>
  );
}

function BulkOutcome({ result }: { result: BulkResult | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (!result) return null;
  return (
    <Alert color={result.failed.length > 0 ? 'orange' : 'green'} role="status">
      {t('dataQuality.bulkDone', { done: format.number(result.done), failed: format.number(result.failed.length) })}
      {result.failed.slice(0, 5).map((failure) => (
        <Text key={failure.id} size="xs">
          {failure.message}
        </Text>
      ))}
    </Alert>
  );
}

function ProblemList({ object, problem }: { object: DqObject; problem: DqProblem }) {
  const { t } = useTranslation();
  const format = useFormat();
  const errorText = useErrorText();
  const pages = useDqRecords(object, problem);
  const fix = useFixContactPoints();
  const { refresh } = useReviewActions();
  const [selected, setSelected] = useState<string[]>([]);
  const [ownerId, setOwnerId] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<BulkResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const records = (pages.data?.pages ?? []).flatMap((page) => page.items);
  const all = records.length > 0 && records.every((record) => selected.includes(record.id));
  const toggle = (id: string) => setSelected((current) => (current.includes(id) ? current.filter((other) => other !== id) : [...current, id]));

  const act = async (run: () => Promise<BulkResult>) => {
    setBusy(true);
    setError(null);
    try {
      setResult(await run());
      setSelected([]);
      await refresh();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  const assign = () => act(() => runBulk(object, { action: 'assign', ids: selected, ownerId }));
  const clear = () => act(() => fix.mutateAsync({ object, ids: selected }));

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t(`dataQuality.hints.${problem}`)}
      </Text>
      <Paper withBorder p="sm">
        <Group gap="sm" align="flex-end">
          <Text size="sm" fw={600}>
            {t('dataQuality.selected', { n: format.number(selected.length) })}
          </Text>
          {problem === 'missing_owner' ? (
            <>
              <UserPicker label={t('dataQuality.newOwner')} value={ownerId} onChange={(value) => setOwnerId(value as string)} w={260} />
              <Button disabled={selected.length === 0 || !ownerId} loading={busy} onClick={() => void assign()}>
                {t('dataQuality.assign')}
              </Button>
            </>
          ) : (
            <Button disabled={selected.length === 0} loading={busy} onClick={() => void clear()}>
              {t('dataQuality.clearInvalid')}
            </Button>
          )}
        </Group>
      </Paper>
      {error ? (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      ) : null}
      <BulkOutcome result={result} />
      <Table.ScrollContainer minWidth={640}>
        <Table withTableBorder verticalSpacing="xs" aria-label={t('dataQuality.records')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={40}>
                <Checkbox aria-label={t('dataQuality.selectAll')} checked={all} onChange={() => setSelected(all ? [] : records.map((record) => record.id))} />
              </Table.Th>
              <Table.Th>{t('dataQuality.name')}</Table.Th>
              <Table.Th>{t('dataQuality.contactPoints')}</Table.Th>
              <Table.Th>{t('dataQuality.owner')}</Table.Th>
              <Table.Th>{t('dataQuality.created')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {records.map((record) => (
              <Table.Tr key={record.id}>
                <Table.Td>
                  <Checkbox aria-label={t('dataQuality.select', { name: record.title })} checked={selected.includes(record.id)} onChange={() => toggle(record.id)} />
                </Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={recordUrl(object, record.id)} size="sm" title={t('dataQuality.editOnCard')}>
                    {record.title}
                  </Anchor>
                  {record.subtitle ? (
                    <Text size="xs" c="dimmed">
                      {record.subtitle}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  <ContactPoints record={record} />
                </Table.Td>
                <Table.Td>
                  <Owner record={record} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{format.date(record.createdAt)}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <PageEnd pages={pages} empty={records.length === 0 ? t('dataQuality.nothing') : null} />
    </Stack>
  );
}

/** Below a list: what an empty list says, or "Show more" while pages remain. */
function PageEnd({ pages, empty }: { pages: { isLoading: boolean; hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> }; empty: string | null }) {
  const { t } = useTranslation();
  if (!pages.isLoading && empty) return <Text c="dimmed">{empty}</Text>;
  if (!pages.hasNextPage) return null;
  return (
    <Button variant="default" onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage}>
      {t('dataQuality.more')}
    </Button>
  );
}

/** One side of a pair. */
function PairSide({ object, record }: { object: DqObject; record: DqRecord }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Paper withBorder p="sm">
      <Anchor component={Link} to={recordUrl(object, record.id)} fw={600}>
        {record.title}
      </Anchor>
      {record.subtitle ? (
        <Text size="sm" c="dimmed">
          {record.subtitle}
        </Text>
      ) : null}
      <ContactPoints record={record} />
      <Group gap={6} mt={4}>
        <Text size="xs" c="dimmed">
          {t('dataQuality.owner')}:
        </Text>
        <Owner record={record} />
      </Group>
      <Text size="xs" c="dimmed">
        {t('dataQuality.created')}: {format.dateTime(record.createdAt)}
      </Text>
    </Paper>
  );
}

function ReviewList({ object, importId }: { object: DqObject; importId: string | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  const toast = useToast();
  const errorText = useErrorText();
  const pages = useReviewItems(object, importId);
  const actions = useReviewActions();
  const [merging, setMerging] = useState<ReviewItem | null>(null);
  const items = (pages.data?.pages ?? []).flatMap((page) => page.items);
  const total = pages.data?.pages[0]?.total;
  const dismiss = (item: ReviewItem) =>
    actions.dismiss.mutate(item, {
      onSuccess: () => toast({ color: 'green', message: t('dataQuality.dismissed') }),
      onError: (error) => toast({ color: 'red', message: errorText(error) }),
    });
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {importId ? t('dataQuality.hints.importDuplicates') : t('dataQuality.hints.duplicates')}
        {total ? ` ${t('dataQuality.openItems', { n: format.number(total.value) })}` : ''}
      </Text>
      {items.map((item) => (
        <Paper key={item.id} withBorder p="md" data-testid="review-item">
          <Group justify="space-between" mb="sm">
            <Group gap={6}>
              {item.reasons.map((reason) => (
                <Badge key={reason} variant="light">
                  {t(`dataQuality.reasons.${reason}`)}
                </Badge>
              ))}
              <Text size="xs" c="dimmed">
                {item.source === 'import' && item.importId ? (
                  <Anchor component={Link} to={`/settings/import/${item.importId}`} size="xs">
                    {t('dataQuality.sources.import')}
                  </Anchor>
                ) : (
                  t('dataQuality.sources.scan')
                )}{' '}
                · {format.dateTime(item.createdAt)}
              </Text>
            </Group>
            <Group gap="xs">
              <Button size="xs" onClick={() => setMerging(item)}>
                {t('dataQuality.merge')}
              </Button>
              <Button size="xs" variant="default" loading={actions.dismiss.isPending && actions.dismiss.variables?.id === item.id} onClick={() => dismiss(item)}>
                {t('dataQuality.notDuplicates')}
              </Button>
            </Group>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {item.records.map((record) => (
              <PairSide key={record.id} object={object} record={record} />
            ))}
          </SimpleGrid>
        </Paper>
      ))}
      <PageEnd pages={pages} empty={items.length === 0 ? t('dataQuality.noDuplicates') : null} />
      {merging ? <ReviewMerge object={object} item={merging} onClose={() => setMerging(null)} onMerge={(body) => actions.merge(merging, body)} /> : null}
    </Stack>
  );
}

/** The card's merge dialog over the pair: the older record first, its values chosen by default. */
function ReviewMerge({ object, item, onClose, onMerge }: { object: DqObject; item: ReviewItem; onClose: () => void; onMerge: PresetMerge['onMerge'] }) {
  const [first, second] = item.records;
  const record = useRecord(object, first!.id);
  if (!record.data) return null;
  return <MergeModal object={object} record={record.data as ClientRecord} opened onClose={onClose} preset={{ others: [second!.id], onMerge }} />;
}

/** The import report's link to the likely duplicates its rows left for review. */
export function ImportReviewLink({ object, importId }: { object: DqObject; importId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const can = useCan();
  const items = useReviewItems(object, importId, 1);
  const total = items.data?.pages[0]?.total.value ?? 0;
  if (!can(object, 'update') || total === 0) return null;
  return (
    <Alert color="yellow" data-testid="import-review-link">
      <Anchor component={Link} to={`${listPath(object, 'duplicates')}?importId=${importId}`}>
        {t('dataQuality.importLink', { shown: format.number(total) })}
      </Anchor>
    </Alert>
  );
}
