import type { AuditEntry } from '@rapport/shared';
import { Button, Code, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan, useMe } from '../../app/session';
import { LoadMore } from '../../components/load-more';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useFormat } from '../../i18n/use-format';
import { useRoles } from '../roles/use-roles';
import { useTeams } from '../teams/use-teams';
import { useUserDirectory } from '../users/use-users';
import { EMPTY_AUDIT_FILTERS, useAuditPages, type AuditFilters } from './use-audit';

const OBJECT_TYPES = ['user', 'role', 'team', 'api_key', 'workspace', 'company', 'contact', 'lead', 'deal', 'note', 'custom_field', 'saved_view', 'task', 'activity', 'pipeline', 'product', 'price_list'] as const;
// Changes to these fields hold ids; the log shows the names behind them.
const ID_FIELDS: Record<string, 'user' | 'role' | 'team'> = { role_id: 'role', team_id: 'team', manager_id: 'user', head_id: 'user', parent_id: 'team', owner_id: 'user' };

type Nested = Record<string, Record<string, unknown>>;

function isNested(value: unknown): value is Nested {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((inner) => typeof inner === 'object' && inner !== null && !Array.isArray(inner));
}

export function AuditPage() {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const format = useFormat();
  const [filters, setFilters] = useState<AuditFilters>(EMPTY_AUDIT_FILTERS);
  const [debounced] = useDebouncedValue(filters, 300);
  const pages = useAuditPages(debounced);
  const directory = useUserDirectory(can('user', 'read'));
  const roles = useRoles(can('role', 'read'));
  const teams = useTeams(can('team', 'read'));

  const set = (key: keyof AuditFilters, value: string) => setFilters((current) => ({ ...current, [key]: value }));
  const entries = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Object.values(filters).some(Boolean);

  const nameOf = (kind: 'user' | 'role' | 'team', id: string): string | undefined => {
    if (kind === 'user') return directory.data?.find((user) => user.id === id)?.name;
    if (kind === 'role') return roles.data?.find((role) => role.id === id)?.name;
    return teams.data?.find((team) => team.id === id)?.name;
  };

  const objectLabel = (entry: AuditEntry): string => {
    const type = t(`audit.objects.${entry.objectType}`, { defaultValue: entry.objectType });
    if (!entry.objectId) return type;
    if (entry.objectType === 'workspace' && entry.objectId === me.workspace.id) return `${type}: ${me.workspace.name}`;
    const kind = entry.objectType === 'user' || entry.objectType === 'role' || entry.objectType === 'team' ? entry.objectType : null;
    const metaName = typeof entry.meta?.name === 'string' ? entry.meta.name : typeof entry.meta?.email === 'string' ? entry.meta.email : undefined;
    return `${type}: ${(kind && nameOf(kind, entry.objectId)) ?? metaName ?? entry.objectId.slice(0, 8)}`;
  };

  const valueText = (field: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return t('common.none');
    const kind = ID_FIELDS[field];
    if (kind && typeof value === 'string') return nameOf(kind, value) ?? value.slice(0, 8);
    if (field === 'status' && typeof value === 'string') return t(`users.status.${value}`, { defaultValue: value });
    if (field === 'locale' && typeof value === 'string') return t(`language.${value}`, { defaultValue: value });
    if (typeof value === 'object') return t('audit.complexValue');
    const text = String(value);
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  };

  /** One line per changed value; a rights matrix or field rules change is broken down cell by cell. */
  const changeLines = (field: string, from: unknown, to: unknown): { label: string; from: string; to: string }[] => {
    const fieldLabel = t(`audit.fields.${field}`, { defaultValue: field });
    if ((field === 'permissions' || field === 'field_rules') && (isNested(from) || isNested(to))) {
      const before = isNested(from) ? from : {};
      const after = isNested(to) ? to : {};
      const lines: { label: string; from: string; to: string }[] = [];
      for (const object of new Set([...Object.keys(before), ...Object.keys(after)])) {
        const left = before[object] ?? {};
        const right = after[object] ?? {};
        for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
          if (left[key] === right[key]) continue;
          const objectLabel = t(`permissions.objects.${object}`, { defaultValue: object });
          const keyLabel = field === 'permissions' ? t(`permissions.actions.${key}`, { defaultValue: key }) : key;
          const show = (value: unknown) =>
            value === undefined ? t('common.none') : field === 'permissions' ? t(`permissions.scopes.${String(value)}`, { defaultValue: String(value) }) : t(`roles.fieldRules.${String(value)}`, { defaultValue: String(value) });
          lines.push({ label: `${fieldLabel} · ${objectLabel} · ${keyLabel}`, from: show(left[key]), to: show(right[key]) });
        }
      }
      if (lines.length > 0) return lines;
    }
    return [{ label: fieldLabel, from: valueText(field, from), to: valueText(field, to) }];
  };

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.description')} />
      <Stack gap="xs" mb="md">
        <SimpleGrid cols={{ base: 2, md: 5 }} spacing="sm">
          {directory.data ? (
            <NativeSelect
              label={t('audit.filters.actor')}
              value={filters.actorId}
              onChange={(event) => set('actorId', event.currentTarget.value)}
              data={[{ value: '', label: t('audit.filters.anyone') }, ...directory.data.map((user) => ({ value: user.id, label: user.name }))]}
            />
          ) : null}
          <NativeSelect
            label={t('audit.filters.objectType')}
            value={filters.objectType}
            onChange={(event) => set('objectType', event.currentTarget.value)}
            data={[{ value: '', label: t('audit.filters.anything') }, ...OBJECT_TYPES.map((type) => ({ value: type, label: t(`audit.objects.${type}`) }))]}
          />
          <TextInput label={t('audit.filters.action')} placeholder={t('audit.filters.actionPlaceholder')} value={filters.action} onChange={(event) => set('action', event.currentTarget.value)} />
          <TextInput label={t('audit.filters.from')} type="date" value={filters.from} onChange={(event) => set('from', event.currentTarget.value)} />
          <TextInput label={t('audit.filters.to')} type="date" value={filters.to} onChange={(event) => set('to', event.currentTarget.value)} />
        </SimpleGrid>
        {filtered ? (
          <Group>
            <Button size="compact-sm" variant="subtle" onClick={() => setFilters(EMPTY_AUDIT_FILTERS)}>
              {t('audit.filters.clear')}
            </Button>
          </Group>
        ) : null}
      </Stack>
      <QueryStatus isPending={pages.isPending} error={pages.error} onRetry={() => void pages.refetch()}>
        {entries.length === 0 ? (
          <Text c="dimmed" py="lg">
            {filtered ? t('audit.noMatch') : t('audit.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={980}>
            <Table verticalSpacing="sm" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('audit.columns.time')}</Table.Th>
                  <Table.Th>{t('audit.columns.actor')}</Table.Th>
                  <Table.Th>{t('audit.columns.action')}</Table.Th>
                  <Table.Th>{t('audit.columns.object')}</Table.Th>
                  <Table.Th>{t('audit.columns.changes')}</Table.Th>
                  <Table.Th>{t('audit.columns.ip')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{format.dateTime(entry.at)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{entry.actorName ?? (entry.actorId ? entry.actorId.slice(0, 8) : t('audit.system'))}</Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {t(`audit.actions.${entry.action}`, { defaultValue: entry.action })}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {entry.action}
                      </Text>
                    </Table.Td>
                    <Table.Td>{objectLabel(entry)}</Table.Td>
                    <Table.Td>
                      {entry.changes && Object.keys(entry.changes).length > 0 ? (
                        <Stack gap={2}>
                          {Object.entries(entry.changes).flatMap(([field, change]) =>
                            changeLines(field, change.from, change.to).map((line) => (
                              <Text key={`${field}:${line.label}`} size="sm">
                                <Text span fw={500}>
                                  {line.label}:
                                </Text>{' '}
                                {line.from} → {line.to}
                              </Text>
                            )),
                          )}
                        </Stack>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t('common.none')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{entry.ip ? <Code>{entry.ip}</Code> : t('common.none')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <LoadMore hasMore={pages.hasNextPage} loading={pages.isFetchingNextPage} onLoad={() => void pages.fetchNextPage()} />
      </QueryStatus>
    </>
  );
}
