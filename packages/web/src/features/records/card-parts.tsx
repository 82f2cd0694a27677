import { Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A titled group of a card's fields, with an edit button when the reader may edit. */
export function FieldSection({ title, onEdit, children }: { title: string; onEdit: (() => void) | undefined; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" p="md" component="section">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {onEdit ? (
          <Button size="compact-sm" variant="subtle" onClick={onEdit} aria-label={t('records.card.editSection', { section: title })}>
            {t('common.edit')}
          </Button>
        ) : null}
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
        {children}
      </SimpleGrid>
    </Paper>
  );
}

/** One labelled value of a card. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2} style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <div style={{ minWidth: 0, overflowWrap: 'anywhere' }}>{children}</div>
    </Stack>
  );
}

/** A card's box of related records, with its count and an action. */
export function RelatedBox({ title, count, action, children }: { title: string; count?: number | undefined; action?: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" component="section">
      <Group justify="space-between" mb="xs">
        <Group gap={6}>
          <Title order={2} size="h4">
            {title}
          </Title>
          {count !== undefined ? (
            <Badge variant="light" color="gray">
              {count}
            </Badge>
          ) : null}
        </Group>
        {action}
      </Group>
      {children}
    </Paper>
  );
}
