import type { ClientObject, ObjectField } from '@rapport/shared';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** A readable name for a field key nobody translated (`actualAddress` → "Actual address"). */
export function humanize(key: string): string {
  const last = key.split('.').at(-1) ?? key;
  const words = last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface FieldLabels {
  /** The field's name: the admin's label for custom fields, the translation for system ones. */
  field(field: Pick<ObjectField, 'key' | 'label' | 'labelKey'>): string;
  /** A field's name by its key alone (timeline changes, merge rows), looked up in the catalogue when it is there. */
  key(key: string): string;
  /** An option's label: the admin's for custom choices, the translation for system enums. */
  option(field: Pick<ObjectField, 'key' | 'options'>, value: string): string;
}

/** Names of fields and options of one object, in the UI language. */
export function useFieldLabels(object: ClientObject, fields: ObjectField[] | undefined): FieldLabels {
  const { t } = useTranslation();
  const byKey = useMemo(() => new Map((fields ?? []).map((field) => [field.key, field])), [fields]);
  const field = useCallback<FieldLabels['field']>(
    (item) => item.label ?? t(item.labelKey ?? `fields.${object}.${item.key}`, { defaultValue: humanize(item.key) }),
    [object, t],
  );
  const key = useCallback<FieldLabels['key']>(
    (name) => {
      const known = byKey.get(name);
      if (known) return field(known);
      return t(`fields.${object}.${name}`, { defaultValue: humanize(name) });
    },
    [byKey, field, object, t],
  );
  const option = useCallback<FieldLabels['option']>(
    (item, value) => {
      const custom = item.options.find((candidate) => candidate.value === value)?.label;
      return custom ?? t(`enums.${object}.${item.key}.${value}`, { defaultValue: value });
    },
    [object, t],
  );
  return useMemo(() => ({ field, key, option }), [field, key, option]);
}
