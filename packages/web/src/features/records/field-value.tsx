import type { ClientObject, Contact, EmailEntry, Messenger, ObjectField, Phone } from '@rapport/shared';
import { formatPhone } from '@rapport/shared';
import { Anchor, Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session';
import { intlLocale } from '../../i18n/i18n';
import { useFormat } from '../../i18n/use-format';
import { formatPrice } from '../products/product-draft';
import { useTeams } from '../teams/use-teams';
import { isEmptyValue, rawValue, safeHref } from './field-values';
import { recordTitle, recordUrl, type AnyRecord } from './objects';
import type { FieldLabels } from './use-field-labels';
import { useRecord } from './use-records';

const isPhone = (value: unknown): value is Phone => typeof value === 'object' && value !== null && 'number' in value;
const isEmail = (value: unknown): value is EmailEntry => typeof value === 'object' && value !== null && 'email' in value;
const isMessenger = (value: unknown): value is Messenger => typeof value === 'object' && value !== null && 'handle' in value;

/** One field of a record as text and links: phones formatted, owners and companies by name, dates and numbers in the UI locale. */
export function FieldValue({
  object,
  record,
  field,
  labels,
  compact = false,
}: {
  object: ClientObject;
  record: AnyRecord;
  field: ObjectField;
  labels: FieldLabels;
  /** In a table cell: one line, no wrapping lists. */
  compact?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const value = rawValue(record, field.key);
  const none = (
    <Text span c="dimmed" size="sm">
      {t('common.none')}
    </Text>
  );

  if (field.key === 'ownerId') return <Text span size="sm">{record.ownerName ?? none}</Text>;
  if (field.key === 'parentId' && 'parentName' in record) {
    return record.parentId ? (
      <Anchor component={Link} to={recordUrl('company', record.parentId)} size="sm" onClick={(event) => event.stopPropagation()}>
        {record.parentName ?? record.parentId.slice(0, 8)}
      </Anchor>
    ) : (
      none
    );
  }
  if (field.key === 'teamId') return <TeamName id={typeof value === 'string' ? value : null} />;
  if ('stageName' in record) {
    // A deal names its stage, pipeline, company and people itself; its amount is money in its currency.
    if (field.key === 'stageId') {
      return (
        <Badge color={record.stageColor} variant="light" tt="none">
          {record.stageName}
        </Badge>
      );
    }
    if (field.key === 'pipelineId') return <Text span size="sm">{record.pipelineName}</Text>;
    if (field.key === 'priceListId') return record.priceListName ? <Text span size="sm">{record.priceListName}</Text> : none;
    if (field.key === 'amount') return <Text span size="sm" style={{ whiteSpace: 'nowrap' }}>{formatPrice(record.amount, record.currency, intlLocale(i18n.language))}</Text>;
    if (field.key === 'companyId') {
      return record.companyId ? (
        <Anchor component={Link} to={recordUrl('company', record.companyId)} size="sm" onClick={(event) => event.stopPropagation()}>
          {record.companyName ?? record.companyId.slice(0, 8)}
        </Anchor>
      ) : (
        none
      );
    }
    if (field.key === 'contactId') {
      if (record.contacts.length === 0) return none;
      return (
        <Group gap={4} wrap={compact ? 'nowrap' : 'wrap'}>
          {record.contacts.map((link, index) => (
            <Text span size="sm" key={link.contactId}>
              <Anchor component={Link} to={recordUrl('contact', link.contactId)} size="sm" onClick={(event) => event.stopPropagation()}>
                {link.contactName}
              </Anchor>
              {link.role ? ` (${link.role})` : ''}
              {index < record.contacts.length - 1 ? ',' : ''}
            </Text>
          ))}
        </Group>
      );
    }
  }
  if (isEmptyValue(value)) return none;

  if (field.key === 'companyId' || (object === 'contact' && field.key === 'companies')) {
    const links = (record as Contact).companies ?? [];
    return (
      <Group gap={4} wrap={compact ? 'nowrap' : 'wrap'}>
        {links.map((link, index) => (
          <Text span size="sm" key={link.companyId}>
            <Anchor component={Link} to={recordUrl('company', link.companyId)} size="sm" onClick={(event) => event.stopPropagation()}>
              {link.companyName}
            </Anchor>
            {link.role ? ` (${link.role})` : ''}
            {index < links.length - 1 ? ',' : ''}
          </Text>
        ))}
      </Group>
    );
  }

  if (Array.isArray(value) && value.every(isPhone)) {
    const phones = compact ? value.slice(0, 1) : value;
    return (
      <Text span size="sm" style={{ whiteSpace: compact ? 'nowrap' : undefined }}>
        {phones.map((phone) => formatPhone(phone.e164, phone.number)).join(', ')}
        {compact && value.length > 1 ? ` +${value.length - 1}` : ''}
      </Text>
    );
  }
  if (Array.isArray(value) && value.every(isEmail)) {
    const emails = compact ? value.slice(0, 1) : value;
    return (
      <Text span size="sm">
        {emails.map((entry, index) => (
          <span key={entry.email}>
            <Anchor href={`mailto:${entry.email}`} size="sm" onClick={(event) => event.stopPropagation()}>
              {entry.email}
            </Anchor>
            {index < emails.length - 1 ? ', ' : ''}
          </span>
        ))}
        {compact && value.length > 1 ? ` +${value.length - 1}` : ''}
      </Text>
    );
  }
  if (Array.isArray(value) && value.every(isMessenger)) {
    return <Text span size="sm">{value.map((entry) => `${t(`records.messengerTypes.${entry.type}`)}: ${entry.handle}`).join(', ')}</Text>;
  }

  switch (field.kind) {
    case 'select':
      return <Text span size="sm">{labels.option(field, String(value))}</Text>;
    case 'multiselect':
      return (
        <Group gap={4} wrap={compact ? 'nowrap' : 'wrap'}>
          {(Array.isArray(value) ? value : [value]).map((item) => (
            <Badge key={String(item)} variant="light" size="sm" tt="none">
              {labels.option(field, String(item))}
            </Badge>
          ))}
        </Group>
      );
    case 'boolean':
      return <Text span size="sm">{value === true ? t('common.yes') : t('common.no')}</Text>;
    case 'date':
      return <Text span size="sm">{typeof value === 'string' ? format.date(`${value.slice(0, 10)}T00:00:00`) : String(value)}</Text>;
    case 'datetime':
      return <Text span size="sm" style={{ whiteSpace: 'nowrap' }}>{typeof value === 'string' ? format.dateTime(value) : String(value)}</Text>;
    case 'number':
    case 'money':
      return <Text span size="sm">{typeof value === 'number' ? format.number(value) : String(value)}</Text>;
    case 'url': {
      const href = safeHref(String(value));
      if (!href) return <Text span size="sm">{String(value)}</Text>;
      return (
        <Anchor href={href} target="_blank" rel="noreferrer noopener" size="sm" onClick={(event) => event.stopPropagation()}>
          {String(value).replace(/^https?:\/\//, '')}
        </Anchor>
      );
    }
    case 'email':
      return (
        <Anchor href={`mailto:${String(value)}`} size="sm" onClick={(event) => event.stopPropagation()}>
          {String(value)}
        </Anchor>
      );
    case 'relation': {
      const { target } = field;
      if (target === 'company' || target === 'contact' || target === 'lead') return <RecordName object={target} id={String(value)} />;
      if (target === 'team') return <TeamName id={String(value)} />;
      return <Text span size="sm">{String(value)}</Text>;
    }
    default:
      if (Array.isArray(value)) {
        return (
          <Group gap={4} wrap={compact ? 'nowrap' : 'wrap'}>
            {value.map((item) => (
              <Badge key={String(item)} variant="default" size="sm" tt="none">
                {String(item)}
              </Badge>
            ))}
          </Group>
        );
      }
      return <Text span size="sm" style={{ overflowWrap: 'anywhere' }}>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</Text>;
  }
}

function TeamName({ id }: { id: string | null }) {
  const { t } = useTranslation();
  const can = useCan();
  const teams = useTeams(can('team', 'read') && id !== null);
  if (!id) {
    return (
      <Text span c="dimmed" size="sm">
        {t('common.none')}
      </Text>
    );
  }
  return <Text span size="sm">{teams.data?.find((team) => team.id === id)?.name ?? ''}</Text>;
}

/** A link to another record by its name (loaded once and cached). */
export function RecordName({ object, id }: { object: ClientObject; id: string }) {
  const record = useRecord(object, id);
  return (
    <Anchor component={Link} to={recordUrl(object, id)} size="sm" onClick={(event) => event.stopPropagation()}>
      {record.data ? recordTitle(record.data) : id.slice(0, 8)}
    </Anchor>
  );
}
