import type { ClientObject, FieldKind } from '@rapport/shared';
import { Checkbox, MultiSelect, NumberInput, Select, TagsInput, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { RecordPicker, TeamPicker, UserPicker } from './pickers';

export interface FieldInputProps {
  kind: FieldKind;
  label: string;
  value: unknown;
  onChange: (value: unknown) => void;
  /** Choices of select fields, already labelled. */
  options?: { value: string; label: string }[];
  /** For relation fields: what they point to. */
  target?: ClientObject | 'team' | 'user' | null;
  /** A text field that holds a list (tags). */
  list?: boolean;
  required?: boolean;
  error?: ReactNode;
  description?: ReactNode;
  currency?: string | null;
}

/**
 * One input for a value of any field kind, producing the type the API expects: numbers as numbers, booleans as
 * booleans, dates as `YYYY-MM-DD`, multi-selects and tags as lists, and `null` for an emptied value.
 */
export function FieldInput({ kind, label, value, onChange, options = [], target, list, required, error, description, currency }: FieldInputProps) {
  const { t } = useTranslation();
  const common = { label, required, error, description };
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);

  if (list) return <TagsInput {...common} value={Array.isArray(value) ? (value as string[]) : []} onChange={onChange} />;
  switch (kind) {
    case 'number':
    case 'money':
      return (
        <NumberInput
          {...common}
          value={typeof value === 'number' ? value : ''}
          onChange={(next) => onChange(typeof next === 'number' ? next : next === '' ? null : Number(next))}
          decimalScale={kind === 'money' ? 2 : undefined}
          rightSection={currency ? <span style={{ fontSize: 12, color: 'var(--mantine-color-dimmed)' }}>{currency}</span> : undefined}
          rightSectionWidth={currency ? 44 : undefined}
        />
      );
    case 'boolean':
      return <Checkbox label={label} description={description} error={error} checked={value === true} onChange={(event) => onChange(event.currentTarget.checked)} mt="xs" />;
    case 'date':
      return <TextInput {...common} type="date" value={text.slice(0, 10)} onChange={(event) => onChange(event.currentTarget.value || null)} />;
    case 'datetime':
      return (
        <TextInput
          {...common}
          type="datetime-local"
          value={text ? toLocalInput(text) : ''}
          onChange={(event) => onChange(event.currentTarget.value ? new Date(event.currentTarget.value).toISOString() : null)}
        />
      );
    case 'select':
      return <Select {...common} data={options} value={text || null} onChange={(next) => onChange(next ?? null)} clearable={!required} searchable={options.length > 8} placeholder={t('records.form.choose')} comboboxProps={{ withinPortal: true }} />;
    case 'multiselect':
      return <MultiSelect {...common} data={options} value={Array.isArray(value) ? (value as string[]) : []} onChange={(next) => onChange(next)} clearable searchable={options.length > 8} comboboxProps={{ withinPortal: true }} />;
    case 'user':
      return <UserPicker {...common} value={text} onChange={(next) => onChange(next || null)} />;
    case 'relation':
      if (target === 'team') return <TeamPicker {...common} value={text} onChange={(next) => onChange(next || null)} />;
      if (target === 'company' || target === 'contact' || target === 'lead') return <RecordPicker {...common} object={target} value={text || null} onChange={(next) => onChange(next)} />;
      return <TextInput {...common} value={text} onChange={(event) => onChange(event.currentTarget.value || null)} />;
    case 'email':
      return <TextInput {...common} type="email" value={text} onChange={(event) => onChange(event.currentTarget.value)} />;
    case 'url':
      return <TextInput {...common} type="url" placeholder="https://" value={text} onChange={(event) => onChange(event.currentTarget.value)} />;
    case 'phone':
      return <TextInput {...common} type="tel" value={text} onChange={(event) => onChange(event.currentTarget.value)} />;
    default:
      return <TextInput {...common} value={text} onChange={(event) => onChange(event.currentTarget.value)} />;
  }
}

/** `2026-03-01T09:30:00.000Z` → the `datetime-local` input's `2026-03-01T12:30` in the browser's zone. */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
