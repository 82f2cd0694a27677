import type { Product } from '@rapport/shared';
import { ActionIcon, Alert, Badge, Button, Group, Modal, SimpleGrid, Stack, Switch, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-client';
import { useMe } from '../../app/session';
import { useErrorText, useFieldMessage } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { LoadMore } from '../../components/load-more';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { intlLocale } from '../../i18n/i18n';
import { draftErrors, draftOf, formatPrice, serverFieldErrors, toCreateBody, toUpdateBody, type DraftField, type ProductDraft } from './product-draft';
import { useCreateProduct, useProductPages, useSetProductArchived, useUpdateProduct } from './use-products';

/** Settings › Products: the catalog deals sell from. */
export function ProductsPage() {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const [showArchived, setShowArchived] = useState(false);
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const pages = useProductPages(debounced, showArchived);
  const setArchived = useSetProductArchived();
  const products = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const locale = intlLocale(i18n.language);

  const toggleArchived = (product: Product) => {
    const archived = product.archivedAt === null;
    setArchived.mutate(
      { id: product.id, archived },
      {
        onSuccess: () => toast({ color: 'green', message: t(archived ? 'products.archived' : 'products.restored', { name: product.name }) }),
        onError: (error) => toast({ color: 'red', message: isApiError(error) && error.code === 'conflict' && !archived ? t('products.restoreConflict', { sku: product.sku }) : errorText(error) }),
      },
    );
  };

  return (
    <>
      <PageHeader
        title={t('products.title')}
        description={t('products.description')}
        actions={
          <Button leftSection={<Icon name="plus" size={16} />} onClick={() => setEditing('new')}>
            {t('products.new')}
          </Button>
        }
      />
      <Group mb="md" gap="lg" wrap="wrap">
        <TextInput w={360} maw="100%" type="search" aria-label={t('products.search')} placeholder={t('products.search')} leftSection={<Icon name="search" size={16} />} value={search} onChange={(event) => setSearch(event.currentTarget.value)} />
        <Switch label={t('products.showArchived')} checked={showArchived} onChange={(event) => setShowArchived(event.currentTarget.checked)} />
      </Group>
      <QueryStatus isPending={pages.isPending} error={pages.error} onRetry={() => void pages.refetch()}>
        {products.length === 0 ? (
          <Text c="dimmed" py="lg">
            {debounced.trim() ? t('products.noMatch') : t('products.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table highlightOnHover verticalSpacing="sm" aria-label={t('products.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('products.fields.name')}</Table.Th>
                  <Table.Th>{t('products.fields.sku')}</Table.Th>
                  <Table.Th ta="right">{t('products.fields.price')}</Table.Th>
                  <Table.Th>{t('products.fields.unit')}</Table.Th>
                  <Table.Th ta="right">{t('products.taxColumn')}</Table.Th>
                  <Table.Th w={96} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {products.map((product) => (
                  <Table.Tr key={product.id} data-testid="product-row" c={product.archivedAt ? 'dimmed' : undefined}>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Text size="sm" fw={500}>
                          {product.name}
                        </Text>
                        {product.archivedAt ? (
                          <Badge size="xs" variant="light" color="gray">
                            {t('products.archivedBadge')}
                          </Badge>
                        ) : null}
                      </Group>
                    </Table.Td>
                    <Table.Td ff="monospace">{product.sku}</Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {formatPrice(product.price, product.currency, locale)}
                    </Table.Td>
                    <Table.Td>{product.unit || '—'}</Table.Td>
                    <Table.Td ta="right">{t('products.percent', { value: new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(Number(product.taxRate)) })}</Table.Td>
                    <Table.Td>
                      <Group gap={2} wrap="nowrap" justify="flex-end">
                        {product.archivedAt ? (
                          <ActionIcon variant="subtle" color="gray" onClick={() => toggleArchived(product)} aria-label={t('products.restore', { name: product.name })}>
                            <Icon name="rotate" size={16} />
                          </ActionIcon>
                        ) : (
                          <>
                            <ActionIcon variant="subtle" color="gray" onClick={() => setEditing(product)} aria-label={t('products.edit', { name: product.name })}>
                              <Icon name="pencil" size={16} />
                            </ActionIcon>
                            <ActionIcon variant="subtle" color="red" onClick={() => toggleArchived(product)} aria-label={t('products.archive', { name: product.name })}>
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
        <LoadMore hasMore={pages.hasNextPage} loading={pages.isFetchingNextPage} onLoad={() => void pages.fetchNextPage()} />
      </QueryStatus>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? t('products.new') : t('products.editTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
        {editing !== null ? <ProductForm key={editing === 'new' ? 'new' : `${editing.id}:${editing.version}`} product={editing === 'new' ? null : editing} onDone={() => setEditing(null)} /> : null}
      </Modal>
    </>
  );
}

/** One product's fields; what the form or the server refuses is shown beside its field. */
function ProductForm({ product, onDone }: { product: Product | null; onDone: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const toast = useToast();
  const errorText = useErrorText();
  const fieldMessage = useFieldMessage();
  const create = useCreateProduct();
  const update = useUpdateProduct();
  const [draft, setDraft] = useState<ProductDraft>(() => draftOf(product, me.workspace.currency));
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Map<string, string>>(new Map());
  const [formError, setFormError] = useState<string | null>(null);
  const local = draftErrors(draft);

  const ruleText = (rule: string) => t(`products.errors.${rule}`);
  const errorAt = (field: DraftField) => serverErrors.get(field) ?? (submitted && local.has(field) ? ruleText(local.get(field)!) : undefined);
  const set = (field: DraftField, value: string) => {
    setDraft((current) => ({ ...current, [field]: field === 'currency' ? value.toUpperCase() : value }));
    setServerErrors((current) => {
      const next = new Map(current);
      next.delete(field);
      return next;
    });
  };

  const fail = (error: unknown) => {
    const byField = serverFieldErrors(error, (field) => field in draft, ruleText, fieldMessage);
    setServerErrors(byField);
    if (byField.size > 0) return;
    if (isApiError(error) && error.code === 'version_conflict') setFormError(t('products.conflict'));
    else setFormError(errorText(error));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setServerErrors(new Map());
    setFormError(null);
    if (local.size > 0) return;
    const done = (saved: Product) => {
      toast({ color: 'green', message: t('products.saved', { name: saved.name }) });
      onDone();
    };
    if (product) update.mutate({ id: product.id, body: toUpdateBody(draft, product) }, { onSuccess: done, onError: fail });
    else create.mutate(toCreateBody(draft), { onSuccess: done, onError: fail });
  };

  const text = (field: DraftField, extra: { maxLength: number; required?: boolean; description?: string; autofocus?: boolean }) => (
    <TextInput
      label={t(`products.fields.${field}`)}
      description={extra.description}
      value={draft[field]}
      onChange={(event) => set(field, event.currentTarget.value)}
      error={errorAt(field)}
      maxLength={extra.maxLength}
      required={extra.required}
      data-autofocus={extra.autofocus || undefined}
    />
  );

  return (
    <form onSubmit={submit} noValidate aria-label={product ? product.name : t('products.new')}>
      <Stack>
        {formError ? (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        ) : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {text('name', { maxLength: 200, required: true, autofocus: true })}
          {text('sku', { maxLength: 64, required: true, description: t('products.skuHint') })}
        </SimpleGrid>
        <Textarea label={t('products.fields.description')} value={draft.description} onChange={(event) => set('description', event.currentTarget.value)} error={errorAt('description')} maxLength={5000} autosize minRows={2} maxRows={6} />
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          {text('price', { maxLength: 30, required: true, description: t('products.priceHint') })}
          {text('currency', { maxLength: 3, required: true, description: t('products.currencyHint') })}
          {text('unit', { maxLength: 20, description: t('products.unitHint') })}
          {text('taxRate', { maxLength: 6, description: t('products.taxHint') })}
        </SimpleGrid>
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {product ? t('common.save') : t('products.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
