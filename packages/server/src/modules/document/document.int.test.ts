import type { Attachment, AttachmentList, AuditEntry, Company, Contact, Deal, DocumentTemplate, DocumentTemplateList, PermissionMatrix, Problem, Product, WorkspaceSettings } from '@rapport/shared';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docxOf, docxRows, docxText } from '../../../../../e2e/docx.mjs';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, TEST_ATTACHMENT_MAX_BYTES, type TestApp } from '../../../test/test-app.js';

const OFFER = docxOf(['Offer for {name}', ['Contact person: {first', 'Name} {lastName}, {company.name}'], 'Phone: {phone}', 'Birthday: {birthday}', 'Manager: {owner.name}, {workspace.name}', 'Date: {today}']);

describe('document templates: upload with checked merge fields, generation into the record’s files', () => {
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let reader: Session;

  const upload = (session: Session, query: Record<string, string>, body: Buffer, contentType = 'application/octet-stream') =>
    as(t, session)('POST', `/api/v1/document-templates?${new URLSearchParams(query).toString()}`, body, { 'content-type': contentType });
  const generate = (session: Session, object: string, id: string, body: unknown) => as(t, session)('POST', `/api/v1/documents/${object}/${id}`, body);
  const fileOf = async (session: Session, attachment: Attachment) => (await as(t, session)('GET', `/api/v1/attachment-files/${attachment.id}?download=true`)).rawPayload;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t, { workspaceName: 'Okna Plus' });
    rep = await addUser(t, admin, { role: 'Sales rep', name: 'Rita Rep' });
    const permissions: PermissionMatrix = { contact: { read: 'all' } };
    expect((await as(t, admin)('POST', '/api/v1/roles', { name: 'Contact reader', permissions })).statusCode).toBe(201);
    reader = await addUser(t, admin, { role: 'Contact reader' });
  });
  afterAll(() => t.close());

  it('keeps a valid template with the fields it uses, and fills it from a contact into a DOCX on the card', async () => {
    const added = await upload(admin, { name: 'Offer', object: 'contact', locale: 'ru', fileName: 'offer.docx' }, OFFER);
    expect(added.statusCode).toBe(201);
    const template = added.json<DocumentTemplate>();
    expect(template).toMatchObject({ name: 'Offer', object: 'contact', locale: 'ru', fileName: 'offer.docx', fields: ['name', 'firstName', 'lastName', 'company.name', 'phone', 'birthday', 'owner.name', 'workspace.name', 'today'] });

    const company = (await as(t, rep)('POST', '/api/v1/companies', { name: 'Stroy LLC' })).json<Company>();
    const person = (await as(t, rep)('POST', '/api/v1/contacts', { firstName: 'Ivan', lastName: 'Petrov', birthday: '1990-03-08', phones: [{ number: '+7 916 123-45-67' }], companies: [{ companyId: company.id, isPrimary: true }] })).json<Contact>();
    const made = await generate(rep, 'contact', person.id, { templateId: template.id, format: 'docx' });
    expect(made.statusCode).toBe(201);
    const document = made.json<Attachment>();
    expect(document).toMatchObject({ fileName: 'Offer — Ivan Petrov.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    const lines = docxText(await fileOf(rep, document));
    expect(lines.slice(0, 5)).toEqual(['Offer for Ivan Petrov', 'Contact person: Ivan Petrov, Stroy LLC', `Phone: ${person.phones[0]?.number}`, 'Birthday: 8 марта 1990 г.', 'Manager: Rita Rep, Okna Plus']);
    expect(lines[5]).toMatch(/^Date: \d{1,2} \S+ \d{4} г\.$/);
    const files = (await as(t, rep)('GET', `/api/v1/attachments/contact/${person.id}`)).json<AttachmentList>().items;
    expect(files.map((file) => file.id)).toEqual([document.id]);

    const audit = (await as(t, admin)('GET', '/api/v1/audit?objectType=document_template')).json<{ items: AuditEntry[] }>().items;
    expect(audit.map((entry) => entry.action)).toContain('document_template.create');
  });

  it('fills a deal template with the amount in the template’s language, the stage and the client’s requisites', async () => {
    const template = (await upload(admin, { name: 'Invoice', object: 'deal', locale: 'ru', fileName: 'invoice.docx' }, docxOf(['Счёт: {title}', 'Клиент: {company.name}, ИНН {company.inn}, {company.legalAddress}', 'Контакт: {contact.name}', 'Сумма: {amount}', 'Стадия: {stage}']))).json<DocumentTemplate>();
    expect(template.fields).toEqual(['title', 'company.name', 'company.inn', 'company.legalAddress', 'contact.name', 'amount', 'stage']);
    const company = (await as(t, admin)('POST', '/api/v1/companies', { name: 'Okna Plus', inn: '7701234567', legalAddress: 'Moscow, Tverskaya 1' })).json<Company>();
    const person = (await as(t, admin)('POST', '/api/v1/contacts', { firstName: 'Olga', lastName: 'Smirnova' })).json<Contact>();
    const deal = (await as(t, admin)('POST', '/api/v1/deals', { title: 'Windows for the office', amount: '125000.50', currency: 'RUB', companyId: company.id, contacts: [{ contactId: person.id }] })).json<Deal>();
    const made = await generate(admin, 'deal', deal.id, { templateId: template.id, format: 'docx' });
    expect(made.statusCode).toBe(201);
    const lines = docxText(await fileOf(admin, made.json<Attachment>()));
    expect(lines.slice(0, 3)).toEqual(['Счёт: Windows for the office', 'Клиент: Okna Plus, ИНН 7701234567, Moscow, Tverskaya 1', 'Контакт: Olga Smirnova']);
    expect(lines[3]?.replace(/\s/g, ' ')).toBe('Сумма: 125 000,50 ₽');
    expect(lines[4]).toBe(`Стадия: ${deal.stageName}`);
  });

  it('repeats a table row per deal product, with totals and the workspace’s payment details', async () => {
    const details = { legalName: 'OOO Okna Plus', address: 'Moscow, Lenina 5', taxId: '7700000001', kpp: '770001001', bankName: 'Sberbank', account: '40702810000000000001', bic: '044525225', correspondentAccount: '30101810400000000225' };
    const settings = (await as(t, admin)('GET', '/api/v1/workspace')).json<WorkspaceSettings>();
    const saved = await as(t, admin)('PUT', '/api/v1/workspace/payment-details', { paymentDetails: details, version: settings.version });
    expect(saved.statusCode, saved.body).toBe(200);

    const invoice = docxOf([
      'Счёт {title}',
      'Получатель: {workspace.legalName}, ИНН {workspace.taxId}, КПП {workspace.kpp}, {workspace.address}',
      'Банк: {workspace.bankName}, р/с {workspace.account}, БИК {workspace.bic}, к/с {workspace.correspondentAccount}',
      { row: ['{#items}{name}', '{sku}', '{quantity}', '{unitPrice}', '{discount}', '{tax}', '{total}{/items}'] },
      'Без налога: {subtotal}',
      'Налог: {tax}',
      'Итого: {total}',
    ]);
    const added = await upload(admin, { name: 'Invoice with lines', object: 'deal', locale: 'ru', fileName: 'lines.docx' }, invoice);
    expect(added.statusCode, added.body).toBe(201);
    const template = added.json<DocumentTemplate>();
    expect(template.fields).toEqual(expect.arrayContaining(['items', 'items.name', 'items.unitPrice', 'items.total', 'subtotal', 'tax', 'total', 'workspace.bankName']));

    const window = (await as(t, admin)('POST', '/api/v1/products', { sku: 'WIN-1', name: 'Окно', price: '1250.50', currency: 'RUB', taxRate: '20' })).json<Product>();
    const deal = (await as(t, admin)('POST', '/api/v1/deals', { title: 'Окна для школы', currency: 'RUB' })).json<Deal>();
    const lines = await as(t, admin)('PUT', `/api/v1/deals/${deal.id}/items`, { items: [{ productId: window.id, quantity: '2', price: '1250.50', discountPercent: '10' }, { name: 'Монтаж', quantity: '1', price: '3000' }], version: deal.version });
    expect(lines.statusCode, lines.body).toBe(200);
    const made = await generate(admin, 'deal', deal.id, { templateId: template.id, format: 'docx' });
    expect(made.statusCode, made.body).toBe(201);
    const file = await fileOf(admin, made.json<Attachment>());
    const space = (text: string) => text.replace(/\s/g, ' ');
    expect(docxRows(file).map((row) => row.map(space))).toEqual([
      ['Окно', 'WIN-1', '2', '1 250,50 ₽', '10%', '450,18 ₽', '2 701,08 ₽'],
      ['Монтаж', '', '1', '3 000,00 ₽', '0%', '0,00 ₽', '3 000,00 ₽'],
    ]);
    const text = docxText(file).map(space);
    expect(text).toContain('Получатель: OOO Okna Plus, ИНН 7700000001, КПП 770001001, Moscow, Lenina 5');
    expect(text).toContain('Банк: Sberbank, р/с 40702810000000000001, БИК 044525225, к/с 30101810400000000225');
    expect(text.slice(-3)).toEqual(['Без налога: 5 250,90 ₽', 'Налог: 450,18 ₽', 'Итого: 5 701,08 ₽']);
  });

  it('names an unknown field inside the line-item loop, and a loop a record does not have', async () => {
    const unknown = await upload(admin, { name: 'Bad lines', object: 'deal', fileName: 'bad.docx' }, docxOf([{ row: ['{#items}{name}', '{colour}{/items}'] }]));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<Problem>().errors?.map((error) => [error.field, error.message])).toEqual([['colour', 'Unknown merge field "colour" in the loop "items"']]);
    const notHere = await upload(admin, { name: 'Bad loop', object: 'contact', fileName: 'bad.docx' }, docxOf([{ row: ['{#items}{name}{/items}'] }]));
    expect(notHere.json<Problem>().errors?.map((error) => error.field)).toEqual(['items']);
  });

  it('keeps the payment details with the workspace version, audited, for administrators only', async () => {
    const settings = (await as(t, admin)('GET', '/api/v1/workspace')).json<WorkspaceSettings>();
    const details = { ...settings.paymentDetails, bankName: '  Alfa-Bank  ' };
    expect((await as(t, rep)('PUT', '/api/v1/workspace/payment-details', { paymentDetails: details, version: settings.version })).statusCode).toBe(403);
    const stale = await as(t, admin)('PUT', '/api/v1/workspace/payment-details', { paymentDetails: details, version: settings.version + 3 });
    expect(stale.statusCode).toBe(409);
    const bad = await as(t, admin)('PUT', '/api/v1/workspace/payment-details', { paymentDetails: { ...details, bic: 'x'.repeat(41) }, version: settings.version });
    expect(bad.json<Problem>().errors?.map((error) => error.path)).toEqual(['/body/paymentDetails/bic']);
    const saved = await as(t, admin)('PUT', '/api/v1/workspace/payment-details', { paymentDetails: details, version: settings.version });
    expect(saved.json<WorkspaceSettings>()).toMatchObject({ paymentDetails: { bankName: 'Alfa-Bank' }, version: settings.version + 1 });
    const audit = (await as(t, admin)('GET', '/api/v1/audit?objectType=workspace')).json<{ items: AuditEntry[] }>().items;
    expect(audit[0]).toMatchObject({ action: 'workspace.update', changes: { bankName: { from: 'Sberbank', to: 'Alfa-Bank' } } });
  });

  it('makes a PDF of the filled template with LibreOffice', async () => {
    const template = (await upload(admin, { name: 'Card', object: 'company', fileName: 'card.docx' }, docxOf(['Company {name}, INN {inn}']))).json<DocumentTemplate>();
    expect((await as(t, admin)('GET', '/api/v1/document-templates?object=company')).json<DocumentTemplateList>().pdfAvailable).toBe(true);
    const company = (await as(t, admin)('POST', '/api/v1/companies', { name: 'Okna Service', inn: '7701234567' })).json<Company>();
    const made = await generate(admin, 'company', company.id, { templateId: template.id, format: 'pdf' });
    expect(made.statusCode).toBe(201);
    const pdf = made.json<Attachment>();
    expect(pdf).toMatchObject({ fileName: 'Card — Okna Service.pdf', contentType: 'application/pdf' });
    expect((await fileOf(admin, pdf)).subarray(0, 5).toString()).toBe('%PDF-');
  }, 120_000);

  it('refuses unknown merge fields and broken tags by name, and files that are not DOCX, keeping nothing', async () => {
    const before = (await as(t, admin)('GET', '/api/v1/document-templates?includeArchived=true')).json<DocumentTemplateList>().items.length;
    const unknown = await upload(admin, { name: 'Bad', object: 'lead', fileName: 'bad.docx' }, docxOf(['{name} owes {amount}', 'INN {inn}']));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<Problem>().errors?.map((error) => error.field)).toEqual(['amount', 'inn']);
    const broken = await upload(admin, { name: 'Bad', object: 'lead', fileName: 'bad.docx' }, docxOf(['Dear {name', 'Phone {{phone}']));
    expect(broken.statusCode).toBe(400);
    expect(broken.json<Problem>().errors?.map((error) => error.field)).toEqual(['namePhone', expect.stringMatching(/^\{\{phon/)]);

    const zip = new PizZip();
    zip.file('hello.txt', 'not a document');
    const notDocx = await upload(admin, { name: 'Zip', object: 'lead', fileName: 'a.docx' }, zip.generate({ type: 'nodebuffer' }));
    expect(notDocx.statusCode).toBe(415);
    expect((await upload(admin, { name: 'Big', object: 'lead', fileName: 'big.docx' }, Buffer.alloc(TEST_ATTACHMENT_MAX_BYTES + 1, 1))).statusCode).toBe(413);
    expect((await upload(admin, { name: 'Json', object: 'lead', fileName: 'a.docx' }, Buffer.from('{}'), 'application/json')).statusCode).toBe(415);
    expect((await upload(admin, { name: ' ', object: 'lead', fileName: 'a.docx' }, OFFER)).json<Problem>().errors?.[0]?.path).toBe('/query/name');
    expect((await upload(admin, { name: 'X', object: 'planet', fileName: 'a.docx' }, OFFER)).json<Problem>().errors?.[0]?.path).toBe('/query/object');
    expect((await as(t, admin)('GET', '/api/v1/document-templates?includeArchived=true')).json<DocumentTemplateList>().items).toHaveLength(before);
  });

  it('lets only administrators keep templates; generating needs the right to edit the record', async () => {
    expect((await upload(rep, { name: 'Mine', object: 'contact', fileName: 'm.docx' }, OFFER)).statusCode).toBe(403);
    const template = (await upload(admin, { name: 'Letter', object: 'contact', fileName: 'letter.docx' }, docxOf(['Dear {firstName}']))).json<DocumentTemplate>();
    expect((await as(t, rep)('PATCH', `/api/v1/document-templates/${template.id}`, { name: 'Renamed', version: 1 })).statusCode).toBe(403);
    expect((await as(t, rep)('DELETE', `/api/v1/document-templates/${template.id}`)).statusCode).toBe(403);

    const adminsContact = (await as(t, admin)('POST', '/api/v1/contacts', { firstName: 'Boss' })).json<Contact>();
    // The rep may not see the admin's contact; the reader may see it but not change it: no document, no file.
    expect((await generate(rep, 'contact', adminsContact.id, { templateId: template.id, format: 'docx' })).statusCode).toBe(404);
    expect((await generate(reader, 'contact', adminsContact.id, { templateId: template.id, format: 'docx' })).statusCode).toBe(403);
    expect((await as(t, admin)('GET', `/api/v1/attachments/contact/${adminsContact.id}`)).json<AttachmentList>().items).toEqual([]);
    // The reader has no right on companies: company templates are not listed to them.
    const listed = (await as(t, reader)('GET', '/api/v1/document-templates')).json<DocumentTemplateList>().items;
    expect(new Set(listed.map((item) => item.object))).toEqual(new Set(['contact']));
  });

  it('renames with the version, refuses a stale one, and archives: an archived template no longer generates', async () => {
    const template = (await upload(admin, { name: 'Old name', object: 'contact', fileName: 't.docx' }, docxOf(['Hi {name}']))).json<DocumentTemplate>();
    const renamed = await as(t, admin)('PATCH', `/api/v1/document-templates/${template.id}`, { name: 'New name', version: template.version });
    expect(renamed.json<DocumentTemplate>()).toMatchObject({ name: 'New name', version: template.version + 1 });
    const stale = await as(t, admin)('PATCH', `/api/v1/document-templates/${template.id}`, { name: 'Lost', version: template.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<Problem>().currentVersion).toBe(template.version + 1);

    const downloaded = await as(t, admin)('GET', `/api/v1/document-templates/${template.id}/file`);
    expect(docxText(downloaded.rawPayload)).toEqual(['Hi {name}']);

    expect((await as(t, admin)('DELETE', `/api/v1/document-templates/${template.id}`)).statusCode).toBe(204);
    const person = (await as(t, admin)('POST', '/api/v1/contacts', { firstName: 'Late' })).json<Contact>();
    const refused = await generate(admin, 'contact', person.id, { templateId: template.id, format: 'docx' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<Problem>().errors?.[0]?.path).toBe('/body/templateId');
    // A template for another kind of record is refused the same way.
    const companyTemplate = (await upload(admin, { name: 'Co', object: 'company', fileName: 'c.docx' }, docxOf(['{name}']))).json<DocumentTemplate>();
    expect((await generate(admin, 'contact', person.id, { templateId: companyTemplate.id, format: 'docx' })).statusCode).toBe(400);
    expect((await generate(admin, 'contact', person.id, { templateId: companyTemplate.id, format: 'odt' })).json<Problem>().errors?.[0]?.path).toBe('/body/format');
  });
});
