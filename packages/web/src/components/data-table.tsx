import { Box, Checkbox, Table, Text, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from './icons';
import { LoadMore } from './load-more';

export interface DataColumn<T> {
  key: string;
  header: string;
  /** Pixels; the table is as wide as its columns and scrolls sideways inside its box on narrow screens. */
  width: number;
  sortable?: boolean;
  render: (row: T) => ReactNode;
}

export interface DataSort {
  key: string;
  desc: boolean;
}

const ROW_HEIGHT = 44;
/** Rows rendered above and below the visible ones. */
const OVERSCAN = 12;

/**
 * A virtualized table: only the rows in view are in the DOM, so a list of thousands scrolls as smoothly as one of ten.
 * Scrolling near the end loads the next page; "Load more" does the same from the keyboard.
 */
export function DataTable<T>({
  label,
  rows,
  columns,
  rowId,
  sort,
  onSort,
  selected,
  onSelect,
  onOpen,
  hasMore,
  loadingMore,
  onLoadMore,
}: {
  /** The table's accessible name. */
  label: string;
  rows: T[];
  columns: DataColumn<T>[];
  rowId: (row: T) => string;
  sort?: DataSort | null;
  onSort?: (key: string) => void;
  /** With selection: a checkbox column and a "select all loaded" box in the header. */
  selected?: Set<string>;
  onSelect?: (ids: string[], on: boolean) => void;
  onOpen?: (row: T) => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}) {
  const { t } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: OVERSCAN });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - OVERSCAN) onLoadMore();
  }, [hasMore, lastIndex, loadingMore, onLoadMore, rows.length]);

  const selectable = Boolean(selected && onSelect);
  const allIds = selectable ? rows.map(rowId) : [];
  const selectedCount = selectable ? allIds.filter((id) => selected!.has(id)).length : 0;
  const width = columns.reduce((sum, column) => sum + column.width, 0) + (selectable ? 44 : 0);
  const before = items[0]?.start ?? 0;
  const after = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const span = columns.length + (selectable ? 1 : 0);

  return (
    <>
      <Box
        ref={scrollRef}
        data-testid="data-table-scroll"
        style={{ overflow: 'auto', maxHeight: 'max(320px, calc(100dvh - 300px))', border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-md)' }}
      >
        <Table stickyHeader highlightOnHover verticalSpacing={0} aria-label={label} aria-rowcount={rows.length + 1} style={{ tableLayout: 'fixed', width, minWidth: '100%' }}>
          <colgroup>
            {selectable ? <col style={{ width: 44 }} /> : null}
            {columns.map((column) => (
              <col key={column.key} style={{ width: column.width }} />
            ))}
          </colgroup>
          <Table.Thead style={{ zIndex: 2 }}>
            <Table.Tr>
              {selectable ? (
                <Table.Th style={{ paddingBlock: 10 }}>
                  <Checkbox
                    aria-label={t('records.list.selectAll')}
                    checked={selectedCount > 0 && selectedCount === allIds.length}
                    indeterminate={selectedCount > 0 && selectedCount < allIds.length}
                    onChange={(event) => onSelect!(allIds, event.currentTarget.checked)}
                  />
                </Table.Th>
              ) : null}
              {columns.map((column) => {
                const active = sort?.key === column.key;
                return (
                  <Table.Th key={column.key} aria-sort={active ? (sort!.desc ? 'descending' : 'ascending') : undefined} style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', paddingBlock: 10 }}>
                    {column.sortable && onSort ? (
                      <UnstyledButton onClick={() => onSort(column.key)} style={{ display: 'inline-flex', alignItems: 'center', gap: 4, fontWeight: 600, fontSize: 'var(--mantine-font-size-sm)', maxWidth: '100%' }}>
                        <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>{column.header}</span>
                        <span aria-hidden style={{ opacity: active ? 1 : 0.35, display: 'inline-flex', transform: active && !sort!.desc ? 'rotate(180deg)' : undefined }}>
                          <Icon name="chevronDown" size={14} />
                        </span>
                      </UnstyledButton>
                    ) : (
                      column.header
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {before > 0 ? (
              <tr aria-hidden style={{ height: before }}>
                <td colSpan={span} style={{ padding: 0, border: 0 }} />
              </tr>
            ) : null}
            {items.map((item) => {
              const row = rows[item.index]!;
              const id = rowId(row);
              const isSelected = selected?.has(id) ?? false;
              return (
                <Table.Tr
                  key={id}
                  aria-rowindex={item.index + 2}
                  aria-selected={selectable ? isSelected : undefined}
                  data-testid="record-row"
                  bg={isSelected ? 'var(--mantine-primary-color-light)' : undefined}
                  style={{ height: ROW_HEIGHT, cursor: onOpen ? 'pointer' : undefined }}
                  onClick={onOpen ? () => onOpen(row) : undefined}
                >
                  {selectable ? (
                    <Table.Td onClick={(event) => event.stopPropagation()}>
                      <Checkbox aria-label={t('records.list.selectRow')} checked={isSelected} onChange={(event) => onSelect!([id], event.currentTarget.checked)} />
                    </Table.Td>
                  ) : null}
                  {columns.map((column) => (
                    <Table.Td key={column.key} style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
                      {column.render(row)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              );
            })}
            {after > 0 ? (
              <tr aria-hidden style={{ height: after }}>
                <td colSpan={span} style={{ padding: 0, border: 0 }} />
              </tr>
            ) : null}
          </Table.Tbody>
        </Table>
      </Box>
      {rows.length === 0 ? null : (
        <Text size="xs" c="dimmed" mt={4} aria-hidden>
          {hasMore ? t('records.list.scrollForMore') : ''}
        </Text>
      )}
      <LoadMore hasMore={hasMore} loading={loadingMore} onLoad={onLoadMore} />
    </>
  );
}
