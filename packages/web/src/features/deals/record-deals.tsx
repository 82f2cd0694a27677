import { Anchor, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCan } from '../../app/session';
import { Icon } from '../../components/icons';
import { intlLocale } from '../../i18n/i18n';
import { formatPrice } from '../products/product-draft';
import { RelatedBox } from '../records/card-parts';
import { recordUrl } from '../records/objects';
import { useRecordPages } from '../records/use-records';
import { DealFormModal } from './deal-form';

/** A company's or contact's deals, newest first, and "New deal" with the record filled in. */
export function RecordDeals({ object, id }: { object: 'company' | 'contact'; id: string }) {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const field = object === 'company' ? 'companyId' : 'contactId';
  const pages = useRecordPages('deal', { filter: JSON.stringify({ field, op: 'eq', value: id }) }, { limit: 20, enabled: can('deal', 'read') });
  if (!can('deal', 'read')) return null;
  const deals = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const locale = intlLocale(i18n.language);
  return (
    <RelatedBox
      title={t('deals.card.deals')}
      count={pages.data?.pages[0]?.total.value}
      action={
        can('deal', 'create') ? (
          <Button size="compact-sm" variant="subtle" leftSection={<Icon name="plus" size={14} />} onClick={() => setCreating(true)}>
            {t('deals.card.newDeal')}
          </Button>
        ) : null
      }
    >
      {deals.length === 0 ? (
        <Text size="sm" c="dimmed">
          {pages.isPending ? t('common.loading') : t('deals.card.noDeals')}
        </Text>
      ) : (
        <Stack gap={6} data-testid="record-deals">
          {deals.map((deal) => (
            <Group key={deal.id} justify="space-between" wrap="nowrap" gap="xs">
              <Anchor component={Link} to={recordUrl('deal', deal.id)} size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                {deal.title}
              </Anchor>
              <Group gap={6} wrap="nowrap">
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatPrice(deal.amount, deal.currency, locale)}
                </Text>
                <Badge color={deal.stageColor} variant="light" tt="none" size="sm">
                  {deal.stageName}
                </Badge>
              </Group>
            </Group>
          ))}
        </Stack>
      )}
      <DealFormModal deal={null} opened={creating} preset={object === 'company' ? { companyId: id } : { contactId: id }} onClose={() => setCreating(false)} onSaved={(deal) => void navigate(recordUrl('deal', deal.id))} />
    </RelatedBox>
  );
}
