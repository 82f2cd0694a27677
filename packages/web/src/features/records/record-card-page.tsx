import type { Company, Contact, Lead, ObjectField } from '@rapport/shared';
import { formatPhone } from '@rapport/shared';
import { Alert, Anchor, Badge, Button, Grid, Group, Menu, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/api-client';
import { useCan } from '../../app/session';
import { ConfirmModal } from '../../components/confirm-modal';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { NotFound } from '../../components/not-found';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { useFormat } from '../../i18n/use-format';
import { useCustomFields } from '../custom-fields/use-custom-fields';
import { RecordAttachments } from '../attachments/record-attachments';
import { GenerateDocumentButton } from '../documents/generate-document-button';
import { RecordDeals } from '../deals/record-deals';
import { RecordProcesses } from '../processes/record-processes';
import { RecordTasks } from '../tasks/record-tasks';
import { RecordTimeline } from '../timeline/record-timeline';
import { CARD_SECTIONS, fieldFor } from './card-sections';
import { Fact, FieldSection, RelatedBox } from './card-parts';
import { FieldValue, RecordName } from './field-value';
import { LeadConvertModal } from './lead-convert-modal';
import { MergeModal } from './merge-modal';
import { listUrl, recordUrl, type ClientRecord, type FormObject, type RecordOf } from './objects';
import { RecordFormModal, type FormSection } from './record-form';
import { useFieldLabels, type FieldLabels } from './use-field-labels';
import { useDeleteRecord, useObjectFields, useRecord, useRecordPages, useRestoreRecord } from './use-records';

/** The card of a company, contact or lead: key facts and actions, field sections, related records and the timeline. */
export function RecordCardPage({ object }: { object: FormObject }) {
  const { id } = useParams();
  const record = useRecord(object, id);
  const merged = isApiError(record.error) && record.error.status === 404 ? record.error.extra.mergedInto : undefined;
  if (merged) return <MergedAway object={object} survivorId={merged} />;
  return (
    <QueryStatus isPending={record.isPending} error={record.error} onRetry={() => void record.refetch()}>
      {record.data ? <Card key={record.data.id} object={object} record={record.data} onReload={() => void record.refetch()} /> : <NotFound />}
    </QueryStatus>
  );
}

function MergedAway({ object, survivorId }: { object: FormObject; survivorId: string }) {
  const { t } = useTranslation();
  return (
    <Alert color="grape" title={t('records.card.mergedTitle')} maw={640}>
      <Text size="sm" mb="xs">
        {t('records.card.mergedText')}
      </Text>
      <Anchor component={Link} to={recordUrl(object, survivorId)} replace>
        {t('records.card.openSurvivor')}
      </Anchor>
    </Alert>
  );
}

function Card<O extends FormObject>({ object, record, onReload }: { object: O; record: RecordOf<O>; onReload: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const toast = useToast();
  const errorText = useErrorText();
  const fields = useObjectFields(object);
  const customFields = useCustomFields(object);
  const labels = useFieldLabels(object, fields.data);
  const remove = useDeleteRecord(object);
  const restore = useRestoreRecord();
  const [editing, setEditing] = useState<FormSection | 'all' | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [merging, setMerging] = useState(false);
  const [converting, setConverting] = useState(false);
  const [stale, setStale] = useState(false);
  const canUpdate = can(object, 'update');
  const lead = object === 'lead' ? (record as Lead) : null;

  // Awaited rather than a mutate callback: the card may unmount (its record is gone) before callbacks would run.
  const doDelete = async () => {
    try {
      await remove.mutateAsync(record.id);
      setDeleting(false);
      toast({ color: 'green', message: t('records.card.deleted', { name: record.name }) });
      void navigate(listUrl(object));
    } catch (error) {
      setDeleting(false);
      toast({ color: 'red', message: errorText(error) });
    }
  };

  const custom = [...(customFields.data ?? [])].sort((a, b) => a.position - b.position || a.label.localeCompare(b.label));

  return (
    <Stack gap="lg">
      <Header object={object} record={record as ClientRecord} labels={labels}>
        {canUpdate ? (
          <Button leftSection={<Icon name="pencil" size={16} />} onClick={() => setEditing('all')}>
            {t('common.edit')}
          </Button>
        ) : null}
        {lead && !lead.convertedAt && canUpdate && can('contact', 'create') ? (
          <Button color="orange" variant="light" onClick={() => setConverting(true)}>
            {t('records.convert.button')}
          </Button>
        ) : null}
        {canUpdate || can(object, 'delete') ? (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button variant="default" rightSection={<Icon name="chevronDown" size={14} />}>
                {t('common.actions')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {canUpdate && can(object, 'delete') ? <Menu.Item onClick={() => setMerging(true)}>{t('records.merge.button')}</Menu.Item> : null}
              {can(object, 'delete') ? (
                <Menu.Item color="red" onClick={() => setDeleting(true)}>
                  {t('common.delete')}
                </Menu.Item>
              ) : null}
            </Menu.Dropdown>
          </Menu>
        ) : null}
      </Header>

      {record.deletedAt ? (
        <Alert color="red" title={t('records.card.inBin')}>
          <Button size="xs" variant="light" color="red" loading={restore.isPending} onClick={() => restore.mutate({ object, id: record.id }, { onSuccess: onReload })}>
            {t('recycleBin.restore')}
          </Button>
        </Alert>
      ) : null}
      {stale ? (
        <Alert color="orange" role="alert" title={t('errors.version_conflict')}>
          <Text size="sm" mb="xs">
            {t('records.card.stale')}
          </Text>
          <Button
            size="xs"
            variant="light"
            color="orange"
            onClick={() => {
              setStale(false);
              onReload();
            }}
          >
            {t('common.reload')}
          </Button>
        </Alert>
      ) : null}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            {CARD_SECTIONS[object].map((section) => (
              <FieldSection key={section.id} title={t(section.titleKey)} onEdit={canUpdate ? () => setEditing(section.id) : undefined}>
                {section.fields
                  .filter(([key]) => !(key === 'disqualifyReason' && lead?.status !== 'disqualified'))
                  .map(([key, kind]) => (
                    <Fact key={key} label={labels.field(fieldFor(fields.data, key, kind))}>
                      <FieldValue object={object} record={record as ClientRecord} field={fieldFor(fields.data, key, kind)} labels={labels} />
                    </Fact>
                  ))}
              </FieldSection>
            ))}
            {custom.length > 0 ? (
              <FieldSection title={t('records.sections.custom')} onEdit={canUpdate ? () => setEditing('custom') : undefined}>
                {custom.map((field) => {
                  const catalogued: ObjectField = fieldFor(fields.data, `custom.${field.key}`, field.kind);
                  return (
                    <Fact key={field.id} label={field.label}>
                      <FieldValue object={object} record={record as ClientRecord} field={{ ...catalogued, label: field.label, options: field.options }} labels={labels} />
                    </Fact>
                  );
                })}
              </FieldSection>
            ) : null}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            {object === 'company' ? <CompanyRelated company={record as Company} /> : null}
            {object === 'contact' ? <ContactCompanies contact={record as Contact} /> : null}
            {lead ? <LeadConversion lead={lead} /> : null}
            {object === 'company' || object === 'contact' ? <RecordDeals object={object} id={record.id} /> : null}
            {lead && (lead.matchedContactId || Object.keys(lead.utm).length > 0) ? <LeadCapture lead={lead} /> : null}
            <RecordTasks object={object} id={record.id} />
            <RecordProcesses object={object} id={record.id} />
            <RecordAttachments object={object} id={record.id} canAttach={canUpdate} actions={<GenerateDocumentButton object={object} id={record.id} />} />
            <RecordTimeline object={object} id={record.id} fields={fields.data} />
          </Stack>
        </Grid.Col>
      </Grid>

      <RecordFormModal
        object={object}
        record={record}
        opened={editing !== null}
        section={editing === 'all' ? undefined : (editing ?? undefined)}
        onClose={() => setEditing(null)}
        onSaved={() => setEditing(null)}
      />
      <ConfirmModal
        opened={deleting}
        title={t('records.card.deleteTitle')}
        message={t('records.card.deleteText', { name: record.name })}
        confirmLabel={t('common.delete')}
        loading={remove.isPending}
        onClose={() => setDeleting(false)}
        onConfirm={() => void doDelete()}
      />
      <MergeModal object={object} record={record as ClientRecord} opened={merging} onClose={() => setMerging(false)} />
      {lead ? <LeadConvertModal lead={lead} opened={converting} onClose={() => setConverting(false)} onConflict={() => setStale(true)} /> : null}
    </Stack>
  );
}

function Header({ object, record, labels, children }: { object: FormObject; record: ClientRecord; labels: FieldLabels; children: ReactNode }) {
  const { t } = useTranslation();
  const badges: { key: string; value: string; color: string }[] = [];
  if (object === 'company') {
    const company = record as Company;
    badges.push({ key: 'kind', value: company.kind, color: 'indigo' }, { key: 'status', value: company.status, color: company.status === 'active' ? 'teal' : 'gray' });
  } else if (object === 'lead') {
    const lead = record as Lead;
    badges.push({ key: 'status', value: lead.status, color: lead.status === 'disqualified' ? 'red' : lead.status === 'qualified' ? 'teal' : 'orange' }, { key: 'source', value: lead.source, color: 'gray' });
  } else {
    const contact = record as Contact;
    if (contact.source) badges.push({ key: 'source', value: contact.source, color: 'gray' });
  }
  const contact = object === 'contact' ? (record as Contact) : null;
  const links = contact?.companies ?? [];
  const primary = links.find((link) => link.isPrimary) ?? links[0];
  const subtitle = contact ? [contact.position, primary?.companyName].filter(Boolean).join(' · ') : object === 'lead' ? [(record as Lead).position, (record as Lead).companyName].filter(Boolean).join(' · ') : (record as Company).industry;

  return (
    <Paper withBorder radius="md" p="lg">
      <Group justify="space-between" align="flex-start" gap="md">
        <Stack gap={6} style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Anchor component={Link} to={listUrl(object)} size="sm" c="dimmed">
            ← {t(`records.${object}.title`)}
          </Anchor>
          <Group gap="xs" wrap="wrap">
            <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
              {record.name}
            </Title>
            {badges.map((badge) => (
              <Badge key={badge.key} color={badge.color} variant="light">
                {labels.option({ key: badge.key, options: [] }, badge.value)}
              </Badge>
            ))}
          </Group>
          {subtitle ? (
            <Text c="dimmed" size="sm">
              {subtitle}
            </Text>
          ) : null}
          <Group gap="lg" wrap="wrap" mt={4}>
            {(record.phones ?? []).map((phone) => (
              <Anchor key={`${phone.type}:${phone.number}`} href={`tel:${phone.e164 ?? phone.number}`} size="sm" data-testid="header-phone">
                {formatPhone(phone.e164, phone.number)}
                <Text span size="xs" c="dimmed">
                  {' '}
                  {t(`records.phoneTypes.${phone.type}`)}
                </Text>
              </Anchor>
            ))}
            {(record.emails ?? []).map((entry) => (
              <Anchor key={entry.email} href={`mailto:${entry.email}`} size="sm">
                {entry.email}
              </Anchor>
            ))}
          </Group>
          <Text size="xs" c="dimmed">
            {t('records.card.owner', { name: record.ownerName ?? t('common.none') })}
          </Text>
        </Stack>
        <Group gap="xs">{children}</Group>
      </Group>
    </Paper>
  );
}

function CompanyRelated({ company }: { company: Company }) {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const [adding, setAdding] = useState<'person' | 'branch' | null>(null);
  const people = useRecordPages('contact', { filter: JSON.stringify({ field: 'companyId', op: 'eq', value: company.id }), sort: 'name' }, { limit: 50, enabled: can('contact', 'read') });
  const branches = useRecordPages('company', { filter: JSON.stringify({ field: 'parentId', op: 'eq', value: company.id }), sort: 'name' }, { limit: 50 });
  const contacts = people.data?.pages.flatMap((page) => page.items) ?? [];
  const children = branches.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      {can('contact', 'read') ? (
        <RelatedBox
          title={t('records.card.people')}
          count={people.data?.pages[0]?.total.value}
          action={
            can('contact', 'create') ? (
              <Button size="compact-sm" variant="subtle" leftSection={<Icon name="plus" size={14} />} onClick={() => setAdding('person')}>
                {t('records.card.addPerson')}
              </Button>
            ) : null
          }
        >
          {contacts.length === 0 ? (
            <Text size="sm" c="dimmed">
              {people.isPending ? t('common.loading') : t('records.card.noPeople')}
            </Text>
          ) : (
            <Table verticalSpacing={6} data-testid="company-people">
              <Table.Tbody>
                {contacts.map((person) => {
                  const link = (person.companies ?? []).find((item) => item.companyId === company.id);
                  const firstPhone = person.phones?.[0];
                  return (
                    <Table.Tr key={person.id}>
                      <Table.Td>
                        <Anchor component={Link} to={recordUrl('contact', person.id)} size="sm" fw={500}>
                          {person.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{link?.role ?? person.position ?? ''}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {firstPhone ? formatPhone(firstPhone.e164, firstPhone.number) : ''}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
        </RelatedBox>
      ) : null}
      <RelatedBox
        title={t('records.card.branches')}
        count={children.length > 0 ? branches.data?.pages[0]?.total.value : undefined}
        action={
          can('company', 'create') ? (
            <Button size="compact-sm" variant="subtle" leftSection={<Icon name="plus" size={14} />} onClick={() => setAdding('branch')}>
              {t('records.card.addBranch')}
            </Button>
          ) : null
        }
      >
        {company.parentId ? (
          <Text size="sm" mb={children.length > 0 ? 'xs' : 0}>
            {t('records.card.partOf')} <RecordName object="company" id={company.parentId} />
          </Text>
        ) : null}
        {children.length === 0 ? (
          <Text size="sm" c="dimmed">
            {branches.isPending ? t('common.loading') : t('records.card.noBranches')}
          </Text>
        ) : (
          <Stack gap={4}>
            {children.map((branch) => (
              <Anchor key={branch.id} component={Link} to={recordUrl('company', branch.id)} size="sm">
                {branch.name}
              </Anchor>
            ))}
          </Stack>
        )}
      </RelatedBox>
      <RecordFormModal
        object="contact"
        record={null}
        opened={adding === 'person'}
        onClose={() => setAdding(null)}
        onSaved={() => setAdding(null)}
        preset={(draft) => {
          draft.companies = [{ companyId: company.id, role: '', isPrimary: true }];
        }}
      />
      <RecordFormModal
        object="company"
        record={null}
        opened={adding === 'branch'}
        onClose={() => setAdding(null)}
        onSaved={(branch) => {
          setAdding(null);
          void navigate(recordUrl('company', branch.id));
        }}
        preset={(draft) => {
          draft.choice.parentId = company.id;
        }}
      />
    </>
  );
}

function ContactCompanies({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  return (
    <RelatedBox title={t('records.card.companies')} count={(contact.companies ?? []).length}>
      {(contact.companies ?? []).length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('records.card.noCompanies')}
        </Text>
      ) : (
        <Stack gap={6}>
          {(contact.companies ?? []).map((link) => (
            <Group key={link.companyId} gap="xs" wrap="wrap">
              <Anchor component={Link} to={recordUrl('company', link.companyId)} size="sm" fw={500}>
                {link.companyName}
              </Anchor>
              {link.role ? (
                <Text size="sm" c="dimmed">
                  {link.role}
                </Text>
              ) : null}
              {link.isPrimary ? (
                <Badge size="xs" variant="light">
                  {t('records.card.primary')}
                </Badge>
              ) : null}
            </Group>
          ))}
        </Stack>
      )}
    </RelatedBox>
  );
}

/** Where a lead from a web form came from: the contact it was recognised as and the page's campaign tags. */
function LeadCapture({ lead }: { lead: Lead }) {
  const { t } = useTranslation();
  return (
    <RelatedBox title={t('webForms.card.title')}>
      <Stack gap={6} data-testid="lead-capture">
        {lead.matchedContactId ? (
          <Text size="sm">
            {t('webForms.card.matchedContact')} <RecordName object="contact" id={lead.matchedContactId} />
          </Text>
        ) : null}
        {Object.entries(lead.utm).map(([key, value]) => (
          <Text size="sm" key={key}>
            <Text span c="dimmed" size="sm">
              {key}:
            </Text>{' '}
            {value}
          </Text>
        ))}
      </Stack>
    </RelatedBox>
  );
}

function LeadConversion({ lead }: { lead: Lead }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <RelatedBox title={t('records.card.conversion')}>
      {lead.convertedAt ? (
        <Stack gap={6} data-testid="lead-converted">
          <Text size="sm">{t('records.card.convertedAt', { at: format.dateTime(lead.convertedAt) })}</Text>
          {lead.convertedContactId ? (
            <Text size="sm">
              {t('records.card.convertedContact')} <RecordName object="contact" id={lead.convertedContactId} />
            </Text>
          ) : null}
          {lead.convertedCompanyId ? (
            <Text size="sm">
              {t('records.card.convertedCompany')} <RecordName object="company" id={lead.convertedCompanyId} />
            </Text>
          ) : null}
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          {t('records.card.notConverted')}
        </Text>
      )}
    </RelatedBox>
  );
}
