import type { Deal, DealItems, PermissionMatrix, Problem, Product, TimelineEntry } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

describe("a deal's products: lines from the catalog, exact totals, the amount follows", () => {
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let window: Product;

  const deal = async (session: Session, title: string) => (await as(t, session)('POST', '/api/v1/deals', { title, amount: '10', currency: 'USD' })).json<Deal>();
  const put = (session: Session, id: string, body: unknown) => as(t, session)('PUT', `/api/v1/deals/${id}/items`, body);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep' });
    window = (await as(t, admin)('POST', '/api/v1/products', { sku: 'WIN-1200', name: 'PVC window 1200', unit: 'pcs', price: '1250.50', currency: 'USD', taxRate: '20' })).json<Product>();
  });
  afterAll(() => t.close());

  it('writes the lines, computes each and the totals in cents, and sets the deal’s amount to the total', async () => {
    const created = await deal(rep, 'Windows for the school');
    const saved = await put(rep, created.id, {
      items: [
        { productId: window.id, quantity: '2.5', price: '1250.50', discountPercent: '10' },
        { name: 'Installation', quantity: '1', price: '0.10' },
        { name: 'Delivery', quantity: '1', price: '0.20', unit: 'trip' },
      ],
      version: created.version,
    });
    expect(saved.statusCode).toBe(200);
    const items = saved.json<DealItems>();
    expect(items.items.map(({ name, sku, unit, quantity, taxRate, net, tax, total }) => ({ name, sku, unit, quantity, taxRate, net, tax, total }))).toEqual([
      { name: 'PVC window 1200', sku: 'WIN-1200', unit: 'pcs', quantity: '2.50', taxRate: '20.00', net: '2813.63', tax: '562.73', total: '3376.36' },
      { name: 'Installation', sku: null, unit: '', quantity: '1.00', taxRate: '0.00', net: '0.10', tax: '0.00', total: '0.10' },
      { name: 'Delivery', sku: null, unit: 'trip', quantity: '1.00', taxRate: '0.00', net: '0.20', tax: '0.00', total: '0.20' },
    ]);
    expect(items.totals).toEqual({ net: '2813.93', tax: '562.73', total: '3376.66' });
    expect(items.dealVersion).toBe(created.version + 1);

    const after = (await as(t, rep)('GET', `/api/v1/deals/${created.id}`)).json<Deal>();
    expect(after).toMatchObject({ amount: '3376.66', version: created.version + 1 });
    expect((await as(t, rep)('GET', `/api/v1/deals/${created.id}/items`)).json<DealItems>()).toEqual(items);
    const timeline = (await as(t, rep)('GET', `/api/v1/timeline/deal/${created.id}`)).json<{ items: TimelineEntry[] }>().items;
    expect(timeline[0]?.changes).toMatchObject({ amount: { from: '10.00', to: '3376.66' }, products: { from: [], to: ['PVC window 1200 × 2.50 = 3376.36', 'Installation × 1.00 = 0.10', 'Delivery × 1.00 = 0.20'] } });
  });

  it('refuses bad lines by path and a stale version, changing nothing', async () => {
    const created = await deal(rep, 'Refused lines');
    const bad = await put(rep, created.id, { items: [{ name: 'Window', quantity: '-1', price: '1.001', discountPercent: '150' }, { productId: '00000000-0000-7000-8000-000000000000', quantity: '1', price: '1' }], version: created.version });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors?.map((error) => error.path)).toEqual(['/body/items/0/quantity', '/body/items/0/price', '/body/items/0/discountPercent']);
    const unknown = await put(rep, created.id, { items: [{ productId: '00000000-0000-7000-8000-000000000000', quantity: '1', price: '1' }], version: created.version });
    expect(unknown.json<Problem>().errors?.[0]?.path).toBe('/body/items/0/productId');
    expect((await put(rep, created.id, { items: [{ name: 'x', quantity: '1', price: '1', extra: 1 }], version: created.version })).statusCode).toBe(400);
    const stale = await put(rep, created.id, { items: [{ name: 'Late', quantity: '1', price: '5' }], version: created.version + 5 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<Problem>().currentVersion).toBe(created.version);
    expect((await as(t, rep)('GET', `/api/v1/deals/${created.id}/items`)).json<DealItems>().items).toEqual([]);
    expect((await as(t, rep)('GET', `/api/v1/deals/${created.id}`)).json<Deal>()).toMatchObject({ amount: '10.00', version: created.version });
  });

  it('keeps another user’s deal and a read-only role out', async () => {
    const adminsDeal = await deal(admin, 'Admin only');
    expect((await as(t, rep)('GET', `/api/v1/deals/${adminsDeal.id}/items`)).statusCode).toBe(404);
    expect((await put(rep, adminsDeal.id, { items: [{ name: 'Sneaky', quantity: '1', price: '1' }], version: adminsDeal.version })).statusCode).toBe(404);
    const permissions: PermissionMatrix = { deal: { read: 'all' } };
    expect((await as(t, admin)('POST', '/api/v1/roles', { name: 'Deal reader', permissions })).statusCode).toBe(201);
    const reader = await addUser(t, admin, { role: 'Deal reader' });
    expect((await as(t, reader)('GET', `/api/v1/deals/${adminsDeal.id}/items`)).statusCode).toBe(200);
    expect((await put(reader, adminsDeal.id, { items: [{ name: 'Sneaky', quantity: '1', price: '1' }], version: adminsDeal.version })).statusCode).toBe(403);
    expect((await as(t, admin)('GET', `/api/v1/deals/${adminsDeal.id}/items`)).json<DealItems>().items).toEqual([]);
  });
});
