import type { Company, Contact, Lead, SearchResult, TimelineEntry } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

describe('client base (smoke of the main flows)', () => {
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t, { locale: 'ru', workspaceName: 'Ромашка' });
  });
  afterAll(() => t.close());

  it('creates a company with people, finds a person by phone in another format, and shows the history', async () => {
    const api = as(t, admin);
    const created = await api('POST', '/api/v1/companies', { name: 'ООО Вектор', inn: '7701234567', industry: 'Retail', phones: [{ number: '+7 495 123-45-67' }] });
    expect(created.statusCode).toBe(201);
    const company = created.json<Company>();
    const person = await api('POST', '/api/v1/contacts', { firstName: 'Иван', lastName: 'Иванов', phones: [{ type: 'mobile', number: '8 (916) 123-45-67' }], companies: [{ companyId: company.id, role: 'director' }] });
    expect(person.statusCode).toBe(201);
    const contact = person.json<Contact>();
    expect(contact.phones[0]!.e164).toBe('+79161234567');
    expect(contact.companies).toEqual([expect.objectContaining({ companyId: company.id, role: 'director', isPrimary: true })]);

    for (const q of ['9161234567', '+7 916 1234567', 'Иванову']) {
      const found = (await api('GET', `/api/v1/search?q=${encodeURIComponent(q)}`)).json<SearchResult>();
      expect(found.groups.flatMap((g) => g.items).map((i) => i.id), q).toContain(contact.id);
    }
    const latin = (await api('POST', '/api/v1/contacts', { firstName: 'Ivan', lastName: 'Ivanov' })).json<Contact>();
    const typo = (await api('GET', '/api/v1/search?q=Ivnaov')).json<SearchResult>();
    expect(typo.groups.flatMap((g) => g.items).map((i) => i.id)).toContain(latin.id);
    const byInn = (await api('GET', '/api/v1/search?q=7701234567')).json<SearchResult>();
    expect(byInn.groups.flatMap((g) => g.items)).toContainEqual(expect.objectContaining({ id: company.id, matched: 'tax_id' }));

    const people = (await api('GET', `/api/v1/contacts?filter=${encodeURIComponent(JSON.stringify({ field: 'companyId', op: 'eq', value: company.id }))}`)).json<{ items: Contact[]; total: { value: number } }>();
    expect(people.items.map((c) => c.id)).toEqual([contact.id]);
    const retail = (await api('GET', `/api/v1/contacts?filter=${encodeURIComponent(JSON.stringify({ field: 'company.industry', op: 'eq', value: 'Retail' }))}`)).json<{ items: Contact[] }>();
    expect(retail.items.map((c) => c.id)).toEqual([contact.id]);

    const edited = await api('PATCH', `/api/v1/companies/${company.id}`, { industry: 'Wholesale', version: company.version });
    expect(edited.statusCode).toBe(200);
    const stale = await api('PATCH', `/api/v1/companies/${company.id}`, { industry: 'Food', version: company.version });
    expect(stale.statusCode).toBe(409);
    const note = await api('POST', `/api/v1/timeline/company/${company.id}/notes`, { body: 'Позвонить в понедельник' });
    expect(note.statusCode).toBe(201);
    const timeline = (await api('GET', `/api/v1/timeline/company/${company.id}`)).json<{ items: TimelineEntry[] }>();
    expect(timeline.items.map((e) => e.kind)).toEqual(['note', 'updated', 'created']);
    expect(timeline.items[1]!.changes).toEqual({ industry: { from: 'Retail', to: 'Wholesale' } });
  });

  it('refuses an unreadable phone naming the field, or keeps it in a note when asked', async () => {
    const api = as(t, admin);
    const refused = await api('POST', '/api/v1/contacts', { firstName: 'Пётр', phones: [{ number: 'call me' }] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(['/body/phones/0/number']);
    const kept = await api('POST', '/api/v1/contacts', { firstName: 'Пётр', phones: [{ number: 'call me' }], keepInvalidAsNote: true });
    expect(kept.statusCode).toBe(201);
    const timeline = (await api('GET', `/api/v1/timeline/contact/${kept.json<Contact>().id}`)).json<{ items: TimelineEntry[] }>();
    expect(timeline.items.find((e) => e.kind === 'note')?.body).toContain('call me');
  });

  it('filters by a custom select field, warns of duplicates, merges them with their notes', async () => {
    const api = as(t, admin);
    const field = await api('POST', '/api/v1/custom-fields', { object: 'contact', key: 'loyalty', label: 'Уровень лояльности', kind: 'select', options: [{ value: 'gold', label: 'Золото' }, { value: 'silver', label: 'Серебро' }] });
    expect(field.statusCode).toBe(201);
    const wrong = await api('POST', '/api/v1/contacts', { firstName: 'Анна', custom: { loyalty: 'platinum' } });
    expect(wrong.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(['/body/custom/loyalty']);
    const anna = (await api('POST', '/api/v1/contacts', { firstName: 'Анна', lastName: 'Петрова', emails: [{ email: 'Anna@Example.com' }], custom: { loyalty: 'gold' } })).json<Contact>();
    const gold = (await api('GET', `/api/v1/contacts?filter=${encodeURIComponent(JSON.stringify({ field: 'custom.loyalty', op: 'eq', value: 'gold' }))}`)).json<{ items: Contact[] }>();
    expect(gold.items.map((c) => c.id)).toEqual([anna.id]);

    const dupes = (await api('POST', '/api/v1/contacts/duplicates', { name: 'Анна Петрова', emails: [{ email: 'anna@example.com' }] })).json<{ items: { id: string; reasons: string[] }[] }>();
    expect(dupes.items).toContainEqual(expect.objectContaining({ id: anna.id, reasons: ['email'] }));

    const twin = (await api('POST', '/api/v1/contacts', { firstName: 'Анна', lastName: 'Петрова', phones: [{ number: '+7 903 000-11-22' }] })).json<Contact>();
    await api('POST', `/api/v1/timeline/contact/${twin.id}/notes`, { body: 'Заметка на дубле' });
    const merged = await api('POST', '/api/v1/contacts/merge', { survivorId: anna.id, mergedIds: [twin.id] });
    expect(merged.statusCode).toBe(200);
    expect(merged.json<Contact>().phones.map((p) => p.e164)).toEqual(['+79030001122']);
    const timeline = (await api('GET', `/api/v1/timeline/contact/${anna.id}`)).json<{ items: TimelineEntry[] }>();
    expect(timeline.items.filter((e) => e.kind === 'note').map((e) => e.body)).toContain('Заметка на дубле');
    expect((await api('GET', `/api/v1/contacts/${twin.id}`)).statusCode).toBe(404);
  });

  it('converts a lead into a contact linked to an existing company, without a duplicate company', async () => {
    const api = as(t, admin);
    const company = (await api('POST', '/api/v1/companies', { name: 'Альфа Трейд' })).json<Company>();
    const lead = (await api('POST', '/api/v1/leads', { name: 'Сергей Кузнецов', companyName: 'Альфа Трейд', source: 'website', phones: [{ number: '+7 926 555-44-33' }] })).json<Lead>();
    await api('POST', `/api/v1/timeline/lead/${lead.id}/notes`, { body: 'Просил перезвонить' });
    const preview = (await api('GET', `/api/v1/leads/${lead.id}/convert-preview`)).json<{ companies: { id: string }[] }>();
    expect(preview.companies.map((c) => c.id)).toContain(company.id);
    const converted = await api('POST', `/api/v1/leads/${lead.id}/convert`, { contact: { mode: 'new' }, company: { mode: 'existing', id: company.id }, version: lead.version });
    expect(converted.statusCode).toBe(200);
    const { contactId } = converted.json<{ contactId: string }>();
    const contact = (await api('GET', `/api/v1/contacts/${contactId}`)).json<Contact>();
    expect(contact).toMatchObject({ firstName: 'Сергей', lastName: 'Кузнецов', source: 'lead' });
    expect(contact.companies.map((c) => c.companyId)).toEqual([company.id]);
    const notes = (await api('GET', `/api/v1/timeline/contact/${contactId}?kind=note`)).json<{ items: TimelineEntry[] }>();
    expect(notes.items.map((e) => e.body)).toContain('Просил перезвонить');
    const companies = (await api('GET', '/api/v1/companies?q=альфа')).json<{ items: Company[] }>();
    expect(companies.items).toHaveLength(1);
  });

  it("shows a sales rep with 'own' scope only their records, in lists, search and cards", async () => {
    const rep = await addUser(t, admin, { role: 'Менеджер по продажам' });
    const theirs = (await as(t, rep)('POST', '/api/v1/contacts', { firstName: 'Ольга', lastName: 'Своя' })).json<Contact>();
    const others = (await as(t, admin)('POST', '/api/v1/contacts', { firstName: 'Ольга', lastName: 'Чужая' })).json<Contact>();
    const list = (await as(t, rep)('GET', '/api/v1/contacts?limit=200')).json<{ items: Contact[] }>();
    expect(list.items.map((c) => c.id)).toEqual([theirs.id]);
    const found = (await as(t, rep)('GET', '/api/v1/search?q=ольга')).json<SearchResult>();
    expect(found.groups.flatMap((g) => g.items).map((i) => i.id)).toEqual([theirs.id]);
    expect((await as(t, rep)('GET', `/api/v1/contacts/${others.id}`)).statusCode).toBe(404);
    expect((await as(t, rep)('PATCH', `/api/v1/contacts/${others.id}`, { position: 'x', version: 1 })).statusCode).toBe(404);
    const merge = await as(t, rep)('POST', '/api/v1/contacts/merge', { survivorId: theirs.id, mergedIds: [others.id] });
    expect(merge.statusCode).toBe(404);
    expect((await as(t, admin)('GET', `/api/v1/contacts/${others.id}`)).statusCode).toBe(200);
  });

  it('deletes to the recycle bin and restores', async () => {
    const api = as(t, admin);
    const company = (await api('POST', '/api/v1/companies', { name: 'Удаляемая' })).json<Company>();
    expect((await api('DELETE', `/api/v1/companies/${company.id}`)).statusCode).toBe(204);
    const bin = (await api('GET', '/api/v1/recycle-bin?object=company')).json<{ items: { id: string }[] }>();
    expect(bin.items.map((i) => i.id)).toContain(company.id);
    const restored = await api('POST', `/api/v1/companies/${company.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect((await api('GET', `/api/v1/companies/${company.id}`)).statusCode).toBe(200);
  });
});
