import { lineAmounts, dealTotals, dealItemErrors, type DealItem, type DealItemInput, type Product, type ProductQuotes } from '@rapport/shared';
import { ActionIcon, Alert, Button, Group, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/api-client';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { intlLocale } from '../../i18n/i18n';
import { formatPrice } from '../products/product-draft';
import { useProductPages } from '../products/use-products';
import { RelatedBox } from '../records/card-parts';
import { useDealItems, useSaveDealItems } from './use-deal-items';

/** A line being edited: what the user typed, as strings. */
interface Row {
  key: number;
  productId: string | null;
  name: string;
  quantity: string;
  price: string;
  discountPercent: string;
  taxRate: string;
}

let nextKey = 0;
const rowOf = (item: DealItem): Row => ({ key: nextKey++, productId: item.productId, name: item.name, quantity: item.quantity, price: item.price, discountPercent: item.discountPercent, taxRate: item.taxRate });
const blankRow = (): Row => ({ key: nextKey++, productId: null, name: '', quantity: '1', price: '0', discountPercent: '0', taxRate: '0' });
/** A catalog line with no price typed leaves it to the server: the deal's price list, else the catalog in the deal's currency. */
const inputOf = (row: Row): DealItemInput => ({ ...(row.productId ? { productId: row.productId } : {}), name: row.name.trim() || undefined, quantity: row.quantity.trim(), ...(row.productId && !row.price.trim() ? {} : { price: row.price.trim() }), discountPercent: row.discountPercent.trim() || '0', taxRate: row.taxRate.trim() || '0' });

/** A line's total while typing, or a dash while a number is not one yet. */
function previewTotal(row: Row): string | null {
  if (!row.price.trim() || dealItemErrors([inputOf(row)]).length > 0) return null;
  return lineAmounts({ quantity: row.quantity, price: row.price, discountPercent: row.discountPercent || '0', taxRate: row.taxRate || '0' }).total;
}

/** The deal's products on its card: lines with their totals; "Edit" opens the editor. */
export function DealItemsPanel({ dealId, version, canUpdate, priceListName }: { dealId: string; version: number; canUpdate: boolean; priceListName: string | null }) {
  const { t, i18n } = useTranslation();
  const locale = intlLocale(i18n.language);
  const items = useDealItems(dealId);
  const [editing, setEditing] = useState(false);
  const data = items.data;
  const money = (value: string) => formatPrice(value, data?.currency ?? 'USD', locale);
  return (
    <RelatedBox
      title={t('dealItems.title')}
      count={data?.items.length}
      action={
        canUpdate ? (
          <Button size="compact-sm" variant="light" leftSection={<Icon name="pencil" size={14} />} onClick={() => setEditing(true)}>
            {t('dealItems.edit')}
          </Button>
        ) : undefined
      }
    >
      {!data || data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('dealItems.empty')}
        </Text>
      ) : (
        <Stack gap={4} data-testid="deal-items">
          {data.items.map((item) => (
            <Group key={item.id} justify="space-between" wrap="nowrap" gap="xs">
              <Text size="sm" style={{ minWidth: 0 }} truncate>
                {t('dealItems.line', { name: item.name, quantity: new Intl.NumberFormat(locale).format(Number(item.quantity)), unit: item.unit })}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                {money(item.total)}
              </Text>
            </Group>
          ))}
          <Group justify="space-between" mt={4}>
            <Text size="xs" c="dimmed">
              {t('dealItems.taxIncluded', { tax: money(data.totals.tax) })}
            </Text>
            <Text size="sm" fw={700} data-testid="deal-items-total">
              {money(data.totals.total)}
            </Text>
          </Group>
        </Stack>
      )}
      <Modal opened={editing} onClose={() => setEditing(false)} title={t('dealItems.editTitle')} size="80rem" closeButtonProps={{ 'aria-label': t('common.close') }}>
        {editing && data ? <ItemsEditor dealId={dealId} version={version} items={data.items} currency={data.currency} priceListName={priceListName} onDone={() => setEditing(false)} /> : null}
      </Modal>
    </RelatedBox>
  );
}

function ItemsEditor({ dealId, version, items, currency, priceListName, onDone }: { dealId: string; version: number; items: DealItem[]; currency: string; priceListName: string | null; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const locale = intlLocale(i18n.language);
  const errorText = useErrorText();
  const save = useSaveDealItems(dealId);
  const catalog = useProductPages('', false);
  const products = catalog.data?.pages.flatMap((page) => page.items) ?? [];
  const [rows, setRows] = useState<Row[]>(() => (items.length > 0 ? items.map(rowOf) : [blankRow()]));
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [formError, setFormError] = useState<string | null>(null);
  // Why a picked product's price stayed empty, by row.
  const [notices, setNotices] = useState<Map<number, string>>(new Map());

  const set = (key: number, patch: Partial<Row>) => setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  /** A picked product takes its name and tax rate, and the price the deal's list (or the catalog, in the deal's currency) gives it; none leaves the price empty, with the reason. */
  const pick = (key: number, product: Product | undefined) => {
    if (!product) return set(key, { productId: null });
    set(key, { productId: product.id, name: product.name, taxRate: product.taxRate, price: '' });
    void api<ProductQuotes>('GET', `/deals/${dealId}/quotes`, { query: { productIds: product.id } }).then(
      (quotes) => {
        const quote = quotes.items[0];
        setRows((current) => current.map((row) => (row.key === key && row.productId === product.id ? { ...row, price: quote?.price ?? '' } : row)));
        if (!quote?.price) setNotices((current) => new Map(current).set(key, t('dealItems.noPrice', { product: product.name, list: quote?.priceListName ?? t('dealItems.noList'), currency, productCurrency: product.currency })));
        else setNotices((current) => new Map([...current].filter(([other]) => other !== key)));
      },
      () => undefined,
    );
  };

  const submit = () => {
    setErrors(new Map());
    setFormError(null);
    const body = rows.map(inputOf);
    const local = dealItemErrors(body);
    const fail = (list: { path: string; message: string }[]) => setErrors(new Map(list.map((error) => [error.path.replace('/body/items/', ''), error.message])));
    if (local.length > 0) return fail(local);
    save.mutate(
      { items: body, version },
      {
        onSuccess: onDone,
        onError: (error) => {
          if (isApiError(error) && error.fieldErrors.some((fieldError) => fieldError.path.startsWith('/body/items/'))) fail(error.fieldErrors);
          else setFormError(isApiError(error) && error.code === 'version_conflict' ? t('dealItems.conflict') : errorText(error));
        },
      },
    );
  };

  const at = (index: number, field: string) => errors.get(`${index}/${field}`);
  const priceError = (row: Row, index: number) => {
    const error = at(index, 'price');
    if (error && /has no price/.test(error)) return notices.get(row.key) ?? t('dealItems.noPriceShort');
    return error ? t('dealItems.badNumber') : notices.get(row.key);
  };
  const totals = dealTotals(rows.map((row) => (previewTotal(row) ? lineAmounts({ quantity: row.quantity, price: row.price, discountPercent: row.discountPercent || '0', taxRate: row.taxRate || '0' }) : { net: '0', tax: '0', total: '0' })));
  const cell = (row: Row, index: number, field: 'quantity' | 'discountPercent' | 'taxRate', width: number) => (
    <TextInput size="xs" w={width} value={row[field]} onChange={(event) => set(row.key, { [field]: event.currentTarget.value })} error={at(index, field) ? t('dealItems.badNumber') : undefined} aria-label={`${t(`dealItems.${field}`, { currency })} ${index + 1}`} inputMode="decimal" />
  );

  return (
    <Stack>
      {formError ? (
        <Alert color="red" role="alert">
          {formError}
        </Alert>
      ) : null}
      <Table.ScrollContainer minWidth={860}>
        <Table verticalSpacing={4} aria-label={t('dealItems.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('dealItems.product')}</Table.Th>
              <Table.Th>{t('dealItems.quantity')}</Table.Th>
              <Table.Th>{t('dealItems.price', { currency })}</Table.Th>
              <Table.Th>{t('dealItems.discountPercent')}</Table.Th>
              <Table.Th>{t('dealItems.taxRate')}</Table.Th>
              <Table.Th ta="right">{t('dealItems.total')}</Table.Th>
              <Table.Th w={40} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, index) => {
              const total = previewTotal(row);
              return (
                <Table.Tr key={row.key} data-testid="item-row">
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Select
                        size="xs"
                        w={200}
                        searchable
                        clearable
                        placeholder={t('dealItems.fromCatalog')}
                        aria-label={`${t('dealItems.fromCatalog')} ${index + 1}`}
                        data={products.map((product) => ({ value: product.id, label: `${product.name} · ${product.sku}` }))}
                        value={row.productId}
                        onChange={(value) => pick(row.key, products.find((product) => product.id === value))}
                      />
                      <TextInput size="xs" w={200} placeholder={t('dealItems.name')} aria-label={`${t('dealItems.name')} ${index + 1}`} value={row.name} onChange={(event) => set(row.key, { name: event.currentTarget.value })} error={at(index, 'name') ? t('dealItems.needName') : undefined} />
                    </Group>
                  </Table.Td>
                  <Table.Td>{cell(row, index, 'quantity', 80)}</Table.Td>
                  <Table.Td>
                    <TextInput size="xs" w={110} value={row.price} onChange={(event) => set(row.key, { price: event.currentTarget.value })} error={priceError(row, index)} aria-label={`${t('dealItems.price', { currency })} ${index + 1}`} inputMode="decimal" placeholder={row.productId ? t('dealItems.fromList') : undefined} />
                  </Table.Td>
                  <Table.Td>{cell(row, index, 'discountPercent', 70)}</Table.Td>
                  <Table.Td>{cell(row, index, 'taxRate', 70)}</Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {total ? formatPrice(total, currency, locale) : '—'}
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon variant="subtle" color="red" aria-label={t('dealItems.remove', { n: index + 1 })} onClick={() => setRows((current) => current.filter((other) => other.key !== row.key))}>
                      <Icon name="trash" size={14} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group justify="space-between">
        <Button variant="subtle" size="compact-sm" leftSection={<Icon name="plus" size={14} />} onClick={() => setRows((current) => [...current, blankRow()])}>
          {t('dealItems.add')}
        </Button>
        <Text size="sm">{t('dealItems.totals', { net: formatPrice(totals.net, currency, locale), tax: formatPrice(totals.tax, currency, locale), total: formatPrice(totals.total, currency, locale) })}</Text>
      </Group>
      <Text size="xs" c="dimmed">
        {t('dealItems.amountNote')} {priceListName ? t('dealItems.priceListNote', { name: priceListName }) : t('dealItems.catalogNote')}
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button onClick={submit} loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}
