import type { AuditEntry, Deal, Lead, LeadIntakeResult, Notification, PageOf, Pipeline, Problem, PublicWebForm, Task, TimelineEntry, WebForm, WebFormSubmission } from '@rapport/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, anonymous, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

/** The workspace is Russian (its notes are), its people read English (their tasks are). */
const REP = 'Менеджер по продажам';
const problem = (response: LightMyRequestResponse) => ({ status: response.statusCode, code: response.json<Problem>().code, paths: response.json<Problem>().errors?.map((error) => error.path) ?? [] });

describe('lead capture web forms', () => {
  let t: TestApp;
  let admin: Session;
  let anna: Session;
  let boris: Session;
  let teamId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t, { locale: 'ru' });
    teamId = (await as(t, admin)('POST', '/api/v1/teams', { name: 'Website desk' })).json<{ id: string }>().id;
    anna = await addUser(t, admin, { role: REP, teamId, name: 'Anna' });
    boris = await addUser(t, admin, { role: REP, teamId, name: 'Boris' });
  });
  afterAll(() => t.close());

  const FIELDS = [
    { key: 'name', label: 'Your name', required: true },
    { key: 'phone', label: 'Phone', required: true },
    { key: 'email', label: 'E-mail', required: false },
    { key: 'description', label: 'What do you need?', required: false },
  ];
  const createForm = async (body: Record<string, unknown> = {}) => {
    const response = await as(t, admin)('POST', '/api/v1/web-forms', { name: 'Windows request', fields: FIELDS, assignment: { mode: 'round_robin', teamId }, successMessage: 'Спасибо!', ...body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<WebForm>();
  };
  const submit = (formId: string, body: Record<string, string>, options: { ip?: string; headers?: Record<string, string> } = {}) => anonymous(t, 'POST', `/api/v1/public/forms/${formId}/submissions`, body, options);
  const byPhone = (object: 'leads' | 'contacts', e164: string) => `/api/v1/${object}?filter=${encodeURIComponent(JSON.stringify({ field: 'phone', op: 'eq', value: e164 }))}`;
  const leadsWithPhone = async (e164: string) => (await as(t, admin)('GET', byPhone('leads', e164))).json<{ items: { id: string }[] }>().items;

  it('turns a website request into a lead, its owner, a callback task due in 15 minutes and a notice, with UTM tags; a form-encoded post works too', async () => {
    const form = await createForm({ assignment: { mode: 'user', userId: anna.userId } });
    const before = Date.now();
    const response = await submit(form.id, { name: 'Пётр Окнов', phone: '8 (912) 345-67-89', email: 'Petr@Example.com', description: 'Три окна', utm_source: 'yandex', utm_campaign: 'spring', referrer: 'https://ya.ru/', page_url: 'https://okna.example/?utm_source=yandex', unknown_extra: 'x' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ ok: true, message: 'Спасибо!', redirectUrl: null });

    const [submission] = (await as(t, admin)('GET', `/api/v1/web-forms/${form.id}/submissions`)).json<PageOf<WebFormSubmission>>().items;
    expect(submission).toMatchObject({ leadName: 'Пётр Окнов', ownerId: anna.userId, ownerName: 'Anna', matchedContactId: null, utm: { utm_source: 'yandex', utm_campaign: 'spring' }, referrer: 'https://ya.ru/' });
    const lead = (await as(t, anna)('GET', `/api/v1/leads/${submission!.leadId}`)).json<Lead>();
    expect(lead).toMatchObject({ name: 'Пётр Окнов', source: 'website', ownerId: anna.userId, teamId, description: 'Три окна', utm: { utm_source: 'yandex', utm_campaign: 'spring' }, createdBy: null });
    expect(lead.phones[0]!.e164).toBe('+79123456789');
    expect(lead.emails[0]!.email).toBe('petr@example.com');

    const tasks = (await as(t, anna)('GET', `/api/v1/tasks?subjectType=lead&subjectId=${lead.id}`)).json<PageOf<Task>>().items;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ title: 'Call back within 15 minutes: Пётр Окнов', ownerId: anna.userId, priority: 'high', status: 'open' });
    const due = new Date(tasks[0]!.dueAt!).getTime();
    expect(due).toBeGreaterThanOrEqual(before + 15 * 60_000 - 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + 15 * 60_000 + 1000);

    const notices = (await as(t, anna)('GET', '/api/v1/notifications')).json<PageOf<Notification>>().items;
    expect(notices.find((n) => n.messageKey === 'notifications.webFormLead')).toMatchObject({ link: `/leads/${lead.id}`, params: { lead: 'Пётр Окнов', form: 'Windows request' } });

    const encoded = await anonymous(t, 'POST', `/api/v1/public/forms/${form.id}/submissions`, 'name=Mary+Frame&phone=%2B7+912+000-11-22', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(encoded.statusCode, encoded.body).toBe(200);
    expect(await leadsWithPhone('+79120001122')).toHaveLength(1);
    // The rest of the API stays JSON-only.
    expect((await as(t, admin)('POST', '/api/v1/teams', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' })).statusCode).toBe(415);
  });

  it('recognises an existing contact by a differently written phone: links the lead, notes both timelines, creates no contact', async () => {
    const contact = (await as(t, admin)('POST', '/api/v1/contacts', { firstName: 'Ольга', lastName: 'Старая', phones: [{ number: '+7 912 555-44-33' }] })).json<{ id: string }>();
    const form = await createForm();
    const response = await submit(form.id, { name: 'Ольга', phone: '89125554433' });
    expect(response.statusCode, response.body).toBe(200);
    expect(await leadsWithPhone('+79125554433')).toHaveLength(1);
    const contacts = (await as(t, admin)('GET', byPhone('contacts', '+79125554433'))).json<{ items: unknown[] }>().items;
    expect(contacts).toHaveLength(1);

    const [submission] = (await as(t, admin)('GET', `/api/v1/web-forms/${form.id}/submissions`)).json<PageOf<WebFormSubmission>>().items;
    expect(submission).toMatchObject({ matchedContactId: contact.id, matchedContactName: 'Ольга Старая' });
    const lead = (await as(t, admin)('GET', `/api/v1/leads/${submission!.leadId}`)).json<Lead>();
    expect(lead.matchedContactId).toBe(contact.id);
    const leadTimeline = (await as(t, admin)('GET', `/api/v1/timeline/lead/${lead.id}`)).json<PageOf<TimelineEntry>>().items;
    expect(leadTimeline.find((entry) => entry.kind === 'note')?.body).toBe('Узнан существующий контакт Ольга Старая (по телефону): новый контакт не создан.');
    const contactTimeline = (await as(t, admin)('GET', `/api/v1/timeline/contact/${contact.id}`)).json<PageOf<TimelineEntry>>().items;
    expect(contactTimeline.find((entry) => entry.kind === 'note')?.body).toBe('Новая заявка с веб-формы «Windows request»: лид Ольга.');
  });

  it('rotates round-robin owners through the team, and least-loaded picks the member with the fewest open leads', async () => {
    const form = await createForm();
    const owners: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      expect((await submit(form.id, { name: `Visitor ${i}`, phone: `+7 912 100-00-0${i}` })).statusCode).toBe(200);
    }
    for (const item of (await as(t, admin)('GET', `/api/v1/web-forms/${form.id}/submissions`)).json<PageOf<WebFormSubmission>>().items.reverse()) owners.push(item.ownerId);
    expect(new Set(owners)).toEqual(new Set([anna.userId, boris.userId]));
    expect(owners[0]).not.toBe(owners[1]);
    expect(owners[2]).toBe(owners[0]);
    expect(owners[3]).toBe(owners[1]);

    const carol = await addUser(t, admin, { role: REP, teamId, name: 'Carol' });
    const fair = await createForm({ name: 'Least loaded', assignment: { mode: 'least_loaded', teamId } });
    expect((await submit(fair.id, { name: 'First for Carol', phone: '+7 912 200-00-01' })).statusCode).toBe(200);
    const [first] = (await as(t, admin)('GET', `/api/v1/web-forms/${fair.id}/submissions`)).json<PageOf<WebFormSubmission>>().items;
    expect(first!.ownerId).toBe(carol.userId);
  });

  it('honeypot: a bot gets the usual answer and nothing is created', async () => {
    const form = await createForm();
    const response = await submit(form.id, { name: 'Bot', phone: '+7 912 999-99-99', website: 'http://spam.example' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true, message: 'Спасибо!', redirectUrl: null });
    expect(await leadsWithPhone('+79129999999')).toEqual([]);
    expect((await as(t, admin)('GET', `/api/v1/web-forms/${form.id}`)).json<WebForm>().submissionCount).toBe(0);
  });

  it('refuses missing and unreadable fields with their paths, and writes nothing', async () => {
    const form = await createForm();
    expect(problem(await submit(form.id, { email: 'not-an-email' }))).toEqual({ status: 400, code: 'validation', paths: ['/body/name', '/body/phone', '/body/email'] });
    expect(problem(await submit(form.id, { name: 'X', phone: '12' }))).toEqual({ status: 400, code: 'validation', paths: ['/body/phone'] });
    expect((await as(t, admin)('GET', `/api/v1/web-forms/${form.id}`)).json<WebForm>().submissionCount).toBe(0);

    // A lead custom field's own check runs inside the intake's transaction: its refusal names the form's key, and nothing stays behind.
    expect((await as(t, admin)('POST', '/api/v1/custom-fields', { object: 'lead', key: 'budget', label: 'Budget', kind: 'number' })).statusCode).toBe(201);
    const withBudget = await createForm({ fields: [...FIELDS, { key: 'custom.budget', label: 'Budget', required: false }] });
    expect(problem(await submit(withBudget.id, { name: 'Budgeted', phone: '+7 912 800-00-00', 'custom.budget': 'a lot' }))).toEqual({ status: 400, code: 'validation', paths: ['/body/custom.budget'] });
    expect(await leadsWithPhone('+79128000000')).toEqual([]);
    expect((await submit(withBudget.id, { name: 'Budgeted', phone: '+7 912 800-00-00', 'custom.budget': '1500' })).statusCode).toBe(200);
    const [lead] = await leadsWithPhone('+79128000000');
    expect((await as(t, admin)('GET', `/api/v1/leads/${lead!.id}`)).json<Lead>().custom).toEqual({ budget: 1500 });
  });

  it('a disabled or deleted form answers 404 to the public, and the embed script and definition are served', async () => {
    const form = await createForm();
    const definition = await anonymous(t, 'GET', `/api/v1/public/forms/${form.id}`);
    expect(definition.json<PublicWebForm>()).toMatchObject({ honeypot: 'website', fields: [{ key: 'name', input: 'text', required: true }, { key: 'phone', input: 'tel' }, { key: 'email', input: 'email' }, { key: 'description', input: 'textarea' }], texts: { submit: 'Отправить' } });
    const script = await anonymous(t, 'GET', '/embed/forms.js');
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(script.body).toContain('data-rapport-form');

    const off = await as(t, admin)('PATCH', `/api/v1/web-forms/${form.id}`, { enabled: false }, { 'if-match': String(form.version) });
    expect(off.statusCode, off.body).toBe(200);
    expect(problem(await submit(form.id, { name: 'Late', phone: '+7 912 300-00-00' })).status).toBe(404);
    expect((await anonymous(t, 'GET', `/api/v1/public/forms/${form.id}`)).statusCode).toBe(404);
    expect((await as(t, admin)('DELETE', `/api/v1/web-forms/${form.id}`)).statusCode).toBe(204);
    expect((await as(t, admin)('GET', '/api/v1/web-forms')).json<{ items: WebForm[] }>().items.map((f) => f.id)).not.toContain(form.id);
  });

  it('CORS: pages of an allowed origin may read the answer, other sites are refused', async () => {
    const form = await createForm({ allowedOrigins: ['https://okna.example'] });
    const preflight = await anonymous(t, 'OPTIONS', `/api/v1/public/forms/${form.id}/submissions`, undefined, { headers: { origin: 'https://okna.example', 'access-control-request-method': 'POST' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://okna.example');
    const ok = await submit(form.id, { name: 'From the site', phone: '+7 912 400-00-00' }, { headers: { origin: 'https://okna.example' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('https://okna.example');
    expect(problem(await submit(form.id, { name: 'Elsewhere', phone: '+7 912 400-00-01' }, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
  });

  it('limits a flood from one address to 10 a minute: 429 with Retry-After', async () => {
    const form = await createForm();
    const ip = '203.0.113.7';
    for (let i = 0; i < 10; i += 1) expect((await submit(form.id, { name: 'Bot', phone: '+7 912 500-00-00', website: 'x' }, { ip })).statusCode).toBe(200);
    const refused = await submit(form.id, { name: 'Bot', phone: '+7 912 500-00-00', website: 'x' }, { ip });
    expect(problem(refused)).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another address, or another form, is not held back.
    expect((await submit(form.id, { name: 'Person', phone: '+7 912 500-00-01' })).statusCode).toBe(200);
  });

  it('validates the form definition, versions edits (409 / 412) and audits them; a non-admin may not edit forms', async () => {
    const api = as(t, admin);
    expect(problem(await api('POST', '/api/v1/web-forms', { name: 'No way back', fields: [{ key: 'name', label: 'Name', required: true }], assignment: { mode: 'user', userId: anna.userId } }))).toEqual({ status: 400, code: 'validation', paths: ['/body/fields'] });
    expect(problem(await api('POST', '/api/v1/web-forms', { name: 'Twice', fields: [{ key: 'phone', label: 'A', required: true }, { key: 'phone', label: 'B', required: false }, { key: 'custom.nope', label: 'C', required: false }], assignment: { mode: 'round_robin' } }))).toEqual({
      status: 400,
      code: 'validation',
      paths: ['/body/fields/1/key', '/body/fields/2/key', '/body/assignment/teamId'],
    });
    expect(problem(await api('POST', '/api/v1/web-forms', { name: 'Bad', fields: FIELDS, assignment: { mode: 'user', userId: anna.userId }, allowedOrigins: ['okna.example/path'] })).paths).toEqual(['/body/allowedOrigins/0']);

    const form = await createForm();
    const renamed = await api('PATCH', `/api/v1/web-forms/${form.id}`, { name: 'Renamed', version: form.version });
    expect(renamed.json<WebForm>()).toMatchObject({ name: 'Renamed', version: 2 });
    expect(problem(await api('PATCH', `/api/v1/web-forms/${form.id}`, { name: 'Stale', version: form.version }))).toMatchObject({ status: 409, code: 'version_conflict' });
    expect(problem(await api('PATCH', `/api/v1/web-forms/${form.id}`, { name: 'Stale' }, { 'if-match': '"1"' }))).toMatchObject({ status: 412 });

    expect((await as(t, anna)('GET', '/api/v1/web-forms')).statusCode).toBe(403);
    expect((await as(t, anna)('PATCH', `/api/v1/web-forms/${form.id}`, { name: 'Mine', version: 2 })).statusCode).toBe(403);
    expect((await as(t, anna)('POST', '/api/v1/web-forms', { name: 'Mine', fields: FIELDS, assignment: { mode: 'user', userId: anna.userId } })).statusCode).toBe(403);

    const audit = (await api('GET', `/api/v1/audit?objectType=web_form&objectId=${form.id}`)).json<PageOf<AuditEntry>>().items;
    expect(audit.map((entry) => entry.action)).toEqual(['web_form.update', 'web_form.create']);
    expect(audit[0]!.changes).toEqual({ name: { from: 'Windows request', to: 'Renamed' } });

    await submit(form.id, { name: 'Audited', phone: '+7 912 600-00-00' });
    const [submitted] = (await api('GET', `/api/v1/audit?objectType=web_form&objectId=${form.id}&action=web_form.submit`)).json<PageOf<AuditEntry>>().items;
    expect(submitted).toMatchObject({ actorId: null, meta: { source: 'website' } });
    const actorType = await t.database.db.selectFrom('audit_log').select('actor_type').where('action', '=', 'web_form.submit').where('object_id', '=', form.id).executeTakeFirstOrThrow();
    expect(actorType.actor_type).toBe('form');
  });

  it('takes the same intake through the API with a key, under the form rules, audited as the key', async () => {
    const form = await createForm({ assignment: { mode: 'user', userId: boris.userId } });
    const key = (await as(t, admin)('POST', '/api/v1/api-keys', { name: 'Chat bot', permissions: { lead: { create: 'own' } } })).json<{ secret: string }>().secret;
    const bearer = { authorization: `Bearer ${key}` };
    const response = await anonymous(t, 'POST', '/api/v1/leads/intake', { formId: form.id, values: { name: 'From chat', phone: '+7 912 700-00-00', utm_source: 'telegram' }, source: 'other' }, { headers: bearer });
    expect(response.statusCode, response.body).toBe(201);
    const result = response.json<LeadIntakeResult>();
    expect(result).toMatchObject({ ownerId: boris.userId, matchedContactId: null });
    const lead = (await as(t, boris)('GET', `/api/v1/leads/${result.leadId}`)).json<Lead>();
    expect(lead).toMatchObject({ source: 'other', utm: { utm_source: 'telegram' } });
    expect((await as(t, boris)('GET', `/api/v1/tasks/${result.taskId}`)).json<Task>()).toMatchObject({ ownerId: boris.userId });
    expect(problem(await anonymous(t, 'POST', '/api/v1/leads/intake', { formId: form.id, values: { name: 'No phone' } }, { headers: bearer }))).toEqual({ status: 400, code: 'validation', paths: ['/body/values/phone'] });
  });

  it('a form that opens deals: the request becomes the existing contact and company and a deal in the first stage of the pipeline, with the callback task on the deal', async () => {
    const pipeline = (await as(t, admin)('POST', '/api/v1/pipelines', { name: 'Окна', stages: [{ name: 'Первый звонок', color: '#339af0', probability: 10, kind: 'open' }, { name: 'Замер', color: '#339af0', probability: 40, kind: 'open' }, { name: 'Успех', color: '#40c057', probability: 100, kind: 'won' }, { name: 'Отказ', color: '#868e96', probability: 0, kind: 'lost' }] })).json<Pipeline>();
    const bad = await as(t, admin)('POST', '/api/v1/web-forms', { name: 'Bad', fields: FIELDS, assignment: { mode: 'user', userId: anna.userId }, dealPipelineId: '01900000-0000-7000-8000-000000000000' });
    expect(problem(bad)).toEqual({ status: 400, code: 'validation', paths: ['/body/dealPipelineId'] });
    const form = await createForm({ fields: [...FIELDS, { key: 'companyName', label: 'Company', required: false }], assignment: { mode: 'user', userId: anna.userId }, dealPipelineId: pipeline.id });
    expect(form.dealPipelineId).toBe(pipeline.id);
    const company = (await as(t, admin)('POST', '/api/v1/companies', { name: 'Стеклодом' })).json<{ id: string }>();
    const contact = (await as(t, admin)('POST', '/api/v1/contacts', { firstName: 'Игорь', lastName: 'Рамов', phones: [{ number: '+7 913 222-33-44' }] })).json<{ id: string }>();

    const response = await submit(form.id, { name: 'Игорь Рамов', phone: '8 913 2223344', companyName: 'Стеклодом', description: 'Балкон' });
    expect(response.statusCode, response.body).toBe(200);
    const [submission] = (await as(t, admin)('GET', `/api/v1/web-forms/${form.id}/submissions`)).json<PageOf<WebFormSubmission>>().items;
    expect(submission).toMatchObject({ matchedContactId: contact.id, dealTitle: 'Стеклодом' });
    const deal = (await as(t, anna)('GET', `/api/v1/deals/${submission!.dealId}`)).json<Deal>();
    expect(deal).toMatchObject({ pipelineId: pipeline.id, stageId: pipeline.stages[0]!.id, companyId: company.id, ownerId: anna.userId, source: 'website', description: 'Балкон' });
    expect(deal.contacts.map((link) => link.contactId)).toEqual([contact.id]);
    const lead = (await as(t, anna)('GET', `/api/v1/leads/${submission!.leadId}`)).json<Lead>();
    expect(lead).toMatchObject({ status: 'qualified' });
    const tasks = (await as(t, anna)('GET', `/api/v1/tasks?subjectType=deal&subjectId=${deal.id}`)).json<PageOf<Task>>().items;
    expect(tasks.map((task) => task.title)).toEqual(['Call back within 15 minutes: Игорь Рамов']);
    const notices = (await as(t, anna)('GET', '/api/v1/notifications')).json<PageOf<Notification>>().items;
    expect(notices.find((n) => n.messageKey === 'notifications.webFormLead' && n.params.lead === 'Игорь Рамов')).toMatchObject({ link: `/deals/${deal.id}` });
    // Nothing was duplicated: still one company of that name, one contact with that phone.
    expect((await as(t, admin)('GET', byPhone('contacts', '+79132223344'))).json<{ items: unknown[] }>().items).toHaveLength(1);
    const companies = (await as(t, admin)('GET', `/api/v1/companies?filter=${encodeURIComponent(JSON.stringify({ field: 'name', op: 'eq', value: 'Стеклодом' }))}`)).json<{ items: unknown[] }>().items;
    expect(companies).toHaveLength(1);

    // A new person with no company becomes a new contact and a deal named after them.
    const fresh = (await as(t, admin)('POST', '/api/v1/leads/intake', { formId: form.id, values: { name: 'Нина Новая', phone: '+7 913 000-00-01' } })).json<LeadIntakeResult>();
    expect(fresh.contactId).not.toBeNull();
    expect((await as(t, admin)('GET', `/api/v1/deals/${fresh.dealId}`)).json<Deal>()).toMatchObject({ title: 'Нина Новая', companyId: null, stageId: pipeline.stages[0]!.id });
  });
});
