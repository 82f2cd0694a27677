import type { ClientObject, ObjectField, SavedView } from '@rapport/shared';
import { Alert, Anchor, Badge, Button, em, Group, Loader, Stack, Text, TextInput, useMantineTheme } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCan } from '../../app/session';
import { DataTable, type DataColumn } from '../../components/data-table';
import { FilterBuilder } from '../../components/filter-builder';
import { jsonToRows, rowsToJson, type FilterRow } from '../../components/filter-state';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useFormat } from '../../i18n/use-format';
import { useCustomFields } from '../custom-fields/use-custom-fields';
import { DealFormModal } from '../deals/deal-form';
import { DealViewSwitch } from '../deals/deal-view-switch';
import { ExportMenu } from '../export/export-menu';
import { useSavedViews } from '../saved-views/use-saved-views';
import { ViewsBar } from '../saved-views/views-bar';
import { BulkBar } from './bulk-actions';
import { ColumnChooser } from './column-chooser';
import { FieldValue } from './field-value';
import { columnFields, defaultColumnKeys, differsFromView, nextSort, parseSort, readListState, stateOfView, writeListState, type ListState } from './list-state';
import { OBJECTS, recordTitle, recordUrl, type AnyRecord, type RecordOf } from './objects';
import { renderRelationPicker } from './pickers';
import { RecordFormModal } from './record-form';
import { useFieldLabels } from './use-field-labels';
import { fetchMatchingIds, useObjectFields, useRecordPages } from './use-records';

const WIDTH_BY_KIND: Partial<Record<ObjectField['kind'], number>> = { boolean: 110, number: 130, money: 140, date: 140, datetime: 180, select: 160, phone: 190, email: 230, user: 170 };
const WIDTH_BY_KEY: Record<string, number> = { name: 260, title: 260, companyId: 240, tags: 200 };

/** The list of one object: columns from its field catalogue, sort, quick search, filters, saved views and bulk actions. */
export function RecordListPage({ object }: { object: ClientObject }) {
  const { t } = useTranslation();
  const can = useCan();
  const format = useFormat();
  const navigate = useNavigate();
  const theme = useMantineTheme();
  const phone = useMediaQuery(`(max-width: ${em(theme.breakpoints.sm)})`) ?? false;
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readListState(params), [params]);
  const fields = useObjectFields(object);
  const customFields = useCustomFields(object);
  const views = useSavedViews(object);
  const labels = useFieldLabels(object, fields.data);
  const [creating, setCreating] = useState(false);
  const [showFilters, setShowFilters] = useState(Boolean(state.filter));
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const update = useCallback((patch: Partial<ListState>) => setParams((current) => writeListState({ ...readListState(current), ...patch }), { replace: true }), [setParams]);

  // Quick search: typed here, sent after a pause; a new address (a view, the navigation link) replaces what was typed.
  const [q, setQ] = useState(state.q);
  const [debouncedQ] = useDebouncedValue(q, 300);
  const writtenQ = useRef(state.q);
  useEffect(() => {
    if (state.q !== writtenQ.current) {
      writtenQ.current = state.q;
      setQ(state.q);
    }
  }, [state.q]);
  useEffect(() => {
    if (debouncedQ === q && debouncedQ !== writtenQ.current) {
      writtenQ.current = debouncedQ;
      update({ q: debouncedQ });
    }
  }, [debouncedQ, q, update]);

  // Filter rows are edited here; the address carries their JSON (and a view's filter arrives through it).
  const [rows, setRows] = useState<FilterRow[]>(() => jsonToRows(state.filter) ?? []);
  const written = useRef(state.filter);
  useEffect(() => {
    if (state.filter !== written.current) {
      written.current = state.filter;
      setRows(jsonToRows(state.filter) ?? []);
    }
  }, [state.filter]);
  const advanced = state.filter !== null && jsonToRows(state.filter) === null;
  const rowsJson = fields.data ? (rowsToJson(rows, fields.data) ?? null) : state.filter;
  const [debouncedJson] = useDebouncedValue(rowsJson, 400);
  useEffect(() => {
    if (!advanced && fields.data && debouncedJson === rowsJson && debouncedJson !== state.filter) {
      written.current = debouncedJson;
      update({ filter: debouncedJson });
    }
  }, [advanced, debouncedJson, fields.data, rowsJson, state.filter, update]);

  const pages = useRecordPages(object, { q: state.q, filter: state.filter ?? undefined, sort: state.sort ?? undefined });
  const records = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const total = pages.data?.pages[0]?.total;

  // Selection survives loading more pages; a new filter or search starts it over.
  useEffect(() => setSelected(new Set()), [state.filter, state.q]);

  const catalogue = useMemo(() => fields.data ?? [], [fields.data]);
  const showable = useMemo(() => columnFields(catalogue), [catalogue]);
  const inList = useMemo(() => (customFields.data ?? []).filter((field) => field.showInList).sort((a, b) => a.position - b.position).map((field) => `custom.${field.key}`), [customFields.data]);
  const defaults = useMemo(() => defaultColumnKeys(showable, OBJECTS[object].defaultColumns, inList), [inList, object, showable]);
  const columnKeys = (state.columns ?? defaults).filter((key) => showable.some((field) => field.key === key));
  const currentView = views.data?.find((view) => view.id === state.viewId);
  const dirty = differsFromView(state, currentView, defaults);
  const sort = parseSort(state.sort);
  const { titleField } = OBJECTS[object];

  const columns: DataColumn<RecordOf<typeof object>>[] = columnKeys.map((key) => {
    const field = showable.find((candidate) => candidate.key === key)!;
    return {
      key,
      header: labels.field(field),
      width: key === titleField && phone ? 170 : (WIDTH_BY_KEY[key] ?? WIDTH_BY_KIND[field.kind] ?? 180),
      sortable: field.sortable,
      render: (record) =>
        key === titleField ? (
          <Anchor component={Link} to={recordUrl(object, record.id)} fw={500} size="sm" onClick={(event) => event.stopPropagation()}>
            {recordTitle(record)}
          </Anchor>
        ) : (
          <FieldValue object={object} record={record as AnyRecord} field={field} labels={labels} compact />
        ),
    };
  });

  const openView = (view: SavedView | null) => {
    setQ('');
    setSelected(new Set());
    if (view) setShowFilters(Boolean(view.filter));
    setParams(writeListState(view ? stateOfView(view) : { viewId: null, q: '', filter: null, sort: null, columns: null }), { replace: false });
  };

  const select = (ids: string[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  const nameOf = (id: string) => {
    const record = records.find((candidate) => candidate.id === id);
    return record ? recordTitle(record) : id.slice(0, 8);
  };
;
  const filterCount = rows.filter((row) => row.field).length;
  const filtered = Boolean(state.filter || state.q);

  return (
    <>
      <PageHeader
        title={t(`records.${object}.title`)}
        description={
          total ? (
            <Group gap={6} component="span">
              <span data-testid="record-total">{t('records.list.total', { n: total.exact ? format.number(total.value) : `${format.number(total.value)}+` })}</span>
              {pages.isFetching && !pages.isFetchingNextPage ? <Loader size={12} aria-label={t('common.loading')} /> : null}
            </Group>
          ) : (
            t(`records.${object}.description`)
          )
        }
        actions={
          <>
            {object === 'deal' ? <DealViewSwitch view="list" /> : null}
            {can(object, 'export') && fields.data ? (
              <ExportMenu object={object} view={{ filter: state.filter, q: state.q, sort: state.sort, columns: columnKeys.map((key) => ({ key, header: labels.field(showable.find((field) => field.key === key)!) })) }} />
            ) : null}
            {can(object, 'create') ? (
              <Button leftSection={<Icon name="plus" size={16} />} onClick={() => setCreating(true)}>
                {t(`records.${object}.new`)}
              </Button>
            ) : null}
          </>
        }
      />
      <Stack gap="sm" mb="sm">
        <ViewsBar object={object} views={views.data ?? []} state={state} columns={columnKeys} dirty={dirty} onOpen={openView} />
        <Group gap="xs" wrap="wrap">
          <TextInput
            type="search"
            aria-label={t('records.list.quickSearch')}
            placeholder={t('records.list.quickSearch')}
            leftSection={<Icon name="search" size={16} />}
            value={q}
            onChange={(event) => setQ(event.currentTarget.value)}
            style={{ flex: '1 1 160px', maxWidth: 360 }}
          />
          <Button
            variant={showFilters ? 'light' : 'default'}
            leftSection={<Icon name="filter" size={16} />}
            onClick={() => setShowFilters((open) => !open)}
            aria-expanded={showFilters}
            rightSection={
              filterCount > 0 ? (
                <Badge size="xs" circle>
                  {filterCount}
                </Badge>
              ) : undefined
            }
          >
            {t('records.list.filters')}
          </Button>
          {fields.data ? <ColumnChooser fields={showable} value={columnKeys} onChange={(next) => update({ columns: next })} onReset={() => update({ columns: null })} fieldLabel={labels.field} /> : null}
        </Group>
        {advanced ? (
          <Alert color="blue" title={t('records.list.advancedFilter')}>
            <Text size="sm" mb="xs">
              {t('records.list.advancedFilterText')}
            </Text>
            <Button size="xs" variant="light" onClick={() => update({ filter: null })}>
              {t('filter.clear')}
            </Button>
          </Alert>
        ) : showFilters && fields.data ? (
          <FilterBuilder fields={fields.data} rows={rows} onChange={setRows} fieldLabel={labels.field} optionLabel={labels.option} renderPicker={renderRelationPicker} />
        ) : null}
        {selected.size > 0 && fields.data ? (
          <BulkBar
            object={object}
            ids={[...selected]}
            nameOf={nameOf}
            fields={fields.data}
            labels={labels}
            onClear={() => setSelected(new Set())}
            onFinished={(succeeded) => select(succeeded, false)}
            matching={
              total
                ? {
                    total: total.value,
                    exact: total.exact,
                    selectAll: async () => setSelected(new Set((await fetchMatchingIds(object, { q: state.q, filter: state.filter ?? undefined })).ids)),
                  }
                : undefined
            }
          />
        ) : null}
      </Stack>
      <QueryStatus isPending={pages.isPending || fields.isPending} error={pages.error ?? fields.error} onRetry={() => void pages.refetch()}>
        {records.length === 0 ? (
          <Text c="dimmed" py="lg">
            {filtered ? t('records.list.noMatch') : t(`records.${object}.empty`)}
          </Text>
        ) : (
          <DataTable
            label={t(`records.${object}.title`)}
            rows={records}
            columns={columns}
            rowId={(record) => record.id}
            sort={sort ?? { key: 'updatedAt', desc: true }}
            onSort={(key) => {
              const field = catalogue.find((candidate) => candidate.key === key);
              if (field) update({ sort: nextSort(state.sort ?? '-updatedAt', field) });
            }}
            selected={selected}
            onSelect={select}
            onOpen={(record) => void navigate(recordUrl(object, record.id))}
            hasMore={pages.hasNextPage}
            loadingMore={pages.isFetchingNextPage}
            onLoadMore={() => void pages.fetchNextPage()}
          />
        )}
      </QueryStatus>
      {object === 'deal' ? (
        <DealFormModal deal={null} opened={creating} onClose={() => setCreating(false)} onSaved={(deal) => void navigate(recordUrl('deal', deal.id))} />
      ) : (
        <RecordFormModal object={object} record={null} opened={creating} onClose={() => setCreating(false)} onSaved={(record) => void navigate(recordUrl(object, record.id))} />
      )}
    </>
  );
}
