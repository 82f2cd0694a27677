import type { Deal, DealStageStay, ObjectField } from '@rapport/shared';
import { Alert, Anchor, Badge, Button, Grid, Group, Menu, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useCan } from '../../app/session';
import { ConfirmModal } from '../../components/confirm-modal';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { NotFound } from '../../components/not-found';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { intlLocale } from '../../i18n/i18n';
import { useFormat } from '../../i18n/use-format';
import { RecordAttachments } from '../attachments/record-attachments';
import { GenerateDocumentButton } from '../documents/generate-document-button';
import { DealItemsPanel } from '../deal-items/deal-items';
import { useCustomFields } from '../custom-fields/use-custom-fields';
import { formatPrice } from '../products/product-draft';
import { Fact, FieldSection, RelatedBox } from '../records/card-parts';
import { fieldFor } from '../records/card-sections';
import { FieldValue } from '../records/field-value';
import { listUrl, recordUrl } from '../records/objects';
import { useFieldLabels } from '../records/use-field-labels';
import { useDeleteRecord, useObjectFields, useRecord, useRestoreRecord } from '../records/use-records';
import { DealRobotRuns } from '../robots/deal-robot-runs';
import { RecordProcesses } from '../processes/record-processes';
import { RecordTasks } from '../tasks/record-tasks';
import { RecordTimeline } from '../timeline/record-timeline';
import { DealFormModal } from './deal-form';
import { useDuration } from './use-duration';
import { useStageHistory } from './use-deals';

/** Fields of the card's main section, in order (the header already shows title, stage, amount and owner). */
const MAIN_FIELDS: [string, ObjectField['kind']][] = [
  ['pipelineId', 'relation'],
  ['stageId', 'relation'],
  ['amount', 'money'],
  ['expectedCloseDate', 'date'],
  ['source', 'select'],
  ['campaign', 'text'],
  ['priceListId', 'relation'],
  ['lostReason', 'text'],
  ['companyId', 'relation'],
  ['ownerId', 'user'],
  ['teamId', 'relation'],
  ['tags', 'text'],
  ['stageEnteredAt', 'datetime'],
  ['createdAt', 'datetime'],
];

/** A deal's card: what, for whom and how much; its stage history with time in each stage; people, tasks, files and timeline. */
export function DealCardPage() {
  const { id } = useParams();
  const deal = useRecord('deal', id);
  return (
    <QueryStatus isPending={deal.isPending} error={deal.error} onRetry={() => void deal.refetch()}>
      {deal.data ? <DealCard key={deal.data.id} deal={deal.data} onReload={() => void deal.refetch()} /> : <NotFound />}
    </QueryStatus>
  );
}

function DealCard({ deal, onReload }: { deal: Deal; onReload: () => void }) {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const toast = useToast();
  const errorText = useErrorText();
  const fields = useObjectFields('deal');
  const customFields = useCustomFields('deal');
  const labels = useFieldLabels('deal', fields.data);
  const remove = useDeleteRecord('deal');
  const restore = useRestoreRecord();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const canUpdate = can('deal', 'update');
  const custom = [...(customFields.data ?? [])].sort((a, b) => a.position - b.position || a.label.localeCompare(b.label));

  const doDelete = async () => {
    try {
      await remove.mutateAsync(deal.id);
      setDeleting(false);
      toast({ color: 'green', message: t('deals.card.deleted', { title: deal.title }) });
      void navigate(listUrl('deal'));
    } catch (error) {
      setDeleting(false);
      toast({ color: 'red', message: errorText(error) });
    }
  };

  return (
    <Stack gap="lg">
      <Paper withBorder radius="md" p="lg">
        <Group justify="space-between" align="flex-start" gap="md">
          <Stack gap={6} style={{ flex: '1 1 320px', minWidth: 0 }}>
            <Group gap="md">
              <Anchor component={Link} to="/deals/board" size="sm" c="dimmed">
                ← {t('deals.board.title')}
              </Anchor>
              <Anchor component={Link} to={listUrl('deal')} size="sm" c="dimmed">
                {t('records.deal.title')}
              </Anchor>
            </Group>
            <Group gap="xs" wrap="wrap">
              <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
                {deal.title}
              </Title>
              <Badge color={deal.stageColor} variant="light" tt="none" data-testid="deal-stage">
                {deal.stageName}
              </Badge>
              {deal.rotting ? (
                <Badge color="orange" variant="filled" tt="none">
                  {t('deals.card.rotting')}
                </Badge>
              ) : null}
            </Group>
            <Text size="xl" fw={700} data-testid="deal-amount">
              {formatPrice(deal.amount, deal.currency, intlLocale(i18n.language))}
            </Text>
            <Text size="sm" c="dimmed">
              {[deal.pipelineName, deal.companyName].filter(Boolean).join(' · ')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('records.card.owner', { name: deal.ownerName ?? t('common.none') })}
            </Text>
          </Stack>
          <Group gap="xs">
            {canUpdate ? (
              <Button leftSection={<Icon name="pencil" size={16} />} onClick={() => setEditing(true)}>
                {t('common.edit')}
              </Button>
            ) : null}
            {can('deal', 'delete') ? (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button variant="default" rightSection={<Icon name="chevronDown" size={14} />}>
                    {t('common.actions')}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item color="red" onClick={() => setDeleting(true)}>
                    {t('common.delete')}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            ) : null}
          </Group>
        </Group>
      </Paper>

      {deal.deletedAt ? (
        <Alert color="red" title={t('records.card.inBin')}>
          <Button size="xs" variant="light" color="red" loading={restore.isPending} onClick={() => restore.mutate({ object: 'deal', id: deal.id }, { onSuccess: onReload })}>
            {t('recycleBin.restore')}
          </Button>
        </Alert>
      ) : null}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <FieldSection title={t('records.sections.main')} onEdit={canUpdate ? () => setEditing(true) : undefined}>
              {MAIN_FIELDS.filter(([key]) => key !== 'lostReason' || deal.stageKind === 'lost').map(([key, kind]) => (
                <Fact key={key} label={labels.field(fieldFor(fields.data, key, kind))}>
                  <FieldValue object="deal" record={deal} field={fieldFor(fields.data, key, kind)} labels={labels} />
                </Fact>
              ))}
              {deal.description ? (
                <Fact label={labels.key('description')}>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {deal.description}
                  </Text>
                </Fact>
              ) : null}
            </FieldSection>
            {custom.length > 0 ? (
              <FieldSection title={t('records.sections.custom')} onEdit={canUpdate ? () => setEditing(true) : undefined}>
                {custom.map((field) => (
                  <Fact key={field.id} label={field.label}>
                    <FieldValue object="deal" record={deal} field={{ ...fieldFor(fields.data, `custom.${field.key}`, field.kind), label: field.label, options: field.options }} labels={labels} />
                  </Fact>
                ))}
              </FieldSection>
            ) : null}
            <StageHistory deal={deal} />
            <DealRobotRuns dealId={deal.id} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <RelatedBox title={t('deals.card.people')} count={deal.contacts.length}>
              {deal.contacts.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('deals.card.noPeople')}
                </Text>
              ) : (
                <Stack gap={6} data-testid="deal-people">
                  {deal.contacts.map((link) => (
                    <Group key={link.contactId} gap="xs" wrap="wrap">
                      <Anchor component={Link} to={recordUrl('contact', link.contactId)} size="sm" fw={500}>
                        {link.contactName}
                      </Anchor>
                      {link.role ? (
                        <Text size="sm" c="dimmed">
                          {link.role}
                        </Text>
                      ) : null}
                    </Group>
                  ))}
                </Stack>
              )}
            </RelatedBox>
            <DealItemsPanel dealId={deal.id} version={deal.version} canUpdate={canUpdate} priceListName={deal.priceListName} />
            <RecordTasks object="deal" id={deal.id} />
            <RecordProcesses object="deal" id={deal.id} />
            <RecordAttachments object="deal" id={deal.id} canAttach={canUpdate} actions={<GenerateDocumentButton object="deal" id={deal.id} />} />
            <RecordTimeline object="deal" id={deal.id} fields={fields.data} />
          </Stack>
        </Grid.Col>
      </Grid>

      <DealFormModal deal={deal} opened={editing} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />
      <ConfirmModal
        opened={deleting}
        title={t('deals.card.deleteTitle')}
        message={t('deals.card.deleteText', { title: deal.title })}
        confirmLabel={t('common.delete')}
        loading={remove.isPending}
        onClose={() => setDeleting(false)}
        onConfirm={() => void doDelete()}
      />
    </Stack>
  );
}

/** Each stay in a stage, oldest first, with how long it lasted (the current one up to now). */
function StageHistory({ deal }: { deal: Deal }) {
  const { t } = useTranslation();
  const format = useFormat();
  const duration = useDuration();
  const history = useStageHistory(deal.id);
  const stays: DealStageStay[] = history.data ?? [];
  return (
    <Paper withBorder radius="md" p="md" component="section">
      <Title order={2} size="h4" mb="sm">
        {t('deals.card.history')}
      </Title>
      {stays.length === 0 ? (
        <Text size="sm" c="dimmed">
          {history.isPending ? t('common.loading') : t('deals.card.noHistory')}
        </Text>
      ) : (
        <Table verticalSpacing={6} data-testid="deal-stage-history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('fields.deal.stage')}</Table.Th>
              <Table.Th>{t('fields.deal.stageEnteredAt')}</Table.Th>
              <Table.Th ta="right">{t('deals.card.spent')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {stays.map((stay) => (
              <Table.Tr key={stay.id} fw={stay.leftAt === null ? 600 : undefined}>
                <Table.Td>
                  <Text size="sm" fw="inherit">
                    {stay.stageName ?? '—'}
                  </Text>
                  {stay.byName ? (
                    <Text size="xs" c="dimmed">
                      {t('deals.card.by', { name: stay.byName })}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {format.dateTime(stay.enteredAt)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }} fw="inherit">
                    {duration(stay.seconds)}
                    {stay.leftAt === null ? ` (${t('deals.card.now')})` : ''}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
