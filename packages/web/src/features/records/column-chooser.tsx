import type { ObjectField } from '@rapport/shared';
import { Button, Checkbox, Group, Popover, ScrollArea, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/icons';

/** Which fields the list shows as columns; new ones are added at the end, "Default" goes back to the object's set. */
export function ColumnChooser({ fields, value, onChange, onReset, fieldLabel }: { fields: ObjectField[]; value: string[]; onChange: (columns: string[]) => void; onReset: () => void; fieldLabel: (field: ObjectField) => string }) {
  const { t } = useTranslation();
  const toggle = (key: string, on: boolean) => {
    if (on) onChange([...value, key]);
    else if (value.length > 1) onChange(value.filter((other) => other !== key));
  };
  return (
    <Popover position="bottom-end" shadow="md" width={280} trapFocus>
      <Popover.Target>
        <Button variant="default" leftSection={<Icon name="columns" size={16} />}>
          {t('records.list.columns')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Group justify="space-between" mb="xs">
          <Text fw={600} size="sm">
            {t('records.list.columnsTitle')}
          </Text>
          <Button size="compact-xs" variant="subtle" onClick={onReset}>
            {t('records.list.columnsReset')}
          </Button>
        </Group>
        <ScrollArea.Autosize mah={360} type="auto">
          <Stack gap={6}>
            {fields.map((field) => (
              <Checkbox key={field.key} label={fieldLabel(field)} checked={value.includes(field.key)} disabled={value.length === 1 && value.includes(field.key)} onChange={(event) => toggle(field.key, event.currentTarget.checked)} />
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}
