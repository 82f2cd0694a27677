import { Anchor, Badge, Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../i18n/use-format';
import { recordUrl } from '../records/objects';
import { useBirthdays } from './use-birthdays';

const DAYS = 14;

/** Contacts celebrating in the next two weeks: the reader's own, or all they may read. */
export function BirthdaysWidget() {
  const { t } = useTranslation();
  const format = useFormat();
  const [whose, setWhose] = useState<'mine' | 'all'>('mine');
  const birthdays = useBirthdays(DAYS, whose === 'mine', true);
  const items = birthdays.data?.items ?? [];

  return (
    <Card withBorder radius="md" padding="lg" data-testid="birthdays">
      <Group justify="space-between" mb="sm" gap="xs">
        <Title order={2} size="h4">
          {t('birthdays.title')}
        </Title>
        <SegmentedControl
          size="xs"
          aria-label={t('birthdays.whose')}
          value={whose}
          onChange={(value) => setWhose(value === 'all' ? 'all' : 'mine')}
          data={[
            { value: 'mine', label: t('birthdays.mine') },
            { value: 'all', label: t('birthdays.all') },
          ]}
        />
      </Group>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {birthdays.isPending ? t('common.loading') : t('birthdays.none', { n: DAYS })}
        </Text>
      ) : (
        <Stack gap={6} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {items.map((item) => (
            <Group component="li" key={item.contactId} justify="space-between" wrap="nowrap" gap="xs">
              <div style={{ minWidth: 0 }}>
                <Anchor component={Link} to={recordUrl('contact', item.contactId)} size="sm" fw={500}>
                  {item.name}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {t('birthdays.turns', { age: item.turns, date: format.date(`${item.date}T12:00:00`) })}
                  {whose === 'all' && item.ownerName ? ` · ${item.ownerName}` : ''}
                </Text>
              </div>
              <Badge variant="light" color={item.daysAway === 0 ? 'pink' : 'gray'} style={{ flex: 'none' }}>
                {item.daysAway === 0 ? t('birthdays.today') : t('birthdays.inDays', { count: item.daysAway })}
              </Badge>
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}
