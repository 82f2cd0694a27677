import type { ImportJob, ImportPreview, Lead, PermissionMatrix } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { importSteps } from '../../../test/imports.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

describe('import of leads', () => {
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let contactImporter: Session;

  const { upload, uploaded, runImport, undo } = importSteps(() => ({ t, admin }), 'lead', 'leads.csv', { defaultCountry: 'RU' });
  const lead = async (body: Record<string, unknown>) => {
    const response = await as(t, admin)('POST', '/api/v1/leads', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Lead>();
  };
  const getLead = async (id: string) => (await as(t, admin)('GET', `/api/v1/leads/${id}`)).json<Lead>();
  /** Leads whose name holds `text`, as the list finds them. */
  const leadsNamed = async (text: string) => (await as(t, admin)('GET', `/api/v1/leads?filter=${encodeURIComponent(JSON.stringify({ field: 'name', op: 'contains', value: text }))}`)).json<{ items: Lead[] }>().items;
  const data = ({ version: _v, updatedAt: _u, updatedBy: _b, lastActivityAt: _l, ...rest }: Lead) => rest;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t, { locale: 'ru' });
    rep = await addUser(t, admin, { role: 'Менеджер по продажам' });
    const permissions: PermissionMatrix = { contact: { read: 'all', create: 'own', import: 'all' }, lead: { read: 'all', create: 'own' } };
    expect((await as(t, admin)('POST', '/api/v1/roles', { name: 'Contact importer', permissions })).statusCode).toBe(201);
    contactImporter = await addUser(t, admin, { role: 'Contact importer' });
    expect((await as(t, admin)('POST', '/api/v1/custom-fields', { object: 'lead', key: 'budget', label: 'Бюджет', kind: 'number' })).statusCode).toBe(201);
  });
  afterAll(() => t.close());

  it('suggests the mapping from Russian and English headers and previews each cell with its problem', async () => {
    const job = await uploaded('ФИО;Компания;Телефон;E-mail;Источник;Статус;Бюджет;Комментарий\nАнна Смирнова;ООО Вектор;8 916 555-00-01;Anna@Vector.RU;Сайт;Новый;1 500 000;Перезвонить\n;;12;не почта;газета;Отказ;много;\n');
    expect(job.mapping).toEqual(['name', 'companyName', 'phone', 'email', 'source', 'status', 'custom.budget', 'description']);
    const english = await uploaded('Lead name,Company,Phone,Email,Lead source,Status,Reason\nJohn Smith,Acme,+1 212 555 0100,john@acme.com,referral,disqualified,No budget\n');
    expect(english.mapping).toEqual(['name', 'companyName', 'phone', 'email', 'source', 'status', 'disqualifyReason']);

    const preview = (await as(t, admin)('GET', `/api/v1/imports/${job.id}/preview`)).json<ImportPreview>();
    expect(preview.rows[0]).toMatchObject({ errors: [], values: { name: 'Анна Смирнова', companyName: 'ООО Вектор', phone: '+79165550001', email: 'anna@vector.ru', source: 'website', status: 'new', 'custom.budget': '1500000', description: 'Перезвонить' } });
    expect(preview.rows[1]!.errors.map((error) => [error.field, error.code])).toEqual([
      ['phone', 'phone'],
      ['email', 'email'],
      ['source', 'option'],
      ['custom.budget', 'number'],
      ['name', 'required_name'],
      ['disqualifyReason', 'required_reason'],
    ]);
  });

  it('creates leads, fills the empty fields of a duplicate found by phone or e-mail, skips repeats within the file, rejects a bad row with its reason, and undoes exactly', async () => {
    const existing = await lead({ name: 'Пётр Орлов', phones: [{ number: '+7 916 700-00-01' }], tags: ['выставка'] });
    const before = await getLead(existing.id);
    const file = [
      'ФИО;Компания;Телефон;Email;Источник;Должность',
      'Мария Лебедева;ИП Лебедева;8 (916) 700-00-02;maria@lebedeva.ru;Звонок;Директор',
      'Пётр Орлов;ООО Орлов;9167000001;;;Закупщик',
      'М. Лебедева;;;MARIA@lebedeva.ru;;',
      'Без имени;;abc;;;',
    ].join('\n');
    const done = await runImport(await uploaded(file), { mode: 'update_empty' });
    expect(done).toMatchObject({ status: 'done', totalRows: 4, created: 1, updated: 1, skipped: 1, rejected: 1 });

    const [maria] = await leadsNamed('Лебедева');
    expect(maria).toMatchObject({ name: 'Мария Лебедева', companyName: 'ИП Лебедева', position: 'Директор', source: 'call', status: 'new', phones: [{ e164: '+79167000002' }], emails: [{ email: 'maria@lebedeva.ru' }] });
    expect(await getLead(existing.id)).toMatchObject({ name: 'Пётр Орлов', companyName: 'ООО Орлов', position: 'Закупщик', tags: ['выставка'] });
    const rejected = await as(t, admin)('GET', `/api/v1/imports/${done.id}/rejected`);
    expect(rejected.body).toMatch(/Без имени,,abc,,,,5,"?.*phone: not a phone number we can read: abc/);

    expect((await undo(done)).json<ImportJob>()).toMatchObject({ status: 'undone' });
    expect(data(await getLead(existing.id))).toEqual(data(before));
    expect((await as(t, admin)('GET', `/api/v1/leads/${maria!.id}`)).statusCode).toBe(404);
    expect(await leadsNamed('Лебедева')).toEqual([]);
    const audit = (await as(t, admin)('GET', `/api/v1/audit?objectType=import&objectId=${done.id}`)).json<{ items: { action: string }[] }>();
    expect(audit.items.map((entry) => entry.action)).toEqual(expect.arrayContaining(['import.upload', 'import.start', 'import.finish', 'import.undo']));
  });

  it('per duplicate mode: skip keeps the lead, overwrite replaces its fields, create anyway makes a second one', async () => {
    const existing = await lead({ name: 'Олег Титов', position: 'Инженер', emails: [{ email: 'oleg@titov.ru' }], source: 'website' });
    const file = 'Name;Email;Position;Source;Status\nОлег Титов;OLEG@titov.ru;Технолог;referral;in work\n';

    const skipped = await runImport(await uploaded(file), { mode: 'skip' });
    expect(skipped).toMatchObject({ created: 0, skipped: 1, updated: 0 });
    expect(await getLead(existing.id)).toMatchObject({ position: 'Инженер', source: 'website', status: 'new' });

    const overwritten = await runImport(await uploaded(file), { mode: 'overwrite' });
    expect(overwritten).toMatchObject({ created: 0, updated: 1 });
    expect(await getLead(existing.id)).toMatchObject({ position: 'Технолог', source: 'referral', status: 'in_work' });
    expect((await undo(overwritten)).statusCode).toBe(200);
    expect(await getLead(existing.id)).toMatchObject({ position: 'Инженер', source: 'website', status: 'new' });

    const anyway = await runImport(await uploaded(file), { mode: 'create' });
    expect(anyway).toMatchObject({ created: 1, updated: 0, skipped: 0 });
    expect(await leadsNamed('Олег Титов')).toHaveLength(2);
    expect((await undo(anyway)).statusCode).toBe(200);
    expect(await leadsNamed('Олег Титов')).toHaveLength(1);
  });

  it('needs the import right on leads: without it the upload is 403 and lead imports are not listed', async () => {
    expect((await upload(rep, 'ФИО\nА\n')).statusCode).toBe(403);
    expect((await upload(contactImporter, 'ФИО\nА\n')).statusCode).toBe(403);
    expect((await as(t, contactImporter)('GET', '/api/v1/import-mappings?object=lead')).statusCode).toBe(403);
    const job = await uploaded('ФИО\nА\n');
    expect((await as(t, contactImporter)('GET', `/api/v1/imports/${job.id}`)).statusCode).toBe(404);
    expect((await as(t, contactImporter)('GET', '/api/v1/imports')).json<{ items: ImportJob[] }>().items.map((item) => item.object)).not.toContain('lead');
  });
});
