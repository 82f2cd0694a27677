import type { FilterOp, ObjectField } from '@rapport/shared';
import { ActionIcon, Button, Group, MultiSelect, Paper, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { emptyValue, newRow, shapeOf, withOp, type FilterRow } from './filter-state';
import { Icon } from './icons';

export interface ValueEditorProps {
  field: ObjectField;
  /** `in` takes several values. */
  multiple: boolean;
  value: string | string[];
  onChange: (value: string | string[]) => void;
  label: string;
}

/**
 * Conditions joined by AND: field → operator → value, each value input typed by the field's kind and options.
 * Pickers for users and related records come from the caller (`renderPicker`), which knows where to load them.
 */
export function FilterBuilder({
  fields,
  rows,
  onChange,
  fieldLabel,
  optionLabel,
  renderPicker,
}: {
  fields: ObjectField[];
  rows: FilterRow[];
  onChange: (rows: FilterRow[]) => void;
  fieldLabel: (field: ObjectField) => string;
  optionLabel: (field: ObjectField, value: string) => string;
  renderPicker?: (props: ValueEditorProps) => ReactNode | null;
}) {
  const { t } = useTranslation();
  const filterable = fields.filter((field) => field.filterOps.length > 0);
  const byKey = new Map(filterable.map((field) => [field.key, field]));
  const fieldData = filterable.map((field) => ({ value: field.key, label: fieldLabel(field) })).sort((a, b) => a.label.localeCompare(b.label));
  const update = (id: number, change: (row: FilterRow) => FilterRow) => onChange(rows.map((row) => (row.id === id ? change(row) : row)));

  return (
    <Paper withBorder p="sm" radius="md">
      <Stack gap="xs">
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('filter.empty')}
          </Text>
        ) : null}
        {rows.map((row, index) => {
          const field = byKey.get(row.field);
          const shape = shapeOf(row.op);
          return (
            <Group key={row.id} gap="xs" align="flex-end" wrap="wrap" data-testid="filter-row">
              <Text size="sm" c="dimmed" w={36} ta="right" pb={8} visibleFrom="xs">
                {index === 0 ? t('filter.where') : t('filter.and')}
              </Text>
              <Select
                aria-label={t('filter.field')}
                placeholder={t('filter.chooseField')}
                searchable
                data={fieldData}
                value={row.field || null}
                onChange={(key) => {
                  const next = key ? byKey.get(key) : undefined;
                  if (next) update(row.id, () => ({ ...newRow(next), id: row.id }));
                }}
                w={{ base: '100%', xs: 200 }}
                comboboxProps={{ withinPortal: true }}
              />
              {field ? (
                <Select
                  aria-label={t('filter.operator')}
                  data={field.filterOps.map((op) => ({ value: op, label: t(`filter.ops.${op}`) }))}
                  value={row.op || null}
                  onChange={(op) => op && update(row.id, (current) => withOp(current, op as FilterOp))}
                  allowDeselect={false}
                  w={{ base: '100%', xs: 170 }}
                />
              ) : null}
              {field && shape !== 'none' ? (
                <div style={{ flex: '1 1 200px', minWidth: 180 }}>
                  {shape === 'range' ? (
                    <Group gap={4} wrap="nowrap" align="flex-end">
                      <ValueInput field={field} multiple={false} label={t('filter.from')} value={(row.value as string[])[0] ?? ''} onChange={(value) => update(row.id, (current) => ({ ...current, value: [String(value), (current.value as string[])[1] ?? ''] }))} optionLabel={optionLabel} renderPicker={renderPicker} />
                      <ValueInput field={field} multiple={false} label={t('filter.to')} value={(row.value as string[])[1] ?? ''} onChange={(value) => update(row.id, (current) => ({ ...current, value: [(current.value as string[])[0] ?? '', String(value)] }))} optionLabel={optionLabel} renderPicker={renderPicker} />
                    </Group>
                  ) : (
                    <ValueInput field={field} multiple={shape === 'list'} label={t('filter.value')} value={row.value} onChange={(value) => update(row.id, (current) => ({ ...current, value }))} optionLabel={optionLabel} renderPicker={renderPicker} />
                  )}
                </div>
              ) : null}
              <ActionIcon variant="subtle" color="gray" size="lg" aria-label={t('filter.remove')} onClick={() => onChange(rows.filter((other) => other.id !== row.id))}>
                ×
              </ActionIcon>
            </Group>
          );
        })}
        <Group gap="xs">
          <Button size="compact-sm" variant="light" leftSection={<Icon name="plus" size={14} />} onClick={() => onChange([...rows, { ...newRow(), value: emptyValue('') }])}>
            {t('filter.add')}
          </Button>
          {rows.length > 0 ? (
            <Button size="compact-sm" variant="subtle" color="gray" onClick={() => onChange([])}>
              {t('filter.clear')}
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Paper>
  );
}

function ValueInput({
  field,
  multiple,
  label,
  value,
  onChange,
  optionLabel,
  renderPicker,
}: ValueEditorProps & { optionLabel: (field: ObjectField, value: string) => string; renderPicker?: ((props: ValueEditorProps) => ReactNode | null) | undefined }) {
  const { t } = useTranslation();
  const text = Array.isArray(value) ? (value[0] ?? '') : value;
  const list = Array.isArray(value) ? value : value ? [value] : [];
  const picker = field.kind === 'user' || field.kind === 'relation' ? renderPicker?.({ field, multiple, value, onChange, label }) : null;
  if (picker) return <>{picker}</>;

  if (field.kind === 'select' || field.kind === 'multiselect') {
    const data = field.options.map((option) => ({ value: option.value, label: optionLabel(field, option.value) }));
    return multiple ? (
      <MultiSelect aria-label={label} data={data} value={list} onChange={onChange} searchable placeholder={list.length === 0 ? t('filter.chooseValues') : undefined} />
    ) : (
      <Select aria-label={label} data={data} value={text || null} onChange={(next) => onChange(next ?? '')} searchable placeholder={t('filter.chooseValue')} />
    );
  }
  if (field.kind === 'boolean') {
    return (
      <Select
        aria-label={label}
        data={[
          { value: 'true', label: t('common.yes') },
          { value: 'false', label: t('common.no') },
        ]}
        value={text || null}
        onChange={(next) => onChange(next ?? '')}
      />
    );
  }
  if (multiple) return <TagsInput aria-label={label} value={list} onChange={onChange} placeholder={t('filter.typeValues')} />;
  if (field.kind === 'date' || field.kind === 'datetime') return <TextInput aria-label={label} type="date" value={text} onChange={(event) => onChange(event.currentTarget.value)} />;
  const numeric = field.kind === 'number' || field.kind === 'money';
  return <TextInput aria-label={label} inputMode={numeric ? 'decimal' : undefined} value={text} onChange={(event) => onChange(event.currentTarget.value)} placeholder={t('filter.typeValue')} />;
}
