import type { ClientObject } from '@rapport/shared';
import { MultiSelect, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQueries } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/api-client';
import { useCan } from '../../app/session';
import type { ValueEditorProps } from '../../components/filter-builder';
import { teamOptions } from '../teams/team-options';
import { useTeams } from '../teams/use-teams';
import { useUserDirectory } from '../users/use-users';
import { OBJECTS, recordTitle, type AnyRecord } from './objects';
import { recordKeys, useRecordPages } from './use-records';

interface PickerBase {
  label?: string;
  'aria-label'?: string;
  placeholder?: string;
  description?: ReactNode;
  error?: ReactNode;
  required?: boolean;
  disabled?: boolean;
  /** Records not to offer (the record itself, already linked ones). */
  exclude?: string[];
  w?: number | string;
}

/** Names of the chosen records, so a picker shows them before anyone searches. */
function useChosenNames(object: ClientObject, ids: string[]): Map<string, string> {
  const results = useQueries({
    queries: ids.map((id) => ({ queryKey: recordKeys.one(object, id), queryFn: () => api<AnyRecord>('GET', `/${OBJECTS[object].path}/${id}`), staleTime: 60_000 })),
  });
  return useMemo(() => {
    const names = new Map<string, string>();
    results.forEach((result, index) => names.set(ids[index]!, (result.data ? recordTitle(result.data) : ids[index]!.slice(0, 8))));
    return names;
  }, [ids, results]);
}

function useRecordOptions(object: ClientObject, search: string, chosen: string[], exclude: string[] | undefined, enabled: boolean) {
  const [debounced] = useDebouncedValue(search, 250);
  const pages = useRecordPages(object, { q: debounced, sort: OBJECTS[object].titleField }, { limit: 20, enabled });
  const names = useChosenNames(object, chosen);
  const skip = new Set(exclude ?? []);
  const found = (pages.data?.pages[0]?.items ?? []).filter((record) => !skip.has(record.id));
  const data = [...chosen.map((id) => ({ value: id, label: names.get(id) ?? id })), ...found.filter((record) => !chosen.includes(record.id)).map((record) => ({ value: record.id, label: recordTitle(record) }))];
  return { data, loading: pages.isFetching };
}

/** Picks one record of an object by searching its names on the server. */
export function RecordPicker({ object, value, onChange, ...rest }: PickerBase & { object: ClientObject; value: string | null; onChange: (id: string | null) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState(false);
  const chosen = useMemo(() => (value ? [value] : []), [value]);
  const { data } = useRecordOptions(object, search, chosen, rest.exclude, open);
  return (
    <Select
      {...rest}
      searchable
      clearable={!rest.required}
      data={data}
      value={value}
      onChange={(next) => onChange(next)}
      searchValue={open ? search : undefined}
      onSearchChange={setSearch}
      onDropdownOpen={() => setOpen(true)}
      onDropdownClose={() => {
        setOpen(false);
        setSearch('');
      }}
      filter={({ options }) => options}
      nothingFoundMessage={t('records.picker.nothing')}
      placeholder={rest.placeholder ?? t('records.picker.search')}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** Picks several records of an object. */
export function RecordMultiPicker({ object, value, onChange, ...rest }: PickerBase & { object: ClientObject; value: string[]; onChange: (ids: string[]) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState(false);
  const { data } = useRecordOptions(object, search, value, rest.exclude, open);
  return (
    <MultiSelect
      {...rest}
      searchable
      data={data}
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      onDropdownOpen={() => setOpen(true)}
      onDropdownClose={() => setOpen(false)}
      filter={({ options }) => options}
      nothingFoundMessage={t('records.picker.nothing')}
      placeholder={value.length === 0 ? (rest.placeholder ?? t('records.picker.search')) : undefined}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** Picks a user of the workspace (owners). */
export function UserPicker({ value, onChange, multiple, ...rest }: PickerBase & { value: string | string[]; onChange: (value: string | string[]) => void; multiple?: boolean }) {
  const can = useCan();
  const directory = useUserDirectory(can('user', 'read'));
  const ids = Array.isArray(value) ? value : value ? [value] : [];
  const data = [
    ...(directory.data ?? []).filter((user) => user.status !== 'disabled' || ids.includes(user.id)).map((user) => ({ value: user.id, label: user.name })),
    ...ids.filter((id) => !directory.data?.some((user) => user.id === id)).map((id) => ({ value: id, label: id.slice(0, 8) })),
  ];
  return multiple ? (
    <MultiSelect {...rest} searchable data={data} value={ids} onChange={onChange} comboboxProps={{ withinPortal: true }} />
  ) : (
    <Select {...rest} searchable data={data} value={ids[0] ?? null} onChange={(next) => onChange(next ?? '')} comboboxProps={{ withinPortal: true }} />
  );
}

export function TeamPicker({ value, onChange, multiple, ...rest }: PickerBase & { value: string | string[]; onChange: (value: string | string[]) => void; multiple?: boolean }) {
  const can = useCan();
  const teams = useTeams(can('team', 'read'));
  const ids = Array.isArray(value) ? value : value ? [value] : [];
  const data = teamOptions(teams.data ?? []);
  return multiple ? (
    <MultiSelect {...rest} searchable data={data} value={ids} onChange={onChange} comboboxProps={{ withinPortal: true }} />
  ) : (
    <Select {...rest} searchable data={data} value={ids[0] ?? null} onChange={(next) => onChange(next ?? '')} comboboxProps={{ withinPortal: true }} />
  );
}

/** The filter builder's value input for user and relation fields. */
export function renderRelationPicker({ field, multiple, value, onChange, label }: ValueEditorProps): ReactNode | null {
  const { target } = field;
  if (target === 'user') return <UserPicker aria-label={label} value={value} onChange={onChange} multiple={multiple} />;
  if (target === 'team') return <TeamPicker aria-label={label} value={value} onChange={onChange} multiple={multiple} />;
  if (!target) return null;
  if (multiple) return <RecordMultiPicker aria-label={label} object={target} value={Array.isArray(value) ? value : value ? [value] : []} onChange={onChange} />;
  return <RecordPicker aria-label={label} object={target} value={(Array.isArray(value) ? value[0] : value) || null} onChange={(id) => onChange(id ?? '')} />;
}
