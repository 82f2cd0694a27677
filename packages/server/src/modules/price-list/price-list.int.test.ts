import type { AuditEntry, Deal, DealItems, PriceList, PriceListItems, PriceListList, Problem, Product, ProductQuotes } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

describe('price lists: prices per product and currency, the deal’s lines take theirs', () => {
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let window: Product;
  let door: Product;
  let service: Product;

  const paths = (response: { json: <T>() => T }) => response.json<Problem>().errors?.map((error) => error.path);
  const create = async (body: Record<string, unknown>) => {
    const response = await as(t, admin)('POST', '/api/v1/price-lists', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<PriceList>();
  };
  const setPrices = async (list: PriceList, items: Record<string, unknown>[]) => {
    const response = await as(t, admin)('PUT', `/api/v1/price-lists/${list.id}/items`, { items, version: (await as(t, admin)('GET', `/api/v1/price-lists/${list.id}`)).json<PriceList>().version });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<PriceListItems>();
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep' });
    const product = async (body: Record<string, unknown>) => (await as(t, admin)('POST', '/api/v1/products', body)).json<Product>();
    window = await product({ sku: 'WIN', name: 'Window', price: '100', currency: 'RUB', taxRate: '20' });
    door = await product({ sku: 'DOOR', name: 'Door', price: '300', currency: 'RUB' });
    service = await product({ sku: 'SVC', name: 'Service', price: '50', currency: 'USD' });
  });
  afterAll(() => t.close());

  it('keeps named lists per currency with one default each, their prices, versions and audit; readers of deals see them', async () => {
    const retail = await create({ name: 'Retail RUB', currency: 'RUB', isDefault: true });
    expect(retail).toMatchObject({ name: 'Retail RUB', currency: 'RUB', isDefault: true, itemCount: 0, archivedAt: null, version: 1 });
    const dealer = await create({ name: 'Dealer RUB', currency: 'RUB' });
    await create({ name: 'Export EUR', currency: 'EUR', isDefault: true });

    const saved = await setPrices(retail, [
      { productId: window.id, price: '120.5' },
      { productId: door.id, price: '350', validFrom: '2020-01-01', validTo: null },
    ]);
    expect(saved.items.map(({ sku, price, validFrom, validTo }) => ({ sku, price, validFrom, validTo }))).toEqual([
      { sku: 'WIN', price: '120.50', validFrom: null, validTo: null },
      { sku: 'DOOR', price: '350.00', validFrom: '2020-01-01', validTo: null },
    ]);
    expect(saved.version).toBe(2);
    expect((await as(t, rep)('GET', `/api/v1/price-lists/${retail.id}/items`)).json<PriceListItems>()).toEqual(saved);

    // Another default of the same currency takes over; the other currency's default stays.
    const promoted = await as(t, admin)('PATCH', `/api/v1/price-lists/${dealer.id}`, { isDefault: true, version: dealer.version });
    expect(promoted.json<PriceList>()).toMatchObject({ isDefault: true, version: 2 });
    const lists = (await as(t, rep)('GET', '/api/v1/price-lists')).json<PriceListList>().items;
    expect(lists.map(({ name, isDefault, itemCount }) => [name, isDefault, itemCount])).toEqual([
      ['Dealer RUB', true, 0],
      ['Export EUR', true, 0],
      ['Retail RUB', false, 2],
    ]);
    expect((await as(t, rep)('GET', '/api/v1/price-lists?currency=EUR')).json<PriceListList>().items.map((list) => list.name)).toEqual(['Export EUR']);
    const stale = await as(t, admin)('PATCH', `/api/v1/price-lists/${dealer.id}`, { name: 'Late', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect((await as(t, admin)('PATCH', `/api/v1/price-lists/${dealer.id}`, { isDefault: false, version: 2 })).json<PriceList>().isDefault).toBe(false);

    const audit = (await as(t, admin)('GET', `/api/v1/audit?objectType=price_list&objectId=${retail.id}`)).json<{ items: AuditEntry[] }>().items;
    expect(audit.map((entry) => entry.action)).toEqual(['price_list.update', 'price_list.update', 'price_list.create']);
    expect(audit[1]!.changes).toEqual({ prices: { from: [], to: ['WIN 120.50', 'DOOR 350.00 (2020-01-01…)'] } });
    expect(audit[0]!.changes).toEqual({ isDefault: { from: true, to: false } });
  });

  it('refuses an unknown currency, negative prices, a product twice, reversed dates and unknown products by field', async () => {
    const api = as(t, admin);
    expect(paths(await api('POST', '/api/v1/price-lists', { name: 'Bad', currency: 'XYZ' }))).toEqual(['/body/currency']);
    expect(paths(await api('POST', '/api/v1/price-lists', { name: 'Bad', currency: 'eur' }))).toEqual(['/body/currency']);
    expect(paths(await api('POST', '/api/v1/price-lists', { name: '  ', currency: 'EUR' }))).toEqual(['/body/name']);
    const list = await create({ name: 'Checked', currency: 'RUB' });
    const put = (items: unknown[]) => api('PUT', `/api/v1/price-lists/${list.id}/items`, { items, version: list.version });
    const bad = await put([
      { productId: window.id, price: '-1' },
      { productId: door.id, price: '1.005', validFrom: '2026-02-01', validTo: '2026-01-01' },
      { productId: window.id, price: '5' },
    ]);
    expect(bad.statusCode).toBe(400);
    expect(paths(bad)).toEqual(['/body/items/0/price', '/body/items/1/price', '/body/items/1/validTo', '/body/items/2/productId']);
    expect(paths(await put([{ productId: '00000000-0000-7000-8000-000000000000', price: '1' }]))).toEqual(['/body/items/0/productId']);
    expect((await put([{ productId: window.id, price: '1', extra: true }])).statusCode).toBe(400);
    expect((await api('PUT', `/api/v1/price-lists/${list.id}/items`, { items: [], version: 7 })).statusCode).toBe(409);
    expect((await api('GET', `/api/v1/price-lists/${list.id}/items`)).json<PriceListItems>().items).toEqual([]);
  });

  it('refuses writers without the settings right (403) and hides lists from a role without deals', async () => {
    const list = await create({ name: 'Guarded', currency: 'RUB' });
    expect((await as(t, rep)('POST', '/api/v1/price-lists', { name: 'Mine', currency: 'RUB' })).statusCode).toBe(403);
    expect((await as(t, rep)('PATCH', `/api/v1/price-lists/${list.id}`, { name: 'Mine', version: list.version })).statusCode).toBe(403);
    expect((await as(t, rep)('PUT', `/api/v1/price-lists/${list.id}/items`, { items: [], version: list.version })).statusCode).toBe(403);
    expect((await as(t, rep)('DELETE', `/api/v1/price-lists/${list.id}`)).statusCode).toBe(403);
    expect((await as(t, rep)('POST', `/api/v1/price-lists/${list.id}/restore`)).statusCode).toBe(403);
    expect((await as(t, admin)('POST', '/api/v1/roles', { name: 'Contacts only', permissions: { contact: { read: 'all' } } })).statusCode).toBe(201);
    const outsider = await addUser(t, admin, { role: 'Contacts only' });
    expect((await as(t, outsider)('GET', '/api/v1/price-lists')).statusCode).toBe(403);
  });

  it('gives a new deal its currency’s default list; its product lines take the list’s price, else the catalog’s in the same currency', async () => {
    const lists = (await as(t, admin)('GET', '/api/v1/price-lists')).json<PriceListList>().items;
    const retail = lists.find((list) => list.name === 'Retail RUB')!;
    const exportList = lists.find((list) => list.name === 'Export EUR')!;
    const promoted = await as(t, admin)('PATCH', `/api/v1/price-lists/${retail.id}`, { isDefault: true, version: retail.version });
    expect(promoted.statusCode).toBe(200);

    const deal = (await as(t, rep)('POST', '/api/v1/deals', { title: 'Windows', currency: 'RUB' })).json<Deal>();
    expect(deal).toMatchObject({ priceListId: retail.id, priceListName: 'Retail RUB' });
    const quotes = (await as(t, rep)('GET', `/api/v1/deals/${deal.id}/quotes?productIds=${window.id},${service.id}`)).json<ProductQuotes>().items;
    expect(quotes).toEqual([
      { productId: window.id, price: '120.50', source: 'price_list', currency: 'RUB', priceListName: 'Retail RUB' },
      { productId: service.id, price: null, source: null, currency: 'RUB', priceListName: 'Retail RUB' },
    ]);
    const saved = await as(t, rep)('PUT', `/api/v1/deals/${deal.id}/items`, { items: [{ productId: window.id, quantity: '2' }, { productId: door.id, quantity: '1' }, { productId: door.id, quantity: '1', price: '10' }], version: deal.version });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<DealItems>().items.map((item) => [item.sku, item.price, item.total])).toEqual([
      ['WIN', '120.50', '289.20'],
      ['DOOR', '350.00', '350.00'],
      ['DOOR', '10.00', '10.00'],
    ]);

    // A USD product has no price in a RUB list and its catalog price is in USD: the line is refused by name.
    const refused = await as(t, rep)('PUT', `/api/v1/deals/${deal.id}/items`, { items: [{ productId: window.id, quantity: '1' }, { productId: service.id, quantity: '1' }], version: deal.version + 1 });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<Problem>().errors).toEqual([{ path: '/body/items/1/price', message: 'Service has no price in price list "Retail RUB" (RUB) and its catalog price is in USD: give the price' }]);

    // A deal in euros takes the euro list; a list in another currency is refused; none at all falls back to the catalog.
    const euros = (await as(t, rep)('POST', '/api/v1/deals', { title: 'Export', currency: 'EUR' })).json<Deal>();
    expect(euros.priceListId).toBe(exportList.id);
    expect(paths(await as(t, rep)('POST', '/api/v1/deals', { title: 'Mixed', currency: 'EUR', priceListId: retail.id }))).toEqual(['/body/priceListId']);
    const plain = (await as(t, rep)('POST', '/api/v1/deals', { title: 'No list', currency: 'RUB', priceListId: null })).json<Deal>();
    expect(plain.priceListId).toBeNull();
    const fromCatalog = await as(t, rep)('PUT', `/api/v1/deals/${plain.id}/items`, { items: [{ productId: window.id, quantity: '1' }], version: plain.version });
    expect(fromCatalog.json<DealItems>().items[0]?.price).toBe('100.00');
    // Changing the currency moves the deal to the new currency's default list.
    const moved = await as(t, rep)('PATCH', `/api/v1/deals/${deal.id}`, { currency: 'EUR', version: deal.version + 1 });
    expect(moved.json<Deal>()).toMatchObject({ currency: 'EUR', priceListId: exportList.id });
  });

  it('applies a price only within its dates, and an archived list is nobody’s default', async () => {
    const seasonal = await create({ name: 'Seasonal RUB', currency: 'RUB' });
    await setPrices(seasonal, [
      { productId: window.id, price: '80', validFrom: '2000-01-01', validTo: '2000-12-31' },
      { productId: door.id, price: '280', validFrom: '2000-01-01' },
    ]);
    const deal = (await as(t, rep)('POST', '/api/v1/deals', { title: 'Seasonal', currency: 'RUB', priceListId: seasonal.id })).json<Deal>();
    const quotes = (await as(t, rep)('GET', `/api/v1/deals/${deal.id}/quotes?productIds=${window.id},${door.id}`)).json<ProductQuotes>().items;
    expect(quotes.map((quote) => [quote.price, quote.source])).toEqual([
      ['100.00', 'product'],
      ['280.00', 'price_list'],
    ]);

    const retail = (await as(t, admin)('GET', '/api/v1/price-lists?currency=RUB')).json<PriceListList>().items.find((list) => list.isDefault)!;
    const archived = await as(t, admin)('DELETE', `/api/v1/price-lists/${retail.id}`);
    expect(archived.json<PriceList>()).toMatchObject({ isDefault: false });
    expect(archived.json<PriceList>().archivedAt).not.toBeNull();
    expect((await as(t, rep)('POST', '/api/v1/deals', { title: 'After', currency: 'RUB' })).json<Deal>().priceListId).toBeNull();
    expect(paths(await as(t, rep)('POST', '/api/v1/deals', { title: 'Archived', currency: 'RUB', priceListId: retail.id }))).toEqual(['/body/priceListId']);
    expect((await as(t, admin)('GET', '/api/v1/price-lists?includeArchived=true')).json<PriceListList>().items.some((list) => list.id === retail.id)).toBe(true);
    expect((await as(t, admin)('POST', `/api/v1/price-lists/${retail.id}/restore`)).json<PriceList>().archivedAt).toBeNull();
  });
});
