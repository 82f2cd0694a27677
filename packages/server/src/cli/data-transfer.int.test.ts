import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { IMPORT_OBJECTS, type Lead, type SearchResult } from '@rapport/shared';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, setupWorkspace, type Session } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { cliContext, exportToFile, importFile, mappingFromFile, objectArgument } from './data-transfer.js';

describe('rapport import / export on the command line', () => {
  let t: TestApp;
  let admin: Session;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t, { locale: 'ru' });
    dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-cli-'));
  });
  afterAll(() => t.close());

  const findByPhone = async (phone: string) => (await as(t, admin)('GET', `/api/v1/search?q=${encodeURIComponent(phone)}`)).json<SearchResult>().groups.find((group) => group.object === 'contact')?.items ?? [];

  it('imports a file with a mapping file as the named user, printing progress, and lists the rejected rows', async () => {
    const file = path.join(dir, 'clients.csv');
    await writeFile(file, 'Клиент;Мобильный;Комментарий\nКрылов Иван;8 916 700-00-01;первый\nНикто;не телефон;второй\nБелова Анна;+7 916 700-00-03;третий\n');
    const ctx = await cliContext(t.database.db, { as: admin.email, workspace: admin.workspaceId });
    const lines: string[] = [];
    const job = await importFile(t.services, ctx, file, { object: objectArgument(['contact', 'company'] as const, 'contacts'), mapping: { Клиент: 'fullName', Мобильный: 'phone' }, mode: 'update_empty', country: 'RU' }, (line) => lines.push(line));
    expect(job).toMatchObject({ status: 'done', mode: 'update_empty', mapping: ['fullName', 'phone', null], created: 2, rejected: 1, totalRows: 3 });
    expect(lines[0]).toMatch(/^Read clients\.csv \(csv\): 3 rows; columns Клиент → fullName, Мобильный → phone, Комментарий → —$/);
    expect(lines.at(-1)).toMatch(/^3\/3 rows, 1 rejected, [\d.]+ rows\/s$/);
    expect(await findByPhone('+79167000001')).toMatchObject([{ title: 'Иван Крылов' }]);
    expect((await t.services.imports.rejectedCsv(ctx, job.id)).csv).toContain('не телефон');
    const audit = (await as(t, admin)('GET', `/api/v1/audit?objectType=import&objectId=${job.id}`)).json<{ items: { action: string; actorId: string }[] }>();
    expect(audit.items.map((entry) => entry.action)).toEqual(expect.arrayContaining(['import.upload', 'import.start', 'import.finish']));
  });

  it('exports a list to an XLSX or CSV file as the workspace administrator by default', async () => {
    const ctx = await cliContext(t.database.db, {});
    expect(ctx.actor.userId).toBe(admin.userId);
    const xlsx = path.join(dir, 'contacts.xlsx');
    const result = await exportToFile(t.services, ctx, xlsx, { object: objectArgument(['company', 'contact', 'lead', 'deal'] as const, 'contacts'), format: 'xlsx' });
    expect(result.rows).toBe(2);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await readFile(xlsx)) as unknown as ArrayBuffer);
    const names = book.worksheets[0]!.getColumn(2).values.map(String);
    expect(names.join('|')).toMatch(/Крылов|Белова/);
    const csv = path.join(dir, 'contacts.csv');
    expect((await exportToFile(t.services, ctx, csv, { object: 'contact', format: 'csv' })).rows).toBe(2);
    expect(await readFile(csv, 'utf8')).toContain('Белова');
  });

  it('imports leads with --object leads, the mapping suggested from the headers', async () => {
    const file = path.join(dir, 'leads.csv');
    await writeFile(file, 'ФИО;Телефон;Источник\nОльга Зимина;8 916 700-00-09;Рекомендация\n');
    const ctx = await cliContext(t.database.db, {});
    const job = await importFile(t.services, ctx, file, { object: objectArgument(IMPORT_OBJECTS, 'leads'), mode: 'skip', country: 'RU' }, () => undefined);
    expect(job).toMatchObject({ object: 'lead', status: 'done', mapping: ['name', 'phone', 'source'], created: 1 });
    const leads = (await as(t, admin)('GET', '/api/v1/leads')).json<{ items: Lead[] }>().items;
    expect(leads).toMatchObject([{ name: 'Ольга Зимина', source: 'referral', phones: [{ e164: '+79167000009' }] }]);
  });

  it('imports deals with --object deals and no --mode: deals are only created', async () => {
    const file = path.join(dir, 'deals.csv');
    await writeFile(file, 'Сделка;Сумма\nПоставка;10 000\n');
    const ctx = await cliContext(t.database.db, {});
    const job = await importFile(t.services, ctx, file, { object: objectArgument(IMPORT_OBJECTS, 'deals'), fileLocale: 'ru' }, () => undefined);
    expect(job).toMatchObject({ object: 'deal', mode: 'create', status: 'done', created: 1 });
  });

  it('refuses an unknown user, object or mapping shape', async () => {
    await expect(cliContext(t.database.db, { as: 'nobody@example.com' })).rejects.toThrow(/No active user/);
    expect(() => objectArgument(['contact', 'company'] as const, 'deals')).toThrow(/Unknown object/);
    expect(() => mappingFromFile(['a'], 'phone')).toThrow(/must hold an object/);
    expect(mappingFromFile(['a', 'b'], ['phone', null])).toEqual(['phone', null]);
  });
});
