import type { BulkResult, Contact, ObjectField, Problem, RecordIds, SearchResult } from '@rapport/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

const filterParam = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`;

describe('record lists: custom-field sort, select all matching, bulk rights, structured problems', () => {
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
  });
  afterAll(() => t.close());

  it('sorts by a filterable custom number field, negatives and empties in value order, across pages', async () => {
    const api = as(t, admin);
    expect((await api('POST', '/api/v1/custom-fields', { object: 'contact', key: 'score', label: 'Score', kind: 'number', filterable: true })).statusCode).toBe(201);
    expect((await api('POST', '/api/v1/custom-fields', { object: 'contact', key: 'memo', label: 'Memo', kind: 'text', filterable: false })).statusCode).toBe(201);
    const scores = [10, -5, 9, 100, -20, 0.5];
    for (const [i, score] of scores.entries()) {
      expect((await api('POST', '/api/v1/contacts', { firstName: 'Sorted', lastName: `N${i}`, custom: { score } })).statusCode).toBe(201);
    }
    await api('POST', '/api/v1/contacts', { firstName: 'Sorted', lastName: 'Unscored' });

    const fields = (await api('GET', '/api/v1/objects/contact/fields')).json<{ items: ObjectField[] }>().items;
    expect(fields.find((f) => f.key === 'custom.score')).toMatchObject({ sortable: true, target: null });
    expect(fields.find((f) => f.key === 'custom.memo')).toMatchObject({ sortable: false });
    expect(fields.find((f) => f.key === 'teamId')).toMatchObject({ target: 'team' });
    expect(fields.find((f) => f.key === 'ownerId')).toMatchObject({ target: 'user' });
    expect(fields.find((f) => f.key === 'companyId')).toMatchObject({ target: 'company' });

    const seen: (number | undefined)[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/contacts?q=Sorted&sort=custom.score&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await api('GET', url)).json<{ items: Contact[]; nextCursor: string | null }>();
      seen.push(...page.items.map((c) => c.custom.score as number | undefined));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([undefined, -20, -5, 0.5, 9, 10, 100]);

    const desc = (await api('GET', '/api/v1/contacts?q=Sorted&sort=-custom.score&limit=2')).json<{ items: Contact[] }>();
    expect(desc.items.map((c) => c.custom.score)).toEqual([100, 10]);
    const refused = await api('GET', '/api/v1/contacts?sort=custom.memo');
    expect(refused.statusCode).toBe(400);
    expect(refused.json<Problem>().errors?.[0]?.path).toBe('/query/sort');
  });

  it("filters people by their companies' industry as the companies change, are unlinked, binned, restored and merged", async () => {
    const api = as(t, admin);
    const company = async (name: string, industry?: string) => (await api('POST', '/api/v1/companies', { name, ...(industry ? { industry } : {}) })).json<{ id: string; version: number }>();
    const dairy = await company('Industry Dairy', 'Dairy');
    const bakery = await company('Industry Bakery', 'Bakery');
    const plain = await company('Industry Plain');
    const person = async (lastName: string, companyIds: string[]) => (await api('POST', '/api/v1/contacts', { firstName: 'Industry', lastName, companies: companyIds.map((companyId) => ({ companyId })) })).json<Contact>();
    const both = await person('Both', [dairy.id, bakery.id]);
    await person('Milk', [dairy.id]);
    await person('None', [plain.id]);
    const names = async (filter: unknown) => (await api('GET', `/api/v1/contacts?q=Industry&sort=name&${filterParam(filter)}`)).json<{ items: Contact[] }>().items.map((c) => c.lastName);

    expect(await names({ field: 'company.industry', op: 'eq', value: 'Dairy' })).toEqual(['Both', 'Milk']);
    expect(await names({ field: 'company.industry', op: 'in', value: ['Bakery', 'Fishing'] })).toEqual(['Both']);
    expect(await names({ field: 'company.industry', op: 'neq', value: 'Dairy' })).toEqual(['None']);
    expect(await names({ field: 'company.industry', op: 'contains', value: 'aker' })).toEqual(['Both']);
    expect(await names({ field: 'company.industry', op: 'empty' })).toEqual(['None']);

    const renamed = await api('PATCH', `/api/v1/companies/${plain.id}`, { industry: 'Dairy', version: plain.version });
    expect(renamed.statusCode).toBe(200);
    expect(await names({ field: 'company.industry', op: 'eq', value: 'Dairy' })).toEqual(['Both', 'Milk', 'None']);

    const unlinked = await api('PATCH', `/api/v1/contacts/${both.id}`, { companies: [{ companyId: bakery.id }], version: both.version });
    expect(unlinked.statusCode).toBe(200);
    expect(await names({ field: 'company.industry', op: 'eq', value: 'Dairy' })).toEqual(['Milk', 'None']);

    expect((await api('DELETE', `/api/v1/companies/${bakery.id}`)).statusCode).toBe(204);
    expect(await names({ field: 'company.industry', op: 'eq', value: 'Bakery' })).toEqual([]);
    expect((await api('POST', `/api/v1/companies/${bakery.id}/restore`)).statusCode).toBe(200);
    expect(await names({ field: 'company.industry', op: 'eq', value: 'Bakery' })).toEqual(['Both']);

    // Merging the dairy into the bakery moves its people, who now work in baking.
    const merged = await api('POST', '/api/v1/companies/merge', { survivorId: bakery.id, mergedIds: [dairy.id] });
    expect(merged.statusCode).toBe(200);
    expect(await names({ field: 'company.industry', op: 'eq', value: 'Bakery' })).toEqual(['Both', 'Milk']);
    expect(await names({ field: 'company.industry', op: 'eq', value: 'Dairy' })).toEqual(['None']);
  });

  it('says "1,000+" for a big list without counting it, and counts a small one exactly whatever the planner expected', async () => {
    const api = as(t, admin);
    // A base of 12,000 people (a bulk load, as an import would leave it), with fresh statistics.
    await sql`INSERT INTO contact (workspace_id, id, first_name, last_name, full_name, search_name, owner_id, tags)
      SELECT ${admin.workspaceId}::uuid, gen_random_uuid(), 'Bulk', 'Person ' || n, 'Bulk Person ' || n, 'bulk person ' || n, ${admin.userId}::uuid,
        CASE WHEN n <= 1500 THEN ARRAY['common'] WHEN n <= 1510 THEN ARRAY['rare'] ELSE '{}' END
      FROM generate_series(1, 12000) n`.execute(t.database.db);
    await sql`ANALYZE contact`.execute(t.database.db);
    const total = async (query: string) => (await api('GET', `/api/v1/contacts?limit=20&${query}`)).json<{ total: { value: number; exact: boolean } }>().total;
    expect(await total(filterParam({ field: 'firstName', op: 'eq', value: 'Bulk' }))).toEqual({ value: 1000, exact: false });
    expect(await total(filterParam({ field: 'tags', op: 'eq', value: 'common' }))).toEqual({ value: 1000, exact: false });
    expect(await total(filterParam({ field: 'tags', op: 'eq', value: 'rare' }))).toEqual({ value: 10, exact: true });
    expect(await total(filterParam({ and: [{ field: 'firstName', op: 'eq', value: 'Bulk' }, { field: 'lastName', op: 'contains', value: 'Person 1199' }] }))).toEqual({ value: 11, exact: true });
    const second = (await api('GET', `/api/v1/contacts?limit=20&${filterParam({ field: 'tags', op: 'eq', value: 'rare' })}`)).json<{ nextCursor: string | null }>();
    expect(second.nextCursor).toBeNull();

    // A small list longer than a page: counted exactly, paged in name order without gaps or repeats.
    type Page = { items: Contact[]; nextCursor: string | null; total: { value: number; exact: boolean } };
    const rare = filterParam({ field: 'tags', op: 'eq', value: 'rare' });
    const first = (await api('GET', `/api/v1/contacts?limit=4&sort=name&${rare}`)).json<Page>();
    expect(first.total).toEqual({ value: 10, exact: true });
    expect(first.items.map((c) => c.name)).toEqual(['Bulk Person 1501', 'Bulk Person 1502', 'Bulk Person 1503', 'Bulk Person 1504']);
    const next = (await api('GET', `/api/v1/contacts?limit=4&sort=name&${rare}&cursor=${first.nextCursor ?? ''}`)).json<Page>();
    expect(next.total).toEqual({ value: 10, exact: true });
    expect(next.items.map((c) => c.name)).toEqual(['Bulk Person 1505', 'Bulk Person 1506', 'Bulk Person 1507', 'Bulk Person 1508']);
  }, 120_000); // 12,000 rows and ANALYZE: a busy machine needs more than the default

  it('lists the ids of every visible match beyond the loaded page, so bulk actions can cover them', async () => {
    const api = as(t, admin);
    const rep = await addUser(t, admin, { role: 'Sales rep' });
    const mine: string[] = [];
    for (let i = 0; i < 4; i++) mine.push((await as(t, rep)('POST', '/api/v1/contacts', { firstName: 'Matching', lastName: `Rep${i}` })).json<Contact>().id);
    const admins = (await api('POST', '/api/v1/contacts', { firstName: 'Matching', lastName: 'Admin' })).json<Contact>().id;

    const all = (await api('GET', '/api/v1/contacts/ids?q=matching')).json<RecordIds>();
    expect(all.truncated).toBe(false);
    expect(new Set(all.ids)).toEqual(new Set([...mine, admins]));
    // The rep's "all matching" is only what the rep may see.
    const repIds = (await as(t, rep)('GET', '/api/v1/contacts/ids?q=matching')).json<RecordIds>();
    expect(new Set(repIds.ids)).toEqual(new Set(mine));
    const filtered = (await api('GET', `/api/v1/contacts/ids?${filterParam({ field: 'ownerId', op: 'eq', value: rep.userId })}`)).json<RecordIds>();
    expect(new Set(filtered.ids)).toEqual(new Set(mine));
    expect((await api('GET', `/api/v1/contacts/ids?${filterParam({ field: 'nope', op: 'eq', value: 1 })}`)).statusCode).toBe(400);
  });

  it('lets a role that may delete but not edit run a bulk delete, and refuses bulk edits outright', async () => {
    const api = as(t, admin);
    const role = await api('POST', '/api/v1/roles', { name: 'Cleaner', permissions: { contact: { read: 'all', delete: 'all' } } });
    expect(role.statusCode).toBe(201);
    const cleaner = await addUser(t, admin, { role: 'Cleaner' });
    const doomed = (await api('POST', '/api/v1/contacts', { firstName: 'Doomed', lastName: 'Record' })).json<Contact>();

    const tagged = await as(t, cleaner)('POST', '/api/v1/contacts/bulk', { action: 'add_tags', ids: [doomed.id], tags: ['x'] });
    expect(tagged.statusCode).toBe(403);
    expect((await api('GET', `/api/v1/contacts/${doomed.id}`)).json<Contact>().tags).toEqual([]);

    const deleted = await as(t, cleaner)('POST', '/api/v1/contacts/bulk', { action: 'delete', ids: [doomed.id] });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json<BulkResult>()).toEqual({ done: 1, failed: [] });
    expect((await api('GET', `/api/v1/contacts/${doomed.id}`)).statusCode).toBe(404);
  });

  it('tells a stale editor the current version and a merged card its survivor, as fields', async () => {
    const api = as(t, admin);
    const first = (await api('POST', '/api/v1/contacts', { firstName: 'Twin', lastName: 'One' })).json<Contact>();
    const second = (await api('POST', '/api/v1/contacts', { firstName: 'Twin', lastName: 'Two' })).json<Contact>();
    await api('PATCH', `/api/v1/contacts/${first.id}`, { position: 'Buyer', version: first.version });
    const stale = await api('PATCH', `/api/v1/contacts/${first.id}`, { position: 'Seller', version: first.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<Problem>()).toMatchObject({ code: 'version_conflict', currentVersion: first.version + 1 });

    expect((await api('POST', '/api/v1/contacts/merge', { survivorId: first.id, mergedIds: [second.id] })).statusCode).toBe(200);
    const gone = await api('GET', `/api/v1/contacts/${second.id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json<Problem>().mergedInto).toBe(first.id);
  });

  it('finds names as they are being typed, with typos in any word, and all words must match', async () => {
    const api = as(t, admin);
    const ids = async (q: string) => (await api('GET', `/api/v1/search?q=${encodeURIComponent(q)}`)).json<SearchResult>().groups.flatMap((g) => g.items.map((i) => i.id));
    const anna = (await api('POST', '/api/v1/contacts', { firstName: 'Anastasia', lastName: 'Kuznetsova' })).json<Contact>();
    const other = (await api('POST', '/api/v1/contacts', { firstName: 'Anastasia', lastName: 'Popova' })).json<Contact>();
    const firm = (await api('POST', '/api/v1/companies', { name: 'Северсталь Трейд' })).json<{ id: string }>();
    expect(await ids('Kuzn')).toContain(anna.id);
    expect(await ids('anastasia kuzentsova')).toEqual([anna.id]);
    expect(await ids('Anastasia')).toEqual(expect.arrayContaining([anna.id, other.id]));
    expect(await ids('северстали')).toContain(firm.id);
    expect(await ids('Kuznetsova Popova')).toEqual([]);
    const haley = (await api('POST', '/api/v1/contacts', { firstName: 'Jo', lastName: 'Haley' })).json<Contact>();
    expect(await ids('J Hlaey')).toContain(haley.id);
  });
  it('finds names containing a fragment in any case and alphabet, in name order, and follows renames', async () => {
    const api = as(t, admin);
    const person = async (firstName: string, lastName: string) => (await api('POST', '/api/v1/contacts', { firstName, lastName })).json<Contact>();
    await person('Зоя', 'Иваненко-Фрагмент');
    await person('анна', 'иваненко-фрагмент');
    await person('Ivan', 'Fragmentov');
    const sokol = await person('Maria', 'Sokol-Fragment');
    const names = async (object: 'contacts' | 'companies', value: string) =>
      (await api('GET', `/api/v1/${object}?sort=name&${filterParam({ field: 'name', op: 'contains', value })}`)).json<{ items: { name: string }[] }>().items.map((r) => r.name);

    expect(await names('contacts', 'ИВАНЕНКО-ФРАГ')).toEqual(['анна иваненко-фрагмент', 'Зоя Иваненко-Фрагмент']);
    expect(await names('contacts', 'fRaGmEnT')).toEqual(['Ivan Fragmentov', 'Maria Sokol-Fragment']);
    // LIKE's wildcards in the fragment are plain characters.
    expect(await names('contacts', 'Sokol_Fragment')).toEqual([]);

    const renamed = await api('PATCH', `/api/v1/contacts/${sokol.id}`, { lastName: 'Иваненко-Фрагмент', version: sokol.version });
    expect(renamed.statusCode).toBe(200);
    expect(await names('contacts', 'иваненко-фраг')).toEqual(['Maria Иваненко-Фрагмент', 'анна иваненко-фрагмент', 'Зоя Иваненко-Фрагмент']);

    await api('POST', '/api/v1/companies', { name: 'ООО «Фрагмент-Север»' });
    await api('POST', '/api/v1/companies', { name: 'Fragment North' });
    expect(await names('companies', 'ФРАГМЕНТ')).toEqual(['ООО «Фрагмент-Север»']);
    expect(await names('companies', 'fragment')).toEqual(['Fragment North']);
  });
  it('pages through a name fragment many people share in name order, with its exact count', async () => {
    const api = as(t, admin);
    const surnames = Array.from({ length: 60 }, (_, i) => `Walker-${String(59 - i).padStart(2, '0')}`);
    for (const lastName of surnames) expect((await api('POST', '/api/v1/contacts', { firstName: 'Sharedfrag', lastName })).statusCode).toBe(201);
    await api('POST', '/api/v1/contacts', { firstName: 'Other', lastName: 'Person' });
    const url = `/api/v1/contacts?sort=name&limit=50&${filterParam({ field: 'name', op: 'contains', value: 'REDFRAG' })}`;

    const first = (await api('GET', url)).json<{ items: Contact[]; nextCursor: string | null; total: { value: number; exact: boolean } }>();
    expect(first.total).toEqual({ value: 60, exact: true });
    expect(first.items.map((c) => c.lastName)).toEqual([...surnames].reverse().slice(0, 50));
    const second = (await api('GET', `${url}&cursor=${first.nextCursor ?? ''}`)).json<{ items: Contact[]; nextCursor: string | null }>();
    expect(second.items.map((c) => c.lastName)).toEqual([...surnames].reverse().slice(50));
    expect(second.nextCursor).toBeNull();
  });
  it('pages through a Cyrillic fragment in name order, Latin-led names that hold it first, across the alphabets', async () => {
    const api = as(t, admin);
    const early = ['Ivan Шарфраг-A', 'Ivan Шарфраг-B', 'Zoe Шарфраг'];
    const late = Array.from({ length: 55 }, (_, i) => `Шарфраг-${String(54 - i).padStart(2, '0')}`);
    for (const name of [...late, ...early]) {
      const [firstName, lastName] = name.includes(' ') ? name.split(' ') : ['Пётр', name];
      expect((await api('POST', '/api/v1/contacts', { firstName, lastName })).statusCode).toBe(201);
    }
    await api('POST', '/api/v1/contacts', { firstName: 'Пётр', lastName: 'Другой' });
    const expected = [...early, ...[...late].reverse().map((lastName) => `Пётр ${lastName}`)];
    const page = async (limit: number, cursor?: string | null) =>
      (await api('GET', `/api/v1/contacts?sort=name&limit=${limit}&${filterParam({ field: 'name', op: 'contains', value: 'ШАРФРАГ' })}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json<{
        items: Contact[];
        nextCursor: string | null;
        total: { value: number; exact: boolean };
      }>();

    const first = await page(50);
    expect(first.total).toEqual({ value: 58, exact: true });
    expect(first.items.map((c) => c.name)).toEqual(expected.slice(0, 50));
    const second = await page(50, first.nextCursor);
    expect(second.items.map((c) => c.name)).toEqual(expected.slice(50));
    expect(second.nextCursor).toBeNull();
    // A page that starts among the Latin-led names and ends among the Cyrillic ones.
    const small = await page(2);
    expect(small.items.map((c) => c.name)).toEqual(expected.slice(0, 2));
    expect((await page(2, small.nextCursor)).items.map((c) => c.name)).toEqual(expected.slice(2, 4));
  });
});
