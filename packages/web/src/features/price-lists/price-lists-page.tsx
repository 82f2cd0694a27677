import { isCurrencyCode, priceListItemErrors, type PriceList, type PriceListItem, type PriceListItemInput } from '@rapport/shared';
import { ActionIcon, Alert, Badge, Button, Checkbox, Group, Modal, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-client';
import { useMe } from '../../app/session';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { formatPrice, toDecimal } from '../products/product-draft';
import { useProductPages } from '../products/use-products';
import { intlLocale } from '../../i18n/i18n';
import { useCreatePriceList, usePriceListItems, usePriceLists, useSavePriceListItems, useSetPriceListArchived, useUpdatePriceList } from './use-price-lists';

/** Settings › Price lists: named lists per currency, one default each, holding a price per product. */
export function PriceListsPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const [showArchived, setShowArchived] = useState(false);
  const [editing, setEditing] = useState<PriceList | 'new' | null>(null);
  const [pricing, setPricing] = useState<PriceList | null>(null);
  const lists = usePriceLists(showArchived);
  const setArchived = useSetPriceListArchived();

  const toggleArchived = (list: PriceList) => {
    const archived = list.archivedAt === null;
    setArchived.mutate({ id: list.id, archived }, { onSuccess: () => toast({ color: 'green', message: t(archived ? 'priceLists.archived' : 'priceLists.restored', { name: list.name }) }), onError: (error) => toast({ color: 'red', message: errorText(error) }) });
  };

  const items = lists.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('priceLists.title')}
        description={t('priceLists.description')}
        actions={
          <Button leftSection={<Icon name="plus" size={16} />} onClick={() => setEditing('new')}>
            {t('priceLists.new')}
          </Button>
        }
      />
      <Switch mb="md" label={t('priceLists.showArchived')} checked={showArchived} onChange={(event) => setShowArchived(event.currentTarget.checked)} />
      <QueryStatus isPending={lists.isPending} error={lists.error} onRetry={() => void lists.refetch()}>
        {items.length === 0 ? (
          <Text c="dimmed" py="lg">
            {t('priceLists.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={600}>
            <Table highlightOnHover verticalSpacing="sm" aria-label={t('priceLists.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('priceLists.fields.name')}</Table.Th>
                  <Table.Th>{t('priceLists.fields.currency')}</Table.Th>
                  <Table.Th ta="right">{t('priceLists.products')}</Table.Th>
                  <Table.Th w={130} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((list) => (
                  <Table.Tr key={list.id} data-testid="price-list-row" c={list.archivedAt ? 'dimmed' : undefined}>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Text size="sm" fw={500}>
                          {list.name}
                        </Text>
                        {list.isDefault ? (
                          <Badge size="sm" variant="light" tt="none">
                            {t('priceLists.defaultBadge')}
                          </Badge>
                        ) : null}
                        {list.archivedAt ? (
                          <Badge size="sm" variant="light" color="gray" tt="none">
                            {t('priceLists.archivedBadge')}
                          </Badge>
                        ) : null}
                      </Group>
                    </Table.Td>
                    <Table.Td>{list.currency}</Table.Td>
                    <Table.Td ta="right">{list.itemCount}</Table.Td>
                    <Table.Td>
                      <Group gap={2} wrap="nowrap" justify="flex-end">
                        {list.archivedAt ? (
                          <ActionIcon variant="subtle" color="gray" onClick={() => toggleArchived(list)} aria-label={t('priceLists.restore', { name: list.name })}>
                            <Icon name="rotate" size={16} />
                          </ActionIcon>
                        ) : (
                          <>
                            <ActionIcon variant="subtle" color="gray" onClick={() => setPricing(list)} aria-label={t('priceLists.editPrices', { name: list.name })}>
                              <Icon name="columns" size={16} />
                            </ActionIcon>
                            <ActionIcon variant="subtle" color="gray" onClick={() => setEditing(list)} aria-label={t('priceLists.edit', { name: list.name })}>
                              <Icon name="pencil" size={16} />
                            </ActionIcon>
                            <ActionIcon variant="subtle" color="red" onClick={() => toggleArchived(list)} aria-label={t('priceLists.archive', { name: list.name })}>
                              <Icon name="trash" size={16} />
                            </ActionIcon>
                          </>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryStatus>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? t('priceLists.new') : t('priceLists.editTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        {editing !== null ? <PriceListForm list={editing === 'new' ? null : editing} onDone={() => setEditing(null)} /> : null}
      </Modal>
      <Modal opened={pricing !== null} onClose={() => setPricing(null)} title={pricing ? t('priceLists.pricesTitle', { name: pricing.name, currency: pricing.currency }) : ''} size="70rem" closeButtonProps={{ 'aria-label': t('common.close') }}>
        {pricing ? <PricesEditor list={pricing} onDone={() => setPricing(null)} /> : null}
      </Modal>
    </>
  );
}

/** Name, currency (fixed once created: the prices are in it) and whether it is its currency's default. */
function PriceListForm({ list, onDone }: { list: PriceList | null; onDone: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const toast = useToast();
  const errorText = useErrorText();
  const create = useCreatePriceList();
  const update = useUpdatePriceList();
  const [name, setName] = useState(list?.name ?? '');
  const [currency, setCurrency] = useState(list?.currency ?? me.workspace.currency);
  const [isDefault, setIsDefault] = useState(list?.isDefault ?? false);
  const [submitted, setSubmitted] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const nameError = submitted && !name.trim() ? t('priceLists.errors.required') : undefined;
  const currencyError = submitted && !isCurrencyCode(currency.trim().toUpperCase()) ? t('priceLists.errors.unknown_currency') : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setFormError(null);
    if (!name.trim() || !isCurrencyCode(currency.trim().toUpperCase())) return;
    const done = { onSuccess: (saved: PriceList) => (toast({ color: 'green', message: t('priceLists.saved', { name: saved.name }) }), onDone()), onError: (error: unknown) => setFormError(isApiError(error) && error.code === 'version_conflict' ? t('priceLists.conflict') : errorText(error)) };
    if (list) update.mutate({ id: list.id, body: { name: name.trim(), isDefault, version: list.version } }, done);
    else create.mutate({ name: name.trim(), currency: currency.trim().toUpperCase(), isDefault }, done);
  };

  return (
    <form onSubmit={submit} noValidate aria-label={list ? list.name : t('priceLists.new')}>
      <Stack>
        {formError ? (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        ) : null}
        <TextInput label={t('priceLists.fields.name')} placeholder={t('priceLists.namePlaceholder')} value={name} onChange={(event) => setName(event.currentTarget.value)} error={nameError} maxLength={200} required data-autofocus />
        <TextInput label={t('priceLists.fields.currency')} description={t('priceLists.currencyHint')} value={currency} onChange={(event) => setCurrency(event.currentTarget.value.toUpperCase())} error={currencyError} maxLength={3} disabled={list !== null} />
        <Checkbox label={t('priceLists.fields.isDefault')} description={t('priceLists.defaultHint')} checked={isDefault} onChange={(event) => setIsDefault(event.currentTarget.checked)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {list ? t('common.save') : t('priceLists.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A price row as typed. */
interface Row {
  key: number;
  productId: string | null;
  price: string;
  validFrom: string;
  validTo: string;
}
let nextKey = 0;
const rowOf = (item: PriceListItem): Row => ({ key: nextKey++, productId: item.productId, price: item.price, validFrom: item.validFrom ?? '', validTo: item.validTo ?? '' });
const blankRow = (): Row => ({ key: nextKey++, productId: null, price: '', validFrom: '', validTo: '' });
const inputOf = (row: Row): PriceListItemInput => ({ productId: row.productId ?? '', price: toDecimal(row.price), validFrom: row.validFrom || null, validTo: row.validTo || null });

function PricesEditor({ list, onDone }: { list: PriceList; onDone: () => void }) {
  const items = usePriceListItems(list.id);
  return (
    <QueryStatus isPending={items.isPending} error={items.error} onRetry={() => void items.refetch()}>
      {items.data ? <PricesTable list={list} version={items.data.version} initial={items.data.items} onDone={onDone} /> : null}
    </QueryStatus>
  );
}

/** The list's prices as a table: a product, its price and the dates it applies between; saved all at once. */
function PricesTable({ list, version, initial, onDone }: { list: PriceList; version: number; initial: PriceListItem[]; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const save = useSavePriceListItems(list.id);
  const catalog = useProductPages('', false);
  const products = catalog.data?.pages.flatMap((page) => page.items) ?? [];
  const [rows, setRows] = useState<Row[]>(() => (initial.length > 0 ? initial.map(rowOf) : [blankRow()]));
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [formError, setFormError] = useState<string | null>(null);
  const set = (key: number, patch: Partial<Row>) => setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  const at = (index: number, field: string) => errors.get(`${index}/${field}`);
  const messageOf = (message: string) => (/twice/.test(message) ? t('priceLists.errors.duplicate') : /before/.test(message) ? t('priceLists.errors.dates') : /no such/.test(message) ? t('priceLists.errors.product') : t('priceLists.errors.price'));

  const submit = () => {
    setFormError(null);
    const body = rows.filter((row) => row.productId !== null || row.price.trim() !== '').map(inputOf);
    const fail = (list: { path: string; message: string }[]) => setErrors(new Map(list.map((error) => [error.path.replace('/body/items/', ''), messageOf(error.message)])));
    const missing = body.flatMap((input, index) => (input.productId ? [] : [{ path: `/body/items/${index}/productId`, message: 'no such product' }]));
    const local = [...missing, ...priceListItemErrors(body.filter((input) => input.productId))];
    if (local.length > 0) return fail(local);
    setErrors(new Map());
    save.mutate(
      { items: body, version },
      {
        onSuccess: () => (toast({ color: 'green', message: t('priceLists.pricesSaved', { name: list.name }) }), onDone()),
        onError: (error) => {
          if (isApiError(error) && error.fieldErrors.some((fieldError) => fieldError.path.startsWith('/body/items/'))) fail(error.fieldErrors);
          else setFormError(isApiError(error) && error.code === 'version_conflict' ? t('priceLists.conflict') : errorText(error));
        },
      },
    );
  };

  return (
    <Stack>
      {formError ? (
        <Alert color="red" role="alert">
          {formError}
        </Alert>
      ) : null}
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing={4} aria-label={t('priceLists.pricesTable')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('priceLists.product')}</Table.Th>
              <Table.Th>{t('priceLists.catalogPrice')}</Table.Th>
              <Table.Th>{t('priceLists.price', { currency: list.currency })}</Table.Th>
              <Table.Th>{t('priceLists.validFrom')}</Table.Th>
              <Table.Th>{t('priceLists.validTo')}</Table.Th>
              <Table.Th w={40} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, index) => {
              const product = products.find((candidate) => candidate.id === row.productId);
              return (
                <Table.Tr key={row.key} data-testid="price-row">
                  <Table.Td>
                    <Select
                      size="xs"
                      w={260}
                      searchable
                      placeholder={t('priceLists.pickProduct')}
                      aria-label={`${t('priceLists.product')} ${index + 1}`}
                      data={products.map((candidate) => ({ value: candidate.id, label: `${candidate.name} · ${candidate.sku}` }))}
                      value={row.productId}
                      onChange={(value) => set(row.key, { productId: value })}
                      error={at(index, 'productId')}
                      comboboxProps={{ withinPortal: true }}
                    />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="xs" c="dimmed">
                      {product ? formatPrice(product.price, product.currency, intlLocale(i18n.language)) : '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <TextInput size="xs" w={120} value={row.price} onChange={(event) => set(row.key, { price: event.currentTarget.value })} error={at(index, 'price')} aria-label={`${t('priceLists.price', { currency: list.currency })} ${index + 1}`} inputMode="decimal" />
                  </Table.Td>
                  <Table.Td>
                    <TextInput size="xs" type="date" value={row.validFrom} onChange={(event) => set(row.key, { validFrom: event.currentTarget.value })} error={at(index, 'validFrom')} aria-label={`${t('priceLists.validFrom')} ${index + 1}`} />
                  </Table.Td>
                  <Table.Td>
                    <TextInput size="xs" type="date" value={row.validTo} onChange={(event) => set(row.key, { validTo: event.currentTarget.value })} error={at(index, 'validTo')} aria-label={`${t('priceLists.validTo')} ${index + 1}`} />
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon variant="subtle" color="red" aria-label={t('priceLists.removeRow', { n: index + 1 })} onClick={() => setRows((current) => current.filter((other) => other.key !== row.key))}>
                      <Icon name="trash" size={14} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Button variant="subtle" size="compact-sm" leftSection={<Icon name="plus" size={14} />} onClick={() => setRows((current) => [...current, blankRow()])} style={{ alignSelf: 'flex-start' }}>
        {t('priceLists.addRow')}
      </Button>
      <Text size="xs" c="dimmed">
        {t('priceLists.pricesNote')}
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
