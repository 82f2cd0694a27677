import type { AuditEntry, PageOf, Problem, Product } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

describe('product catalog: kept by administrators, read by whoever reads deals', () => {
  let t: TestApp;
  let admin: Session;
  let rep: Session;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep' });
  });
  afterAll(() => t.close());

  const list = async (session: Session, query = '') => (await as(t, session)('GET', `/api/v1/products${query}`)).json<PageOf<Product>>();
  const create = async (body: Record<string, unknown>) => {
    const response = await as(t, admin)('POST', '/api/v1/products', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Product>();
  };

  it('creates products with two-decimal prices in the workspace currency, lists and searches them by name or SKU, page by page', async () => {
    const window = await create({ sku: 'WIN-100', name: 'PVC window 100×120', unit: 'pcs', price: '1250.5', taxRate: '20' });
    expect(window).toMatchObject({ sku: 'WIN-100', price: '1250.50', currency: 'USD', taxRate: '20.00', unit: 'pcs', description: '', archivedAt: null, version: 1 });
    await create({ sku: 'INST-1', name: 'Installation', unit: 'hour', price: '35', currency: 'EUR', description: 'Per fitter' });
    await create({ sku: 'SILL', name: 'Window sill', unit: 'm', price: '0' });

    expect((await list(admin)).items.map((p) => p.name)).toEqual(['Installation', 'PVC window 100×120', 'Window sill']);
    expect((await list(rep, '?q=window')).items.map((p) => p.sku)).toEqual(['WIN-100', 'SILL']);
    expect((await list(rep, '?q=inst-')).items.map((p) => p.name)).toEqual(['Installation']);
    expect((await list(rep, '?q=100%25')).items).toEqual([]);

    const first = await list(admin, '?limit=2');
    expect(first.items).toHaveLength(2);
    const second = await list(admin, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((p) => p.name)).toEqual(['Window sill']);
    expect(second.nextCursor).toBeNull();
    expect((await as(t, admin)('GET', '/api/v1/products?cursor=nonsense')).statusCode).toBe(400);

    const one = await as(t, rep)('GET', `/api/v1/products/${window.id}`);
    expect(one.json<Product>().name).toBe('PVC window 100×120');
  });

  it('refuses bad input with the field at fault', async () => {
    const api = as(t, admin);
    const good = { sku: 'OK-1', name: 'Fine', price: '10.00' };
    const cases: [Record<string, unknown>, string, number][] = [
      [{ ...good, price: '-1' }, '/body/price', 400],
      [{ ...good, price: '10.005' }, '/body/price', 400],
      [{ ...good, price: '10000000000000000' }, '/body/price', 400],
      [{ ...good, price: 10 }, '/body/price', 400],
      [{ ...good, currency: 'XYZ' }, '/body/currency', 400],
      [{ ...good, currency: 'eur' }, '/body/currency', 400],
      [{ ...good, taxRate: '100.5' }, '/body/taxRate', 400],
      [{ ...good, taxRate: '-2' }, '/body/taxRate', 400],
      [{ ...good, name: '   ' }, '/body/name', 400],
      [{ ...good, unit: 'x'.repeat(21) }, '/body/unit', 400],
      [{ ...good, sku: 'win-100' }, '/body/sku', 409],
    ];
    for (const [body, path, status] of cases) {
      const refused = await api('POST', '/api/v1/products', body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(status);
      expect(refused.json<Problem>().errors?.map((e) => e.path)).toEqual([path]);
    }
    const [window] = (await list(admin, '?q=WIN-100')).items;
    const patched = await api('PATCH', `/api/v1/products/${window!.id}`, { price: '-3', version: window!.version });
    expect(patched.json<Problem>().errors?.map((e) => e.path)).toEqual(['/body/price']);
    expect((await list(admin, '?q=Fine')).items).toEqual([]);
  });

  it('edits with the version, refuses stale edits and writers without settings rights, archives and restores, audits each change', async () => {
    const api = as(t, admin);
    const door = await create({ sku: 'DOOR', name: 'Door', price: '300', taxRate: '10' });

    expect((await as(t, rep)('POST', '/api/v1/products', { sku: 'REP', name: 'Mine', price: '1' })).statusCode).toBe(403);
    expect((await as(t, rep)('PATCH', `/api/v1/products/${door.id}`, { name: 'Cheap door', version: door.version })).statusCode).toBe(403);
    expect((await as(t, rep)('DELETE', `/api/v1/products/${door.id}`)).statusCode).toBe(403);
    expect((await as(t, rep)('POST', `/api/v1/products/${door.id}/restore`)).statusCode).toBe(403);

    const edited = await api('PATCH', `/api/v1/products/${door.id}`, { name: 'Front door', price: '320.00', taxRate: '10.00', version: door.version });
    expect(edited.statusCode).toBe(200);
    expect(edited.json<Product>()).toMatchObject({ name: 'Front door', price: '320.00', version: 2 });
    const viaHeader = await api('PATCH', `/api/v1/products/${door.id}`, { unit: 'pcs' }, { 'if-match': '"2"' });
    expect(viaHeader.json<Product>().version).toBe(3);
    const stale = await api('PATCH', `/api/v1/products/${door.id}`, { name: 'Late', version: 2 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<Problem>().currentVersion).toBe(3);
    expect((await api('PATCH', `/api/v1/products/${door.id}`, { sku: 'door' })).statusCode).toBe(428);

    expect((await api('DELETE', `/api/v1/products/${door.id}`)).statusCode).toBe(204);
    expect((await list(admin, '?q=door')).items).toEqual([]);
    expect((await list(admin, '?q=door&includeArchived=true')).items.map((p) => [p.name, p.archivedAt !== null])).toEqual([['Front door', true]]);
    expect((await api('PATCH', `/api/v1/products/${door.id}`, { name: 'Ghost', version: 4 })).statusCode).toBe(409);

    // Archived, its SKU is free; a new live DOOR blocks the restore until one of them changes.
    const newDoor = await create({ sku: 'Door', name: 'New door', price: '400' });
    expect((await api('POST', `/api/v1/products/${door.id}/restore`)).statusCode).toBe(409);
    await api('PATCH', `/api/v1/products/${newDoor.id}`, { sku: 'DOOR-2', version: newDoor.version });
    const restored = await api('POST', `/api/v1/products/${door.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json<Product>().archivedAt).toBeNull();

    const audit = (await api('GET', `/api/v1/audit?objectType=product&objectId=${door.id}`)).json<{ items: AuditEntry[] }>().items;
    expect(audit.map((e) => e.action)).toEqual(['product.restore', 'product.delete', 'product.update', 'product.update', 'product.create']);
    expect(audit[3]!.changes).toEqual({ name: { from: 'Door', to: 'Front door' }, price: { from: '300.00', to: '320.00' } });
    expect(audit[2]!.changes).toEqual({ unit: { from: '', to: 'pcs' } });
  });
});
