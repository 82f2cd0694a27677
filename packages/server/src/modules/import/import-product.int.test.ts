import type { ImportJob, ImportPreview, PermissionMatrix, Product } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { importSteps } from '../../../test/imports.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

describe('import of products', () => {
  let t: TestApp;
  let admin: Session;
  let importer: Session;

  const { upload, uploaded, runImport, undo } = importSteps(() => ({ t, admin }), 'product', 'catalog.csv', { fileLocale: 'ru' });
  const product = async (body: Record<string, unknown>) => {
    const response = await as(t, admin)('POST', '/api/v1/products', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Product>();
  };
  const getProduct = async (id: string) => (await as(t, admin)('GET', `/api/v1/products/${id}`)).json<Product>();
  const bySku = async (sku: string) => (await as(t, admin)('GET', `/api/v1/products?q=${encodeURIComponent(sku)}&includeArchived=true`)).json<{ items: Product[] }>().items.filter((item) => item.sku.toLowerCase() === sku.toLowerCase());
  const data = ({ version: _v, updatedAt: _u, ...rest }: Product) => rest;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t, { locale: 'ru' });
    const permissions: PermissionMatrix = { contact: { read: 'all', create: 'own', import: 'all' }, lead: { read: 'all', create: 'all', import: 'all' } };
    expect((await as(t, admin)('POST', '/api/v1/roles', { name: 'Client importer', permissions })).statusCode).toBe(201);
    importer = await addUser(t, admin, { role: 'Client importer' });
  });
  afterAll(() => t.close());

  it('suggests the mapping from the headers, reads prices in the file locale and marks each bad cell', async () => {
    const job = await uploaded('Артикул;Наименование;Ед. изм.;Цена;Валюта;НДС\nA-100;Кресло;шт;12 500,50;rub;20\n;Стол;шт;много;XYZ;120\n');
    expect(job.mapping).toEqual(['sku', 'name', 'unit', 'price', 'currency', 'taxRate']);
    await as(t, admin)('PATCH', `/api/v1/imports/${job.id}`, { fileLocale: 'ru', version: job.version });
    const preview = (await as(t, admin)('GET', `/api/v1/imports/${job.id}/preview`)).json<ImportPreview>();
    expect(preview.rows[0]).toMatchObject({ errors: [], values: { sku: 'A-100', name: 'Кресло', unit: 'шт', price: '12500.50', currency: 'RUB', taxRate: '20.00' } });
    expect(preview.rows[1]!.errors.map((error) => [error.field, error.code])).toEqual([
      ['price', 'number'],
      ['currency', 'invalid'],
      ['taxRate', 'invalid'],
      ['sku', 'required_sku'],
    ]);
  });

  it('flags a decimal-comma price in a file read as English instead of storing it a hundred times too high', async () => {
    const job = await uploaded('Артикул;Наименование;Цена\nDC-1;Окно;12 500,50\nDC-2;Рама;1,250.50\n');
    const read = await as(t, admin)('PATCH', `/api/v1/imports/${job.id}`, { fileLocale: 'en', version: job.version });
    expect(read.statusCode, read.body).toBe(200);
    const preview = (await as(t, admin)('GET', `/api/v1/imports/${job.id}/preview`)).json<ImportPreview>();
    expect(preview.rows[0]!.errors).toMatchObject([{ field: 'price', code: 'number', params: { value: '12 500,50' } }]);
    expect(preview.rows[1]).toMatchObject({ errors: [], values: { price: '1250.50' } });
    const done = await runImport(read.json<ImportJob>(), { fileLocale: 'en' });
    expect(done).toMatchObject({ created: 1, rejected: 1 });
    expect(await bySku('DC-1')).toEqual([]);
  });

  it('creates products, fills an existing one (same SKU, any case) only where empty, skips a repeat in the file, rejects a bad row, and undoes exactly', async () => {
    const existing = await product({ sku: 'CH-1', name: 'Стул', price: '1000', unit: '' });
    const before = await getProduct(existing.id);
    const file = ['Артикул;Наименование;Ед. изм.;Цена', 'T-1;Стол;шт;5 000', 'ch-1;Стул офисный;шт;1 200', 'T-1;Стол большой;;7 000', 'T-2;Без цены;;'].join('\n');
    const done = await runImport(await uploaded(file), { mode: 'update_empty' });
    expect(done).toMatchObject({ status: 'done', created: 1, updated: 1, skipped: 1, rejected: 1 });
    expect(await bySku('T-1')).toMatchObject([{ name: 'Стол', unit: 'шт', price: '5000.00' }]);
    expect(await getProduct(existing.id)).toMatchObject({ name: 'Стул', unit: 'шт', price: '1000.00' });
    expect((await as(t, admin)('GET', `/api/v1/imports/${done.id}/rejected`)).body).toMatch(/T-2,Без цены,,,5,"?A new product needs a name and a price; price: required to create the product/);

    expect((await undo(done)).json<ImportJob>()).toMatchObject({ status: 'undone' });
    expect(data(await getProduct(existing.id))).toEqual(data(before));
    expect(await bySku('T-1')).toEqual([]);
    const audit = (await as(t, admin)('GET', `/api/v1/audit?objectType=import&objectId=${done.id}`)).json<{ items: { action: string }[] }>();
    expect(audit.items.map((entry) => entry.action)).toEqual(expect.arrayContaining(['import.upload', 'import.start', 'import.finish', 'import.undo']));
  });

  it('per duplicate mode: skip keeps the product, overwrite replaces its fields, create anyway refuses a SKU in use', async () => {
    const existing = await product({ sku: 'LAMP', name: 'Лампа', price: '300', description: 'Настольная' });
    const file = 'SKU,Name,Price,Description\nLAMP,Лампа LED,350,Светодиодная\n';
    expect(await runImport(await uploaded(file), { mode: 'skip', fileLocale: 'en' })).toMatchObject({ skipped: 1, created: 0, updated: 0 });
    expect((await getProduct(existing.id)).price).toBe('300.00');

    const overwritten = await runImport(await uploaded(file), { mode: 'overwrite', fileLocale: 'en' });
    expect(overwritten).toMatchObject({ updated: 1 });
    expect(await getProduct(existing.id)).toMatchObject({ name: 'Лампа LED', price: '350.00', description: 'Светодиодная' });
    expect((await undo(overwritten)).statusCode).toBe(200);
    expect(await getProduct(existing.id)).toMatchObject({ name: 'Лампа', price: '300.00', description: 'Настольная' });

    const anyway = await runImport(await uploaded(file), { mode: 'create', fileLocale: 'en' });
    expect(anyway).toMatchObject({ created: 0, rejected: 1 });
    expect((await as(t, admin)('GET', `/api/v1/imports/${anyway.id}/rejected`)).body).toContain('Another product has this SKU');
  });

  it('refuses an undo once an imported product is on a price list', async () => {
    const done = await runImport(await uploaded('Артикул;Наименование;Цена\nPL-1;Полка;900\n'), { mode: 'skip' });
    const [shelf] = await bySku('PL-1');
    const list = (await as(t, admin)('POST', '/api/v1/price-lists', { name: 'Опт', currency: 'RUB' })).json<{ id: string; version: number }>();
    const priced = await as(t, admin)('PUT', `/api/v1/price-lists/${list.id}/items`, { items: [{ productId: shelf!.id, price: '800' }], version: list.version });
    expect(priced.statusCode, priced.body).toBe(200);
    const refused = await undo(done);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain(`/records/product/${shelf!.id}`);
  });

  it('needs the right to change settings (the catalog’s right): a client importer gets 403', async () => {
    expect((await upload(importer, 'SKU,Name,Price\nX,Y,1\n')).statusCode).toBe(403);
    expect((await as(t, importer)('GET', '/api/v1/import-mappings?object=product')).statusCode).toBe(403);
    const job = await uploaded('SKU,Name,Price\nX,Y,1\n');
    expect((await as(t, importer)('GET', `/api/v1/imports/${job.id}`)).statusCode).toBe(404);
    expect((await as(t, importer)('GET', '/api/v1/imports')).json<{ items: ImportJob[] }>().items.map((item) => item.object)).not.toContain('product');
  });
});
