import type { Company, Contact, CustomField, ImportJob, ImportPreview, PermissionMatrix, Problem, SearchResult } from '@rapport/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { encodeSingleByte } from '../../../test/encoding.js';
import { addUser, as, setupWorkspace, waitFor, type Session } from '../../../test/factories.js';
import { zipBomb } from '../../../test/zip-bomb.js';
import { createTestApp, TEST_ATTACHMENT_MAX_BYTES, type TestApp } from '../../../test/test-app.js';

describe('import of contacts and companies from CSV, XLSX and vCard', () => {
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let importer: Session;

  const upload = (session: Session, body: Buffer | string, query = 'object=contact&name=clients.csv') =>
    as(t, session)('POST', `/api/v1/imports?${query}`, typeof body === 'string' ? Buffer.from(body) : body, { 'content-type': 'application/octet-stream' });
  const uploaded = async (body: Buffer | string, query?: string) => {
    const response = await upload(admin, body, query);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<ImportJob>();
  };
  const configure = async (job: ImportJob, settings: Record<string, unknown>) => {
    const response = await as(t, admin)('PATCH', `/api/v1/imports/${job.id}`, { ...settings, version: job.version });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ImportJob>();
  };
  /** Starts the import and runs its job to the end, as the worker would. */
  const runImport = async (job: ImportJob, settings: Record<string, unknown>, options: { batchSize?: number } = {}) => {
    const ready = await configure(job, { defaultCountry: 'RU', ...settings });
    const started = await as(t, admin)('POST', `/api/v1/imports/${job.id}/start`, { version: ready.version });
    expect(started.statusCode, started.body).toBe(200);
    await t.services.imports.run(admin.workspaceId, job.id, options);
    return (await as(t, admin)('GET', `/api/v1/imports/${job.id}`)).json<ImportJob>();
  };
  const contact = async (body: Record<string, unknown>) => {
    const response = await as(t, admin)('POST', '/api/v1/contacts', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Contact>();
  };
  const getContact = async (id: string) => (await as(t, admin)('GET', `/api/v1/contacts/${id}`)).json<Contact>();
  const findByPhone = async (phone: string) => (await as(t, admin)('GET', `/api/v1/search?q=${encodeURIComponent(phone)}`)).json<SearchResult>().groups.find((group) => group.object === 'contact')?.items ?? [];
  const undo = (job: ImportJob) => as(t, admin)('POST', `/api/v1/imports/${job.id}/undo`);
  /** What a person's card shows, without the bookkeeping an undo necessarily moves on (version, times, who). */
  const data = ({ version: _v, updatedAt: _u, updatedBy: _b, lastActivityAt: _l, ...rest }: Contact) => rest;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t, { locale: 'ru' });
    rep = await addUser(t, admin, { role: 'Менеджер по продажам' });
    const permissions: PermissionMatrix = { contact: { read: 'all', create: 'own', import: 'all' } };
    expect((await as(t, admin)('POST', '/api/v1/roles', { name: 'Importer', permissions })).statusCode).toBe(201);
    importer = await addUser(t, admin, { role: 'Importer' });
  });
  afterAll(() => t.close());

  it('reads a Windows-1251 file with Russian headers, suggests the mapping and previews the rows with their errors', async () => {
    const file = encodeSingleByte('ФИО;Телефон;E-mail;Компания;ИНН;Должность\nИванов Иван Петрович;8 (916) 111-22-33;IVAN@Example.com;ООО Ромашка;7707083893;Директор\nПетрова Анна;12;не почта;;;\n', 'windows-1251');
    const job = await uploaded(file);
    expect(job).toMatchObject({ status: 'draft', encoding: 'windows-1251', delimiter: ';', totalRows: 2, headers: ['ФИО', 'Телефон', 'E-mail', 'Компания', 'ИНН', 'Должность'] });
    expect(job.mapping).toEqual(['fullName', 'phone', 'email', 'companyName', 'companyInn', 'position']);
    const preview = (await as(t, admin)('GET', `/api/v1/imports/${job.id}/preview`)).json<ImportPreview>();
    expect(preview.rows[0]).toMatchObject({ rowNumber: 2, errors: [], values: { lastName: 'Иванов', firstName: 'Иван', middleName: 'Петрович', phone: '+79161112233', email: 'ivan@example.com', companyName: 'ООО Ромашка', companyInn: '7707083893', position: 'Директор' } });
    expect(preview.rows[1]!.errors.map((error) => error.field)).toEqual(['phone', 'email']);

    // Read in the wrong encoding, only the Latin header is recognised; set back, all are.
    const wrong = await configure(job, { encoding: 'koi8-r' });
    expect(wrong.mapping).toEqual([null, null, 'email', null, null, null]);
    const right = await configure(wrong, { encoding: 'windows-1251' });
    expect(right.mapping).toEqual(job.mapping);
  });

  it('detects UTF-8 with a BOM, UTF-16 and KOI8-R, commas and tabs; an explicit encoding and delimiter win', async () => {
    const text = 'Имя\tФамилия\tТелефон\nОльга\tСмирнова\t+7 903 000-00-01\n';
    expect(await uploaded(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toMatchObject({ encoding: 'utf-8', delimiter: '\t', mapping: ['firstName', 'lastName', 'phone'] });
    expect(await uploaded(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toMatchObject({ encoding: 'utf-16le', headers: ['Имя', 'Фамилия', 'Телефон'] });
    expect(await uploaded(encodeSingleByte(text.replaceAll('\t', ','), 'koi8-r'))).toMatchObject({ encoding: 'koi8-r', delimiter: ',' });
    expect(await uploaded(Buffer.from(text), 'object=contact&name=x.csv&encoding=windows-1251&delimiter=%3B')).toMatchObject({ encoding: 'windows-1251', delimiter: ';', headers: [expect.not.stringContaining('Имя')] });
  });

  it('imports in batches with phones in any format, updates the empty fields of an existing duplicate, links companies, and undoes exactly', async () => {
    const existing = await contact({ firstName: 'Сергей', lastName: 'Кузнецов', phones: [{ number: '+7 916 222-33-44' }], tags: ['vip'] });
    const before = await getContact(existing.id);
    const file = encodeSingleByte(
      [
        'Фамилия;Имя;Телефон;Компания;ИНН;Должность',
        'Орлова;Мария;8 (916) 123-45-67;ООО Вектор;7707083893;Бухгалтер',
        'Кузнецов;Сергей;9162223344;;;Менеджер',
        'Волков;Денис;+7 916 1234500;ООО Вектор;;',
        'Орлова;Мария;+7 916 123 45 67;;;Главбух',
        'Без;Телефона;abc;;;',
      ].join('\r\n'),
      'windows-1251',
    );
    const done = await runImport(await uploaded(file), { mode: 'update_empty' }, { batchSize: 2 });
    expect(done).toMatchObject({ status: 'done', totalRows: 5, rowsDone: 5, created: 2, updated: 1, skipped: 1, rejected: 1 });
    expect(done.rate).toBeGreaterThan(0);

    // Everyone is found by phone, whatever format it was typed in; the duplicate was not created again.
    const [maria] = await findByPhone('+7 (916) 123-45-67');
    expect(maria).toMatchObject({ title: 'Мария Орлова' });
    expect(await findByPhone('+79162223344')).toHaveLength(1);
    const updated = await getContact(existing.id);
    expect(updated).toMatchObject({ position: 'Менеджер', tags: ['vip'] });
    const orlova = await getContact(maria!.id);
    expect(orlova).toMatchObject({ position: 'Бухгалтер', phones: [{ e164: '+79161234567' }], companies: [{ companyName: 'ООО Вектор' }] });
    const denis = (await findByPhone('+79161234500'))[0]!;
    expect((await getContact(denis.id)).companies.map((link) => link.companyId)).toEqual(orlova.companies.map((link) => link.companyId));
    const company = (await as(t, admin)('GET', `/api/v1/companies/${orlova.companies[0]!.companyId}`)).json<Company>();
    expect(company).toMatchObject({ name: 'ООО Вектор', inn: '7707083893' });

    const rejected = await as(t, admin)('GET', `/api/v1/imports/${done.id}/rejected`);
    expect(rejected.headers['content-type']).toMatch(/^text\/csv/);
    expect(rejected.headers['content-disposition']).toMatch(/^attachment; filename="clients-rejected.csv"/);
    expect(rejected.body).toContain('Фамилия,Имя,Телефон,Компания,ИНН,Должность,row,reason');
    expect(rejected.body).toMatch(/Без,Телефона,abc,,,,6,"?.*phone: not a phone number we can read: abc/);

    expect((await undo(done)).json<ImportJob>()).toMatchObject({ status: 'undone' });
    expect(data(await getContact(existing.id))).toEqual(data(before));
    expect((await as(t, admin)('GET', `/api/v1/contacts/${maria!.id}`)).statusCode).toBe(404);
    expect((await as(t, admin)('GET', `/api/v1/companies/${company.id}`)).statusCode).toBe(404);
    expect(await findByPhone('+79161234567')).toEqual([]);
    const bin = (await as(t, admin)('GET', '/api/v1/recycle-bin?object=contact')).json<{ items: { id: string }[] }>();
    expect(bin.items.map((item) => item.id)).not.toContain(maria!.id);
    const audit = (await as(t, admin)('GET', `/api/v1/audit?objectType=import&objectId=${done.id}`)).json<{ items: { action: string }[] }>();
    expect(audit.items.map((entry) => entry.action)).toEqual(expect.arrayContaining(['import.upload', 'import.start', 'import.finish', 'import.undo']));
    expect((await undo(done)).statusCode).toBe(409);
  });

  it('imports the first sheet of an XLSX workbook and every card of a vCard file, each detected by its content', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Клиенты');
    sheet.addRow(['ФИО', 'Телефон', 'Дата рождения', 'Email']);
    sheet.addRow(['Лебедева Ольга Игоревна', 79165550011, new Date(Date.UTC(1990, 4, 17)), 'olga@example.ru']);
    sheet.addRow(['Зайцев Глеб', '8 916 555-00-22', '17.05.1991', 'не почта']);
    const xlsx = await uploaded(Buffer.from(await book.xlsx.writeBuffer()), 'object=contact&name=clients.xlsx');
    expect(xlsx).toMatchObject({ format: 'xlsx', totalRows: 2, headers: ['ФИО', 'Телефон', 'Дата рождения', 'Email'], mapping: ['fullName', 'phone', 'birthday', 'email'] });
    const preview = (await as(t, admin)('GET', `/api/v1/imports/${xlsx.id}/preview`)).json<ImportPreview>();
    expect(preview.rows[0]).toMatchObject({ errors: [], values: { lastName: 'Лебедева', phone: '+79165550011', birthday: '1990-05-17' } });
    expect(preview.rows[1]!.errors).toEqual([{ field: 'email', code: 'email', params: { value: 'не почта' }, message: 'not a valid e-mail address: не почта' }]);
    expect(await runImport(xlsx, {})).toMatchObject({ status: 'done', created: 1, rejected: 1 });
    const [olga] = await findByPhone('+79165550011');
    expect(await getContact(olga!.id)).toMatchObject({ firstName: 'Ольга', middleName: 'Игоревна', birthday: '1990-05-17', emails: [{ email: 'olga@example.ru' }] });

    const vcf = ['BEGIN:VCARD', 'VERSION:3.0', 'N:Соколов;Артём;;;', 'ORG:ООО Карточка', 'TITLE:Инженер', 'TEL;TYPE=CELL:+7 916 555-00-33', 'TEL;TYPE=WORK:+7 495 555-00-44', 'EMAIL:artem@example.ru', 'END:VCARD', 'BEGIN:VCARD', 'VERSION:2.1', 'N:Smith;Jane', 'TEL;CELL:+79165550055', 'END:VCARD'].join('\r\n');
    const cards = await uploaded(vcf, 'object=contact&name=phone-book.vcf');
    expect(cards).toMatchObject({ format: 'vcard', totalRows: 2 });
    expect(await runImport(cards, {})).toMatchObject({ status: 'done', created: 2, rejected: 0 });
    const [artem] = await findByPhone('+74955550044');
    expect(await getContact(artem!.id)).toMatchObject({ lastName: 'Соколов', position: 'Инженер', phones: [{ e164: '+79165550033' }, { e164: '+74955550044' }], companies: [{ companyName: 'ООО Карточка' }] });
    expect(await findByPhone('+79165550055')).toHaveLength(1);
  });

  it('per duplicate mode: skip, overwrite and create anyway; duplicates by e-mail and within the file', async () => {
    const person = await contact({ firstName: 'Олег', lastName: 'Титов', position: 'Инженер', emails: [{ email: 'oleg@titov.ru' }] });
    const file = 'Имя;Фамилия;Email;Должность\nОлег;Титов;OLEG@titov.ru;Технолог\nНина;Белова;nina@belova.ru;Юрист\nНина;Белова;nina@belova.ru;Адвокат\n';
    const skipped = await runImport(await uploaded(file), { mode: 'skip' });
    expect(skipped).toMatchObject({ created: 1, skipped: 2, updated: 0 });
    expect((await getContact(person.id)).position).toBe('Инженер');
    await undo(skipped);

    const overwritten = await runImport(await uploaded(file), { mode: 'overwrite' });
    expect(overwritten).toMatchObject({ created: 1, updated: 2 });
    expect((await getContact(person.id)).position).toBe('Технолог');
    const nina = (await as(t, admin)('GET', `/api/v1/search?q=nina%40belova.ru`)).json<SearchResult>().groups[0]!.items;
    expect(nina).toHaveLength(1);
    expect((await getContact(nina[0]!.id)).position).toBe('Адвокат');
    expect((await undo(overwritten)).statusCode).toBe(200);
    expect((await getContact(person.id)).position).toBe('Инженер');

    const anyway = await runImport(await uploaded(file), { mode: 'create' });
    expect(anyway).toMatchObject({ created: 3, updated: 0, skipped: 0 });
    expect((await as(t, admin)('GET', `/api/v1/search?q=oleg%40titov.ru`)).json<SearchResult>().groups[0]!.items).toHaveLength(2);
    await undo(anyway);
  });

  it('skip mode: a skipped row stores none of its keys, so a later row sharing only its new e-mail is created whether or not the same batch holds both', async () => {
    await contact({ firstName: 'Пётр', lastName: 'Сомов', phones: [{ number: '+79281110001' }] });
    // Row 2 is Пётр (his phone) with an e-mail the base does not know; rows 3 and 4 carry that e-mail with other phones.
    const file = 'Имя;Телефон;Email\nПётр;+7 928 111-00-01;new@somov.ru\nПётр Сомов;+7 928 111-00-02;NEW@somov.ru\nП. Сомов;+7 928 111-00-03;new@somov.ru\n';
    for (const batchSize of [1, 10]) {
      const done = await runImport(await uploaded(file), { mode: 'skip' }, { batchSize });
      // Row 3 is new (nothing stored has its e-mail or phone); row 4 repeats row 3's e-mail.
      expect(done, `batches of ${batchSize}`).toMatchObject({ created: 1, skipped: 2, rejected: 0 });
      expect(await findByPhone('+79281110002'), `batches of ${batchSize}`).toHaveLength(1);
      expect(await findByPhone('+79281110003')).toEqual([]);
      expect((await undo(done)).statusCode).toBe(200);
    }
  });

  it('imports companies, de-duplicated by tax number', async () => {
    const first = await runImport(await uploaded('Наименование;ИНН;Сайт\nАльфа;7728168971;alfa.ru\nБета;500100732259;\n', 'object=company&name=orgs.csv'), { mode: 'skip' });
    expect(first).toMatchObject({ object: 'company', created: 2 });
    const again = await runImport(await uploaded('Наименование;ИНН;Сайт\nАльфа-Банк;7728168971;alfabank.ru\n', 'object=company&name=orgs.csv'), { mode: 'update_empty' });
    expect(again).toMatchObject({ created: 0, updated: 0, skipped: 1 });
  });

  it('keeps a batch whole: a row that fails half-way leaves nothing of itself and is listed, the rest of the batch is stored', async () => {
    const field = (await as(t, admin)('POST', '/api/v1/custom-fields', { object: 'contact', key: 'client_code', label: 'Код клиента', kind: 'text', required: true })).json<CustomField>();
    const file = 'Имя;Компания;Код клиента\nАнна;ООО Первая;A-1\nБорис;ООО Вторая;\nВера;ООО Третья;A-3\n';
    const job = await runImport(await uploaded(file), { mode: 'skip' }, { batchSize: 10 });
    expect(job.mapping).toEqual(['firstName', 'companyName', `custom.${field.key}`]);
    expect(job).toMatchObject({ created: 2, rejected: 1 });
    // Борис's contact was refused before his company was created: nothing of him is stored.
    const companies = (await as(t, admin)('GET', `/api/v1/search?q=${encodeURIComponent('ООО Вторая')}`)).json<SearchResult>().groups.filter((group) => group.object === 'company');
    expect(companies).toEqual([]);
    expect((await as(t, admin)('GET', `/api/v1/imports/${job.id}/rejected`)).body).toMatch(/Борис,ООО Вторая,,3,.*required/);
    await undo(job);
    expect((await as(t, admin)('DELETE', `/api/v1/custom-fields/${field.id}`)).statusCode).toBe(204);
  });

  it('writes a batch row by row when its bulk write fails: only the row the database refuses is rejected', async () => {
    // A database-side refusal no check before the write can foresee (here a trigger) fails the batch's multi-row insert.
    await sql`CREATE FUNCTION refuse_contact() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.first_name = 'Отказ' THEN RAISE EXCEPTION 'refused by the database'; END IF; RETURN NEW; END $$`.execute(t.database.db);
    await sql`CREATE TRIGGER refuse_contact BEFORE INSERT ON contact FOR EACH ROW EXECUTE FUNCTION refuse_contact()`.execute(t.database.db);
    try {
      const job = await runImport(await uploaded('Имя;Телефон\nГлеб;+7 928 100-00-01\nОтказ;+7 928 100-00-02\nДина;+7 928 100-00-03\n'), { mode: 'skip' }, { batchSize: 10 });
      expect(job).toMatchObject({ status: 'done', created: 2, rejected: 1 });
      expect(await findByPhone('+79281000001')).toHaveLength(1);
      expect(await findByPhone('+79281000002')).toHaveLength(0);
      expect((await as(t, admin)('GET', `/api/v1/imports/${job.id}/rejected`)).body).toMatch(/Отказ,'?\+7 928 100-00-02,3,could not be stored: .*refused by the database/);
      expect((await undo(job)).statusCode).toBe(200);
    } finally {
      await sql`DROP TRIGGER refuse_contact ON contact`.execute(t.database.db);
      await sql`DROP FUNCTION refuse_contact()`.execute(t.database.db);
    }
  });

  it('resumes after a stop from the last committed batch, without doubles', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => `Клиент${i};+7 926 000-00-${String(10 + i)}`);
    const job = await uploaded(['Имя;Телефон', ...rows].join('\n'));
    const ready = await configure(job, { defaultCountry: 'RU' });
    await as(t, admin)('POST', `/api/v1/imports/${job.id}/start`, { version: ready.version });
    await t.services.imports.run(admin.workspaceId, job.id, { batchSize: 3, maxBatches: 1 });
    expect((await as(t, admin)('GET', `/api/v1/imports/${job.id}`)).json<ImportJob>()).toMatchObject({ status: 'running', rowsDone: 3, created: 3 });
    expect(await t.services.imports.pending()).toEqual([{ workspaceId: admin.workspaceId, id: job.id }]);
    await t.services.imports.run(admin.workspaceId, job.id, { batchSize: 3 });
    expect((await as(t, admin)('GET', `/api/v1/imports/${job.id}`)).json<ImportJob>()).toMatchObject({ status: 'done', rowsDone: 7, created: 7, rejected: 0 });
    for (let i = 0; i < 7; i += 1) expect(await findByPhone(`+792600000${10 + i}`)).toHaveLength(1);
    await undo(job);
  });

  it('cancels between batches; refuses an undo when an imported record changed since', async () => {
    const job = await uploaded('Имя;Телефон\nЮлия;+7 927 100-00-01\nЯна;+7 927 100-00-02\n');
    const ready = await configure(job, { defaultCountry: 'RU' });
    await as(t, admin)('POST', `/api/v1/imports/${job.id}/start`, { version: ready.version });
    await t.services.imports.run(admin.workspaceId, job.id, { batchSize: 1, maxBatches: 1 });
    expect((await as(t, admin)('POST', `/api/v1/imports/${job.id}/cancel`)).json<ImportJob>()).toMatchObject({ status: 'cancelled', rowsDone: 1 });
    await t.services.imports.run(admin.workspaceId, job.id, { batchSize: 1 });
    expect((await as(t, admin)('GET', `/api/v1/imports/${job.id}`)).json<ImportJob>()).toMatchObject({ status: 'cancelled', rowsDone: 1, created: 1 });
    const [julia] = await findByPhone('+79271000001');
    const card = await getContact(julia!.id);
    expect((await as(t, admin)('PATCH', `/api/v1/contacts/${julia!.id}`, { position: 'Edited', version: card.version })).statusCode).toBe(200);
    const refused = await undo(job);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<Problem>().errors?.[0]).toMatchObject({ path: `/records/contact/${julia!.id}` });
    expect((await getContact(julia!.id)).position).toBe('Edited');
  });

  it('refuses bad files as a whole with a clear reason and stores nothing', async () => {
    const count = async () => (await as(t, admin)('GET', '/api/v1/imports')).json<{ items: ImportJob[] }>().items.length;
    const before = await count();
    const empty = await upload(admin, Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(empty.json<Problem>().errors).toEqual([{ path: '/body', message: 'must not be empty', code: 'empty', params: {} }]);
    const broken = await upload(admin, 'Имя,Телефон\n"Анна,123\n');
    expect(broken.statusCode).toBe(400);
    expect(broken.json<Problem>().detail).toMatch(/cannot be read as CSV/);
    const wide = await upload(admin, `${Array.from({ length: 2001 }, (_, i) => `c${i}`).join(',')}\n1,2\n`);
    expect(wide.statusCode).toBe(400);
    expect(wide.json<Problem>().errors?.[0]?.message).toBe('must have at most 2000 columns');
    expect((await upload(admin, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100)]))).statusCode).toBe(415);
    expect((await upload(admin, 'Имя\nА\n', 'object=task&name=x.csv')).statusCode).toBe(400);
    expect((await as(t, admin)('POST', '/api/v1/imports?object=contact&name=x.csv', { not: 'a file' })).statusCode).toBe(415);
    // A workbook that unpacks far past its size (a ZIP bomb) and a file over the upload limit: refused with a code and its params.
    const bombed = await upload(admin, zipBomb(1024, 300 * 1024 * 1024), 'object=contact&name=bomb.xlsx');
    expect(bombed.statusCode).toBe(400);
    expect(bombed.json<Problem>().errors?.[0]).toMatchObject({ code: 'xlsx_unpacked_too_large', params: { megabytes: 256 } });
    const big = await upload(admin, Buffer.alloc(TEST_ATTACHMENT_MAX_BYTES + 1, 'a'));
    expect(big.statusCode).toBe(413);
    expect(big.json<Problem>().errors?.[0]).toMatchObject({ code: 'too_large', params: { megabytes: 0 } });
    expect((await upload(admin, 'BEGIN:VCARD\nVERSION:3.0\nFN:Без конца\n', 'object=contact&name=x.vcf')).json<Problem>().errors?.[0]).toMatchObject({ code: 'vcard_broken', params: { line: 1 } });
    expect(broken.json<Problem>().errors?.[0]).toMatchObject({ code: 'csv_broken', params: { line: 2 } });
    expect(await count()).toBe(before);

    const job = await uploaded('Имя;Телефон\nАнна;1\n');
    const badMapping = await as(t, admin)('PATCH', `/api/v1/imports/${job.id}`, { mapping: ['firstName', 'dealAmount'], version: job.version });
    expect(badMapping.statusCode).toBe(400);
    expect(badMapping.json<Problem>().errors).toEqual([{ path: '/body/mapping/1', message: 'not a field of a contact that a file can fill' }]);
    expect((await as(t, admin)('PATCH', `/api/v1/imports/${job.id}`, { mapping: ['firstName'], version: job.version })).statusCode).toBe(400);
    expect((await as(t, admin)('PATCH', `/api/v1/imports/${job.id}`, { mode: 'skip', version: job.version + 5 })).statusCode).toBe(409);
    expect((await as(t, admin)('PATCH', `/api/v1/imports/${job.id}`, { defaultCountry: 'russia', version: job.version })).statusCode).toBe(400);
  });

  it('needs the import right: a sales rep gets 403 and does not see imports; update modes also need the update right', async () => {
    const denied = await upload(rep, 'Имя\nА\n');
    expect(denied.statusCode).toBe(403);
    const job = await uploaded('Имя\nА\n');
    expect((await as(t, rep)('GET', `/api/v1/imports/${job.id}`)).statusCode).toBe(404);
    expect((await as(t, rep)('GET', '/api/v1/imports')).json<{ items: unknown[] }>().items).toEqual([]);
    expect((await as(t, rep)('GET', '/api/v1/import-mappings?object=contact')).statusCode).toBe(403);

    const own = await upload(importer, 'Имя\nА\n');
    expect(own.statusCode).toBe(201);
    const draft = own.json<ImportJob>();
    const update = await as(t, importer)('PATCH', `/api/v1/imports/${draft.id}`, { mode: 'overwrite', version: draft.version });
    expect((await as(t, importer)('POST', `/api/v1/imports/${draft.id}/start`, { version: update.json<ImportJob>().version })).statusCode).toBe(403);
    expect((await upload(importer, 'Наименование\nА\n', 'object=company&name=x.csv')).statusCode).toBe(403);
  });

  it('saves a mapping for reuse: the next file with the same headers gets it', async () => {
    const job = await uploaded('Колонка А;Колонка Б\nАнна;+7 903 111-11-11\n');
    expect(job.mapping).toEqual([null, null]);
    const mapped = await configure(job, { mapping: ['firstName', 'phone'] });
    expect((await as(t, admin)('POST', `/api/v1/imports/${job.id}/start`, { version: mapped.version, saveMappingAs: 'Выгрузка 1С' })).statusCode).toBe(200);
    expect((await as(t, admin)('GET', '/api/v1/import-mappings?object=contact')).json<{ items: unknown[] }>().items).toEqual([
      { id: expect.any(String), object: 'contact', name: 'Выгрузка 1С', columns: { 'Колонка А': 'firstName', 'Колонка Б': 'phone' } },
    ]);
    expect((await uploaded('Колонка А;Колонка Б\nБорис;+7 903 111-11-12\n')).mapping).toEqual(['firstName', 'phone']);
    await as(t, admin)('POST', `/api/v1/imports/${job.id}/cancel`);
  });
});

describe('import as a durable job', () => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp({ workers: true });
    admin = await setupWorkspace(t, { locale: 'ru' });
  });
  afterAll(() => t.close());

  it('runs through the queue after start', async () => {
    const response = await as(t, admin)('POST', '/api/v1/imports?object=contact&name=q.csv', Buffer.from('Имя;Телефон\nЖанна;8 916 555-00-01\n'), { 'content-type': 'application/octet-stream' });
    const job = response.json<ImportJob>();
    expect((await as(t, admin)('POST', `/api/v1/imports/${job.id}/start`, { version: job.version })).statusCode).toBe(200);
    const done = await waitFor(async () => {
      const current = (await as(t, admin)('GET', `/api/v1/imports/${job.id}`)).json<ImportJob>();
      return current.status === 'done' ? current : undefined;
    }, { what: 'the import job', timeoutMs: 30_000 });
    expect(done).toMatchObject({ created: 1, rejected: 0 });
  });
});
