import type { AuditEntry, Contact, Notification, Problem, Role } from '@rapport/shared';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, outbox, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';
import { UNUSUAL_EXPORTS_PER_HOUR } from './export.service.js';

/** A CSV answer's rows (the files here hold no quoted line breaks). */
const csvRows = (body: string) =>
  body
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((line) => line !== '');

describe('export of lists to CSV and XLSX', () => {
  let t: TestApp;
  let admin: Session;
  let admin2: Session;
  let exporter: Session;
  let reader: Session;
  let exporterRole: Role;

  const exportAs = (session: Session, body: Record<string, unknown>) => as(t, session)('POST', '/api/v1/exports', body);
  const contact = async (session: Session, body: Record<string, unknown>) => {
    const response = await as(t, session)('POST', '/api/v1/contacts', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Contact>();
  };
  const setLimit = async (limit: number | null) => {
    const current = (await as(t, admin)('GET', `/api/v1/roles/${exporterRole.id}`)).json<Role>();
    const response = await as(t, admin)('PATCH', `/api/v1/roles/${exporterRole.id}`, { exportRowLimit: limit, version: current.version });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<Role>().exportRowLimit).toBe(limit);
  };
  const notificationsOf = async (session: Session) => (await as(t, session)('GET', '/api/v1/notifications?limit=50')).json<{ items: Notification[] }>().items;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
    admin2 = await addUser(t, admin, { role: 'Administrator', name: 'Second Admin' });
    const created = await as(t, admin)('POST', '/api/v1/roles', {
      name: 'Own exporter',
      permissions: { contact: { read: 'all', create: 'own', export: 'own' } },
      fieldRules: { contact: { position: 'hidden' } },
      exportRowLimit: 100,
    });
    expect(created.statusCode, created.body).toBe(201);
    exporterRole = created.json<Role>();
    expect((await as(t, admin)('POST', '/api/v1/roles', { name: 'Reader', permissions: { contact: { read: 'all' } } })).statusCode).toBe(201);
    exporter = await addUser(t, admin, { role: 'Own exporter', name: 'Eve Exporter' });
    reader = await addUser(t, admin, { role: 'Reader' });
    for (const field of [
      { object: 'contact', key: 'tier', label: 'Tier', kind: 'select', options: [{ value: 'gold', label: 'Gold tier' }], filterable: true },
      { object: 'contact', key: 'score', label: 'Score', kind: 'number', filterable: true },
    ]) {
      expect((await as(t, admin)('POST', '/api/v1/custom-fields', field)).statusCode).toBe(201);
    }
    const company = await as(t, admin)('POST', '/api/v1/companies', { name: 'ООО Ромашка' });
    await contact(admin, {
      firstName: '=HYPERLINK("http://evil.example","click")',
      lastName: 'Formula',
      position: 'CEO',
      phones: [{ number: '+7 916 123-45-67' }],
      emails: [{ email: 'Formula@Example.com' }],
      tags: ['vip', 'export'],
      custom: { tier: 'gold', score: -5 },
      companies: [{ companyId: company.json<{ id: string }>().id }],
    });
    await contact(admin, { firstName: 'Иван', lastName: 'Петров', position: 'Директор', tags: ['export'], custom: { score: 12.5 } });
    await contact(exporter, { firstName: 'Own', lastName: 'One', position: 'Secret', tags: ['export'] });
    await contact(exporter, { firstName: 'Own', lastName: 'Two', tags: ['export'] });
  });
  afterAll(() => t.close());

  it('refuses a user without the export right', async () => {
    const response = await exportAs(reader, { object: 'contact', format: 'csv' });
    expect(response.statusCode).toBe(403);
    expect(response.json<Problem>().code).toBe('forbidden');
  });

  it('exports only the rows of the export scope and leaves out fields the role hides', async () => {
    const response = await exportAs(exporter, { object: 'contact', format: 'csv', columns: ['name', 'position', 'ownerId', 'tags'], sort: 'name' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(response.headers['x-export-rows']).toBe('2');
    expect(response.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csvRows(response.body)).toEqual(['name,ownerId,tags', 'Own One,Eve Exporter,export', 'Own Two,Eve Exporter,export']);
    expect(response.body).not.toContain('Secret');
  });

  it('escapes cells a spreadsheet would run as formulas and writes readable values', async () => {
    const response = await exportAs(admin, { object: 'contact', format: 'csv', filter: JSON.stringify({ field: 'tags', op: 'eq', value: 'vip' }), columns: ['name', 'phone', 'email', 'companyId', 'custom.tier', 'custom.score'], headers: ['Name', 'Phone', 'E-mail', 'Companies', 'Tier', 'Score'] });
    expect(response.statusCode, response.body).toBe(200);
    const [header, row] = csvRows(response.body);
    expect(header).toBe('Name,Phone,E-mail,Companies,Tier,Score');
    expect(row).toBe(`"'=HYPERLINK(""http://evil.example"",""click"") Formula",'+7 916 123 45 67,formula@example.com,ООО Ромашка,Gold tier,-5`);
  });

  it('writes XLSX that opens with the values as text and numbers, no formulas', async () => {
    const response = await exportAs(admin, { object: 'contact', format: 'xlsx', filter: JSON.stringify({ field: 'tags', op: 'eq', value: 'export' }), sort: 'name', columns: ['id', 'name', 'position', 'custom.score', 'tags', 'createdAt'] });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(5);
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['id', 'name', 'position', 'Score', 'tags', 'createdAt']);
    const formula = sheet.getRow(2);
    expect(formula.getCell(2).value).toBe('=HYPERLINK("http://evil.example","click") Formula');
    expect(formula.getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(formula.getCell(3).value).toBe('CEO');
    expect(formula.getCell(4).value).toBe(-5);
    expect(formula.getCell(5).value).toBe('vip, export');
    expect(String(formula.getCell(6).value)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    expect(sheet.getRow(3).getCell(2).value).toBe('Own One');
    expect(sheet.getRow(5).getCell(2).value).toBe('Иван Петров');
    expect(sheet.getRow(5).getCell(4).value).toBe(12.5);
  });

  it("refuses an export over the role's row limit before writing anything, and says so", async () => {
    await contact(exporter, { firstName: 'Own', lastName: 'Three' });
    await setLimit(2);
    const response = await exportAs(exporter, { object: 'contact', format: 'xlsx' });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json<Problem>()).toMatchObject({ code: 'export_limit' });
    expect(response.json<Problem>().detail).toContain('2 rows');
    await setLimit(null);
    expect((await exportAs(exporter, { object: 'contact', format: 'csv' })).headers['x-export-rows']).toBe('3');
  });

  it('records every export in the audit log with its object, filter, row count and format', async () => {
    const filter = JSON.stringify({ field: 'tags', op: 'eq', value: 'vip' });
    expect((await exportAs(admin, { object: 'contact', format: 'xlsx', filter })).statusCode).toBe(200);
    const entries = (await as(t, admin)('GET', `/api/v1/audit?action=contact.export&actorId=${admin.userId}`)).json<{ items: AuditEntry[] }>().items;
    expect(entries[0]).toMatchObject({ action: 'contact.export', objectType: 'contact', meta: { format: 'xlsx', rows: 1, filter } });
  });

  it('exports a saved view with its filter and columns', async () => {
    const view = await as(t, admin)('POST', '/api/v1/views', { object: 'contact', name: 'Russians', filter: JSON.stringify({ field: 'name', op: 'contains', value: 'Иван' }), columns: ['name', 'custom.score'] });
    expect(view.statusCode, view.body).toBe(201);
    const response = await exportAs(admin, { object: 'contact', format: 'csv', viewId: view.json<{ id: string }>().id, delimiter: ';' });
    expect(csvRows(response.body)).toEqual(['name;Score', 'Иван Петров;12.5']);
  });

  it('tells the administrators when one user exports often', async () => {
    const before = (await notificationsOf(admin2)).length;
    // Earlier exports in this file: 2 by the exporter; run up to the allowed count, then one more.
    const done = (await as(t, admin)('GET', `/api/v1/audit?action=contact.export&actorId=${exporter.userId}`)).json<{ items: AuditEntry[] }>().items.length;
    for (let i = done; i < UNUSUAL_EXPORTS_PER_HOUR; i += 1) expect((await exportAs(exporter, { object: 'contact', format: 'csv' })).statusCode).toBe(200);
    expect(await notificationsOf(admin2)).toHaveLength(before);
    expect((await exportAs(exporter, { object: 'contact', format: 'csv' })).statusCode).toBe(200);
    const [alert] = await notificationsOf(admin2);
    expect(alert).toMatchObject({ kind: 'export_unusual', messageKey: 'notifications.exportFrequent', params: { by: 'Eve Exporter', rows: 3, count: UNUSUAL_EXPORTS_PER_HOUR + 1 } });
    expect((await notificationsOf(admin)).some((item) => item.kind === 'export_unusual')).toBe(true);
    const mail = (await outbox(t, admin)).find((item) => item.to === admin2.email.toLowerCase() && item.subject.includes('Unusual export'));
    expect(mail?.text).toContain('Eve Exporter exported 3 rows of the contacts list (CSV)');
  });

  // 20 pages ordered by an unindexed custom field: tens of seconds on PGlite on a busy machine, hence the long timeout.
  it('streams a large export page by page with every row, and a large export alerts the administrators', async () => {
    await sql`
      INSERT INTO contact (workspace_id, id, first_name, full_name, search_name, owner_id, tags, custom)
      SELECT ${admin.workspaceId}::uuid, gen_random_uuid(), 'Bulk', 'Bulk ' || n, 'bulk ' || n, ${admin.userId}::uuid, ARRAY['bulk'], jsonb_build_object('score', n)
      FROM generate_series(1, 20000) AS n`.execute(t.database.db);
    const response = await exportAs(admin, { object: 'contact', format: 'csv', filter: JSON.stringify({ field: 'tags', op: 'eq', value: 'bulk' }), sort: 'custom.score', columns: ['name', 'custom.score'] });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-export-rows']).toBe('20000');
    const rows = csvRows(response.body);
    expect(rows).toHaveLength(20_001);
    expect(rows[1]).toBe('Bulk 1,1');
    expect(rows.at(-1)).toBe('Bulk 20000,20000');
    expect(new Set(rows).size).toBe(20_001);
    const [alert] = await notificationsOf(admin2);
    expect(alert).toMatchObject({ kind: 'export_unusual', messageKey: 'notifications.exportLarge', params: { by: 'Ada Admin', rows: 20_000 } });
  }, 180_000);
});
