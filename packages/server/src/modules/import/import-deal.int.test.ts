import type { Company, Contact, Deal, ImportJob, ImportPreview, PermissionMatrix, Pipeline } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { importSteps } from '../../../test/imports.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

describe('import of deals', () => {
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let leadImporter: Session;
  let company: Company;
  let person: Contact;
  let pipeline: Pipeline;

  const { upload, uploaded, runImport, undo } = importSteps(() => ({ t, admin }), 'deal', 'deals.csv', { defaultCountry: 'RU', fileLocale: 'ru' });
  const dealsTitled = async (text: string) => (await as(t, admin)('GET', `/api/v1/deals?filter=${encodeURIComponent(JSON.stringify({ field: 'title', op: 'contains', value: text }))}`)).json<{ items: Deal[] }>().items;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t, { locale: 'ru' });
    rep = await addUser(t, admin, { role: 'Менеджер по продажам' });
    const permissions: PermissionMatrix = { lead: { read: 'all', create: 'all', import: 'all' }, deal: { read: 'all', create: 'all' } };
    expect((await as(t, admin)('POST', '/api/v1/roles', { name: 'Lead importer', permissions })).statusCode).toBe(201);
    leadImporter = await addUser(t, admin, { role: 'Lead importer' });
    company = (await as(t, admin)('POST', '/api/v1/companies', { name: 'ООО Вектор', inn: '7707083893' })).json<Company>();
    person = (await as(t, admin)('POST', '/api/v1/contacts', { firstName: 'Анна', lastName: 'Смирнова', emails: [{ email: 'anna@vector.ru' }], phones: [{ number: '+79165550001' }] })).json<Contact>();
    pipeline = (await as(t, admin)('GET', '/api/v1/pipelines')).json<{ items: Pipeline[] }>().items[0]!;
  });
  afterAll(() => t.close());

  it('suggests the mapping, offers only "create", and previews each cell with its problem', async () => {
    const job = await uploaded('Название сделки;Сумма;Воронка;Этап;ИНН;E-mail;Ответственный;Дата закрытия\n;много;;;123;не почта;;31.02.2026\n');
    expect(job).toMatchObject({ mode: 'create', mapping: ['title', 'amount', 'pipeline', 'stage', 'companyInn', 'contactEmail', 'ownerEmail', 'expectedCloseDate'] });
    const refused = await as(t, admin)('PATCH', `/api/v1/imports/${job.id}`, { mode: 'skip', version: job.version });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ errors: { path: string }[] }>().errors[0]!.path).toBe('/body/mode');
    const preview = (await as(t, admin)('GET', `/api/v1/imports/${job.id}/preview`)).json<ImportPreview>();
    expect(preview.rows[0]!.errors.map((error) => [error.field, error.code])).toEqual([
      ['amount', 'number'],
      ['companyInn', 'tax_id'],
      ['contactEmail', 'email'],
      ['expectedCloseDate', 'date'],
      ['title', 'required_title'],
    ]);
  });

  it('creates deals linked by pipeline and stage name, company INN or name, contact e-mail or phone and owner e-mail; rejects a row naming what does not exist; undoes exactly', async () => {
    const second = pipeline.stages[1]!;
    const file = [
      'Сделка;Сумма;Воронка;Этап;ИНН;Компания;E-mail;Телефон;Ответственный;Источник',
      `Поставка кресел;1 250 000,50;${pipeline.name};${second.name.toUpperCase()};7707083893;;ANNA@vector.ru;;${rep.email.toUpperCase()};Звонок`,
      'Монтаж;;;;;ооо вектор;;8 916 555-00-01;;',
      'Ремонт;;;Нет такого этапа;;;;;;',
      'Аудит;;;;;ООО Нет такой;;;;',
    ].join('\n');
    const done = await runImport(await uploaded(file), {});
    expect(done).toMatchObject({ status: 'done', created: 2, rejected: 2 });

    const [supply] = await dealsTitled('Поставка кресел');
    expect(supply).toMatchObject({ amount: '1250000.50', pipelineId: pipeline.id, stageId: second.id, companyId: company.id, contacts: [{ contactId: person.id }], ownerId: rep.userId, source: 'call' });
    const [mounting] = await dealsTitled('Монтаж');
    expect(mounting).toMatchObject({ stageId: pipeline.stages[0]!.id, companyId: company.id, contacts: [{ contactId: person.id }], ownerId: admin.userId });
    const rejected = (await as(t, admin)('GET', `/api/v1/imports/${done.id}/rejected`)).body;
    expect(rejected).toContain('No stage named ""Нет такого этапа""');
    expect(rejected).toContain('No company named ""ООО Нет такой""');

    expect((await undo(done)).json<ImportJob>()).toMatchObject({ status: 'undone' });
    expect(await dealsTitled('Поставка кресел')).toEqual([]);
    expect((await as(t, admin)('GET', `/api/v1/deals/${mounting!.id}`)).statusCode).toBe(404);
    expect((await as(t, admin)('GET', `/api/v1/companies/${company.id}`)).statusCode).toBe(200);
    expect((await as(t, admin)('GET', `/api/v1/contacts/${person.id}`)).statusCode).toBe(200);
  });

  it('needs the import right on deals: without it the upload is 403', async () => {
    expect((await upload(leadImporter, 'Сделка\nА\n')).statusCode).toBe(403);
    expect((await upload(rep, 'Сделка\nА\n')).statusCode).toBe(403);
    const job = await uploaded('Сделка\nА\n');
    expect((await as(t, leadImporter)('GET', `/api/v1/imports/${job.id}`)).statusCode).toBe(404);
  });
});
