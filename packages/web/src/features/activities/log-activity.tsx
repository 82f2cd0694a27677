import type { Activity, ClientObject, Contact, LoggedActivityKind } from '@rapport/shared';
import { Button, Group, Menu } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session';
import { Icon } from '../../components/icons';
import type { AnyRecord } from '../records/objects';
import { useRecord } from '../records/use-records';
import { ActivityIcon } from './activity-facts';
import { ActivityFormModal, type ActivityFormTarget } from './activity-form';

/** "Log call" and the other kinds, on a record's card; a contact's companies are offered (its main one ticked). */
export function LogActivityButtons({ object, id }: { object: ClientObject; id: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const record = useRecord(object, id);
  const [target, setTarget] = useState<ActivityFormTarget | null>(null);
  if (!can('activity', 'create')) return null;

  const open = (kind: LoggedActivityKind) => {
    const data = record.data as AnyRecord | undefined;
    const companies = object === 'contact' ? ((data as Contact | undefined)?.companies ?? []) : [];
    const phone = data && 'phones' in data ? data.phones[0] : undefined;
    // A call about a deal is also one with its people and company: offered as linked, ticked.
    const deal = data && 'stageName' in data ? data : null;
    const dealRelated = deal
      ? [...deal.contacts.map((link) => ({ object: 'contact' as const, id: link.contactId, title: link.contactName, checked: true })), ...(deal.companyId ? [{ object: 'company' as const, id: deal.companyId, title: deal.companyName ?? '', checked: true }] : [])]
      : [];
    setTarget({
      mode: 'new',
      kind,
      link: { object, id },
      phone: phone ? (phone.number || phone.e164 || undefined) : undefined,
      related: [...companies.map((company) => ({ object: 'company' as const, id: company.companyId, title: company.companyName, checked: company.isPrimary || companies.length === 1 })), ...dealRelated],
    });
  };

  return (
    <>
      <Group gap="xs">
        <Button size="xs" leftSection={<ActivityIcon kind="call" size={14} />} onClick={() => open('call')}>
          {t('activities.log.call')}
        </Button>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button size="xs" variant="default" rightSection={<Icon name="chevronDown" size={12} />}>
              {t('activities.log.more')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {(['meeting', 'email', 'sms'] as const).map((kind) => (
              <Menu.Item key={kind} leftSection={<ActivityIcon kind={kind} size={14} />} onClick={() => open(kind)}>
                {t(`activities.log.${kind}`)}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      </Group>
      <ActivityFormModal target={target} onClose={() => setTarget(null)} />
    </>
  );
}

/** Editing an activity from a timeline entry. */
export function EditActivityModal({ activity, onClose }: { activity: Activity | null; onClose: () => void }) {
  return <ActivityFormModal target={activity ? { mode: 'edit', activity } : null} onClose={onClose} />;
}
