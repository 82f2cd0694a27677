import type { BulkResult, CustomField, SavedView, Team, TimelineEntry } from '@rapport/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

/**
 * Bad input to the client base: every mistake is a 4xx problem+json naming what is wrong, never a 500, and a refused
 * write leaves nothing behind. Also saved views (who sees which) and custom field definitions (who may make them).
 */

type ClientObject = 'company' | 'contact' | 'lead';

interface Rec {
  id: string;
  name: string;
  version: number;
  tags: string[];
  phones: { number: string; e164: string | null }[];
  emails: { email: string }[];
  custom: Record<string, unknown>;
  deletedAt: string | null;
  convertedAt?: string | null;
}

interface Problem {
  status: number;
  code: string;
  detail?: string;
  errors?: { path: string; message: string }[];
  currentVersion?: number;
}

const OBJECTS: ClientObject[] = ['company', 'contact', 'lead'];
const PATH: Record<ClientObject, string> = { company: 'companies', contact: 'contacts', lead: 'leads' };
const ACTIONS = ['read', 'create', 'update', 'delete', 'export', 'import', 'assign'] as const;
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

function draft(object: ClientObject, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return object === 'contact' ? { firstName: name, ...extra } : { name, ...extra };
}

/** The name field of each object's body. */
const NAME_FIELD: Record<ClientObject, string> = { company: 'name', contact: 'firstName', lead: 'name' };

let phoneSeq = 0;
function nextPhone(): { typed: string; e164: string } {
  phoneSeq += 1;
  const digits = String(10_000_000 + phoneSeq).slice(1);
  return { typed: `+7 903 ${digits.slice(0, 3)} ${digits.slice(3)}`, e164: `+7903${digits}` };
}

function expectProblem(response: LightMyRequestResponse, status: number, code: string, paths?: string[]): Problem {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  const problem = response.json<Problem>();
  expect(problem).toMatchObject({ status, code });
  if (paths) expect(problem.errors?.map((e) => e.path).sort()).toEqual([...paths].sort());
  return problem;
}

const filterQuery = (filter: unknown) => `filter=${encodeURIComponent(typeof filter === 'string' ? filter : JSON.stringify(filter))}`;

describe('client base: bad input', () => {
  let t: TestApp;
  let admin: Session;
  let teamA: Team;
  let teamB: Team;
  let alice: Session;
  let bob: Session;
  let carol: Session;
  let loner: Session;

  const api = (session: Session) => as(t, session);

  async function create(session: Session, object: ClientObject, name: string, extra: Record<string, unknown> = {}): Promise<Rec> {
    const response = await api(session)('POST', `/api/v1/${PATH[object]}`, draft(object, name, extra));
    if (response.statusCode !== 201) throw new Error(`create ${object} ${name}: ${response.statusCode} ${response.body}`);
    return response.json<Rec>();
  }

  async function current(object: ClientObject, id: string): Promise<Rec | undefined> {
    const response = await api(admin)('GET', `/api/v1/${PATH[object]}/${id}`);
    return response.statusCode === 200 ? response.json<Rec>() : undefined;
  }

  /** Records of an object whose name contains the text, as the administrator sees them. */
  async function named(object: ClientObject, text: string): Promise<Rec[]> {
    const response = await api(admin)('GET', `/api/v1/${PATH[object]}?limit=200&q=${encodeURIComponent(text)}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: Rec[] }>().items;
  }

  async function notes(object: ClientObject, id: string): Promise<string[]> {
    const response = await api(admin)('GET', `/api/v1/timeline/${object}/${id}?kind=note`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: TimelineEntry[] }>().items.map((entry) => entry.body ?? '');
  }

  async function searchIds(q: string): Promise<string[]> {
    const response = await api(admin)('GET', `/api/v1/search?limit=50&q=${encodeURIComponent(q)}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ groups: { items: { id: string }[] }[] }>().groups.flatMap((g) => g.items.map((i) => i.id));
  }

  async function customField(body: Record<string, unknown>): Promise<CustomField> {
    const response = await api(admin)('POST', '/api/v1/custom-fields', body);
    if (response.statusCode !== 201) throw new Error(`custom field ${String(body.key)}: ${response.statusCode} ${response.body}`);
    return response.json<CustomField>();
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t, { workspaceName: 'Input Co' });
    teamA = (await api(admin)('POST', '/api/v1/teams', { name: 'Team A' })).json<Team>();
    teamB = (await api(admin)('POST', '/api/v1/teams', { name: 'Team B' })).json<Team>();
    const all = Object.fromEntries(ACTIONS.map((action) => [action, 'all']));
    const role = await api(admin)('POST', '/api/v1/roles', { name: 'Client worker', permissions: { company: all, contact: all, lead: all, team: { read: 'all' }, user: { read: 'all' } } });
    expect(role.statusCode).toBe(201);
    alice = await addUser(t, admin, { role: 'Client worker', teamId: teamA.id, name: 'Alice' });
    bob = await addUser(t, admin, { role: 'Client worker', teamId: teamA.id, name: 'Bob' });
    carol = await addUser(t, admin, { role: 'Client worker', teamId: teamB.id, name: 'Carol' });
    loner = await addUser(t, admin, { role: 'Client worker', name: 'Lonnie' });
    for (const object of OBJECTS) {
      await customField({ object, key: 'score', label: 'Score', kind: 'number' });
      await customField({ object, key: 'tier', label: 'Tier', kind: 'select', options: [{ value: 'gold', label: 'Gold' }, { value: 'silver', label: 'Silver' }] });
      await customField({ object, key: 'since', label: 'Client since', kind: 'date' });
      await customField({ object, key: 'met_at', label: 'Met at', kind: 'datetime' });
      await customField({ object, key: 'flags', label: 'Flags', kind: 'multiselect', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] });
      await customField({ object, key: 'vip', label: 'VIP', kind: 'boolean' });
      await customField({ object, key: 'site', label: 'Site', kind: 'url' });
      await customField({ object, key: 'memo', label: 'Memo', kind: 'text' });
    }
  });
  afterAll(() => t.close());

  describe.each(OBJECTS)('%s: phones and e-mails', (object) => {
    it('an unreadable phone or e-mail is 400 naming each one, and nothing is created', async () => {
      const name = `Badphone ${object}`;
      const response = await api(alice)('POST', `/api/v1/${PATH[object]}`, draft(object, name, {
        phones: [{ number: nextPhone().typed }, { number: 'call me maybe' }],
        emails: [{ email: 'fine@inbox.example' }, { email: 'not-an-email' }],
      }));
      expectProblem(response, 400, 'validation', ['/body/phones/1/number', '/body/emails/1/email']);
      expect(await named(object, name)).toEqual([]);
    });

    it('an unreadable phone on edit is 400 and the record keeps its phones', async () => {
      const phone = nextPhone();
      const record = await create(alice, object, `Keeps phone ${object}`, { phones: [{ number: phone.typed }] });
      const response = await api(alice)('PATCH', `/api/v1/${PATH[object]}/${record.id}`, { phones: [{ number: '12' }], emails: [{ email: 'a@b' }], version: record.version });
      expectProblem(response, 400, 'validation', ['/body/phones/0/number', '/body/emails/0/email']);
      expect(await current(object, record.id)).toMatchObject({ version: record.version, phones: [expect.objectContaining({ e164: phone.e164 })] });
    });

    it('insisting (keepInvalidAsNote) keeps the readable values on the record and the raw ones in a note', async () => {
      const phone = nextPhone();
      const response = await api(alice)('POST', `/api/v1/${PATH[object]}`, draft(object, `Insists ${object}`, {
        phones: [{ number: phone.typed }, { number: 'ask reception, ext 12' }],
        emails: [{ email: 'Real@Inbox.Example' }, { email: 'ivan at mail dot ru' }],
        keepInvalidAsNote: true,
      }));
      expect(response.statusCode, response.body).toBe(201);
      const record = response.json<Rec>();
      expect(record.phones.map((p) => p.e164)).toEqual([phone.e164]);
      expect(record.emails.map((e) => e.email)).toEqual(['real@inbox.example']);
      const [note, ...more] = await notes(object, record.id);
      expect(more).toEqual([]);
      expect(note).toContain('ask reception, ext 12');
      expect(note).toContain('ivan at mail dot ru');
    });

    it('insisting on edit adds the note and changes the rest', async () => {
      const record = await create(alice, object, `Insists on edit ${object}`);
      const phone = nextPhone();
      const response = await api(alice)('PATCH', `/api/v1/${PATH[object]}/${record.id}`, { phones: [{ number: 'дом. после 18' }, { number: phone.typed }], keepInvalidAsNote: true, version: record.version });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<Rec>().phones.map((p) => p.e164)).toEqual([phone.e164]);
      expect((await notes(object, record.id)).join('\n')).toContain('дом. после 18');
    });

    it('insisting does not excuse other mistakes: nothing is created and no note is left', async () => {
      const name = `Insists wrongly ${object}`;
      const response = await api(alice)('POST', `/api/v1/${PATH[object]}`, draft(object, name, { phones: [{ number: 'whatever' }], keepInvalidAsNote: true, custom: { nope: 1 } }));
      expectProblem(response, 400, 'validation', ['/body/custom/nope']);
      expect(await named(object, name)).toEqual([]);
    });

    it('malformed phone and e-mail entries are refused by shape, with their paths', async () => {
      const response = await api(alice)('POST', `/api/v1/${PATH[object]}`, draft(object, 'Shapes', {
        phones: [{ number: '1'.repeat(41) }, { number: '+7 903 000 00 00', type: 'pager' }],
        emails: [{ email: 'x@inbox.example', primary: true }],
      }));
      const problem = expectProblem(response, 400, 'validation');
      expect(problem.errors!.map((e) => e.path)).toEqual(expect.arrayContaining(['/body/phones/0/number', '/body/phones/1/type', '/body/emails/0/primary']));
    });
  });

  describe.each(OBJECTS)('%s: custom fields', (object) => {
    it('an unknown custom field is 400 with its path, on create and on edit', async () => {
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}`, draft(object, 'Unknown custom', { custom: { nope: 'x', score: 1 } })), 400, 'validation', ['/body/custom/nope']);
      expect(await named(object, 'Unknown custom')).toEqual([]);
      const record = await create(alice, object, `Custom edit ${object}`, { custom: { score: 3 } });
      expectProblem(await api(alice)('PATCH', `/api/v1/${PATH[object]}/${record.id}`, { custom: { nope: 'x' }, version: record.version }), 400, 'validation', ['/body/custom/nope']);
      expectProblem(await api(alice)('PATCH', `/api/v1/${PATH[object]}/${record.id}`, { custom: { 'Bad-Key': 1 }, version: record.version }), 400, 'validation', ['/body/custom/Bad-Key']);
      expect(await current(object, record.id)).toMatchObject({ version: record.version, custom: { score: 3 } });
    });

    it.each<[string, unknown, string]>([
      ['score', 'twelve', 'text in a number field'],
      ['score', '12', 'a number as a string'],
      ['score', 1e16, 'a number out of range'],
      ['tier', 'platinum', 'an unknown select option'],
      ['tier', ['gold'], 'a list in a select field'],
      ['flags', ['a', 'zzz'], 'an unknown option in a multi-select'],
      ['since', '2024-02-30', 'a date that does not exist'],
      ['since', '30.01.2024', 'a date in a local format'],
      ['since', '2024-01-01T10:00:00Z', 'a date and time in a date field'],
      ['met_at', 'yesterday', 'an unreadable date and time'],
      ['vip', 'yes', 'text in a yes/no field'],
      ['site', 'ftp://files.example', 'a non-web URL'],
      ['site', 'not a url', 'text in a URL field'],
      ['memo', 'x'.repeat(2001), 'text over 2000 characters'],
      ['memo', { nested: true }, 'an object in a text field'],
    ])('custom.%s = %j (%s) is 400 naming /body/custom/<key>, and nothing is stored', async (key, value, _what) => {
      const name = `Wrong type ${object} ${key}`;
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}`, draft(object, name, { custom: { [key]: value } })), 400, 'validation', [`/body/custom/${key}`]);
      expect(await named(object, name)).toEqual([]);
    });

    it('reports every wrong custom value at once', async () => {
      const response = await api(alice)('POST', `/api/v1/${PATH[object]}`, draft(object, 'Many wrong', { custom: { score: 'x', tier: 'x', since: 'x', nope: 1 } }));
      expectProblem(response, 400, 'validation', ['/body/custom/score', '/body/custom/tier', '/body/custom/since', '/body/custom/nope']);
    });

    it('right values are stored in their normal form; null clears one', async () => {
      const record = await create(alice, object, `Right custom ${object}`, {
        custom: { score: 12.5, tier: 'gold', since: '2024-02-29', met_at: '2024-01-01T10:00:00+03:00', flags: ['a', 'a', 'b'], vip: false, site: 'https://example.com', memo: '  padded  ' },
      });
      expect(record.custom).toEqual({ score: 12.5, tier: 'gold', since: '2024-02-29', met_at: '2024-01-01T07:00:00.000Z', flags: ['a', 'b'], vip: false, site: 'https://example.com/', memo: 'padded' });
      const cleared = await api(alice)('PATCH', `/api/v1/${PATH[object]}/${record.id}`, { custom: { memo: null, score: 7 }, version: record.version });
      expect(cleared.statusCode, cleared.body).toBe(200);
      expect(cleared.json<Rec>().custom).not.toHaveProperty('memo');
      expect(cleared.json<Rec>().custom.score).toBe(7);
    });

    it('a required custom field must be given on create and cannot be cleared', async () => {
      const field = await customField({ object, key: 'budget', label: 'Budget', kind: 'money', required: true });
      try {
        expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}`, draft(object, 'No budget')), 400, 'validation', ['/body/custom/budget']);
        expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}`, draft(object, 'No budget', { custom: { budget: '' } })), 400, 'validation', ['/body/custom/budget']);
        expect(await named(object, 'No budget')).toEqual([]);
        const record = await create(alice, object, `With budget ${object}`, { custom: { budget: 1000 } });
        expectProblem(await api(alice)('PATCH', `/api/v1/${PATH[object]}/${record.id}`, { custom: { budget: null }, version: record.version }), 400, 'validation', ['/body/custom/budget']);
        const bulk = await api(alice)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [record.id], action: 'set_field', field: 'custom.budget', value: null });
        expect(bulk.json<BulkResult>()).toMatchObject({ done: 0, failed: [expect.objectContaining({ id: record.id, code: 'validation' })] });
        expect(await current(object, record.id)).toMatchObject({ version: record.version, custom: { budget: 1000 } });
      } finally {
        expect((await api(admin)('DELETE', `/api/v1/custom-fields/${field.id}`)).statusCode).toBe(204);
      }
    });
  });

  describe.each(OBJECTS)('%s: versions', (object) => {
    it('a stale body version is 409 with the current version, and the record is unchanged', async () => {
      const record = await create(alice, object, `Versioned ${object}`);
      const first = await api(alice)('PATCH', `/api/v1/${PATH[object]}/${record.id}`, { tags: ['first'], version: record.version });
      expect(first.statusCode).toBe(200);
      const stale = await api(bob)('PATCH', `/api/v1/${PATH[object]}/${record.id}`, { tags: ['second'], version: record.version });
      const problem = expectProblem(stale, 409, 'version_conflict');
      expect(problem.currentVersion).toBe(record.version + 1);
      expect(await current(object, record.id)).toMatchObject({ version: record.version + 1, tags: ['first'] });
    });

    it('If-Match: the ETag of the card works; a stale one is 412 with the current version; garbage is 400', async () => {
      const record = await create(alice, object, `Etagged ${object}`);
      const card = await api(alice)('GET', `/api/v1/${PATH[object]}/${record.id}`);
      const etag = card.headers.etag as string;
      expect(etag).toBe(`"${record.version}"`);
      expect((await api(alice)('PATCH', `/api/v1/${PATH[object]}/${record.id}`, { tags: ['one'] }, { 'if-match': etag })).statusCode).toBe(200);
      const stale = await api(bob)('PATCH', `/api/v1/${PATH[object]}/${record.id}`, { tags: ['two'] }, { 'if-match': etag });
      expect(expectProblem(stale, 412, 'precondition_failed').currentVersion).toBe(record.version + 1);
      expectProblem(await api(bob)('PATCH', `/api/v1/${PATH[object]}/${record.id}`, { tags: ['two'] }, { 'if-match': 'latest please' }), 400, 'validation', ['/headers/if-match']);
      expect(await current(object, record.id)).toMatchObject({ version: record.version + 1, tags: ['one'] });
    });

    it('no version is 428; a version of the wrong type is 400', async () => {
      const record = await create(alice, object, `Unversioned ${object}`);
      expectProblem(await api(alice)('PATCH', `/api/v1/${PATH[object]}/${record.id}`, { tags: ['x'] }), 428, 'version_required');
      expectProblem(await api(alice)('PATCH', `/api/v1/${PATH[object]}/${record.id}`, { tags: ['x'], version: String(record.version) }), 400, 'validation', ['/body/version']);
      expectProblem(await api(alice)('PATCH', `/api/v1/${PATH[object]}/${record.id}`, { tags: ['x'], version: 0 }), 400, 'validation', ['/body/version']);
      expect(await current(object, record.id)).toMatchObject({ version: record.version, tags: [] });
    });
  });

  describe.each(OBJECTS)('%s: list parameters', (object) => {
    const listUrl = (query: string) => `/api/v1/${PATH[object]}?${query}`;

    it.each([
      ['not JSON', '{field: name', ['/query/filter']],
      ['an unknown field', { field: 'nope', op: 'eq', value: 'x' }, ['/query/filter/field']],
      ['an unknown operator', { field: 'name', op: 'like', value: 'x' }, ['/query/filter/op']],
      ['an operator the field type has not', { field: 'name', op: 'gt', value: 'x' }, ['/query/filter/op']],
      ['a value of the wrong type', { field: 'name', op: 'eq', value: 5 }, ['/query/filter/value']],
      ['a bad value deep in a group', { and: [{ field: 'name', op: 'contains', value: 'a' }, { or: [{ field: 'ownerId', op: 'eq', value: 'me' }] }] }, ['/query/filter/and/1/or/0/value']],
      ['an empty group', { and: [] }, ['/query/filter/and']],
      ['between with one bound', { field: 'createdAt', op: 'between', value: ['2024-01-01'] }, ['/query/filter/value']],
      ['in without a list', { field: 'tags', op: 'in', value: 'vip' }, ['/query/filter/value']],
      ['an unreadable date', { field: 'createdAt', op: 'gt', value: 'last week' }, ['/query/filter/value']],
      ['text in a custom number field', { field: 'custom.score', op: 'gt', value: 'ten' }, ['/query/filter/value']],
      ['an unknown custom select option', { field: 'custom.tier', op: 'eq', value: 'platinum' }, ['/query/filter/value']],
      ['an extra key in a condition', { field: 'name', op: 'eq', value: 'x', mode: 'i' }, ['/query/filter/mode']],
      ['a list at the top', [{ field: 'name', op: 'eq', value: 'x' }], ['/query/filter']],
    ])('a filter with %s is 400 bad_filter naming the part', async (_what, filter, paths) => {
      expectProblem(await api(alice)('GET', listUrl(filterQuery(filter))), 400, 'bad_filter', paths as string[]);
    });

    it.each([
      ['a number as a date', { field: 'createdAt', op: 'gt', value: '1' }],
      ['a day that does not exist', { field: 'updatedAt', op: 'lt', value: '2024-02-30' }],
      ['a custom date from a calendar that has no such day', { field: 'custom.since', op: 'eq', value: '2023-02-29' }],
      ['a huge number', { field: 'custom.score', op: 'gt', value: 1e308 }],
    ])('a filter with %s is a 400, never a 500', async (_what, filter) => {
      const response = await api(alice)('GET', listUrl(filterQuery(filter)));
      expect(response.statusCode, response.body).toBeLessThan(500);
      if (response.statusCode !== 200) expectProblem(response, 400, response.json<Problem>().code);
    });

    it('a filter nested too deep, with too many conditions, or too long is 400', async () => {
      let deep: unknown = { field: 'name', op: 'eq', value: 'x' };
      for (let i = 0; i < 12; i += 1) deep = { and: [deep] };
      expect((await api(alice)('GET', listUrl(filterQuery(deep)))).statusCode).toBe(400);
      const many = { or: Array.from({ length: 200 }, (_, i) => ({ field: 'name', op: 'eq', value: `n${i}` })) };
      expect((await api(alice)('GET', listUrl(filterQuery(many)))).statusCode).toBe(400);
      expectProblem(await api(alice)('GET', listUrl(filterQuery({ field: 'name', op: 'eq', value: 'x'.repeat(10_001) }))), 400, 'validation', ['/query/filter']);
    });

    it('a sort by an unknown or unsortable field is 400 naming /query/sort; a valid one sorts', async () => {
      for (const sort of ['nope', '-nope', 'custom.nope', 'custom.flags', 'phone', '--name']) {
        const response = await api(alice)('GET', listUrl(`sort=${encodeURIComponent(sort)}`));
        expect(response.statusCode, `sort=${sort}`).toBe(400);
        expectProblem(response, 400, 'validation', ['/query/sort']);
      }
      await create(alice, object, 'Sortme Alpha');
      await create(alice, object, 'Sortme Omega');
      const desc = await api(alice)('GET', listUrl('sort=-name&q=sortme'));
      expect(desc.json<{ items: Rec[] }>().items.map((r) => r.name)).toEqual(['Sortme Omega', 'Sortme Alpha']);
    });

    it('a forged cursor, a bad limit or an unknown parameter is 400 naming it', async () => {
      expectProblem(await api(alice)('GET', listUrl('cursor=not-a-cursor')), 400, 'bad_cursor', ['/query/cursor']);
      const forged = Buffer.from(JSON.stringify(['x', 'not-a-uuid'])).toString('base64url');
      expectProblem(await api(alice)('GET', listUrl(`cursor=${forged}`)), 400, 'bad_cursor', ['/query/cursor']);
      for (const limit of ['0', '201', 'ten', '1.5']) expectProblem(await api(alice)('GET', listUrl(`limit=${limit}`)), 400, 'validation', ['/query/limit']);
      expectProblem(await api(alice)('GET', listUrl('colour=red')), 400, 'validation', ['/query/colour']);
      expectProblem(await api(alice)('GET', listUrl(`q=${'x'.repeat(201)}`)), 400, 'validation', ['/query/q']);
    });
  });

  describe('search and recycle bin parameters', () => {
    it('search: empty, over-long or over-limit queries are 400 naming the parameter', async () => {
      expectProblem(await api(alice)('GET', '/api/v1/search'), 400, 'validation', ['/query/q']);
      expectProblem(await api(alice)('GET', '/api/v1/search?q='), 400, 'validation', ['/query/q']);
      expectProblem(await api(alice)('GET', `/api/v1/search?q=${'a'.repeat(201)}`), 400, 'validation', ['/query/q']);
      expectProblem(await api(alice)('GET', '/api/v1/search?q=ivan&limit=51'), 400, 'validation', ['/query/limit']);
    });

    it('search: punctuation, quotes and query syntax are just text', async () => {
      for (const q of ["O'Brien", '& | ! ( )', '%_\\', '"unclosed', '+', '@', '<->', ':*']) {
        const response = await api(alice)('GET', `/api/v1/search?q=${encodeURIComponent(q)}`);
        expect(response.statusCode, `${q}: ${response.body}`).toBe(200);
      }
    });

    it('the recycle bin needs a known object', async () => {
      expectProblem(await api(alice)('GET', '/api/v1/recycle-bin'), 400, 'validation', ['/query/object']);
      expectProblem(await api(alice)('GET', '/api/v1/recycle-bin?object=invoice'), 400, 'validation', ['/query/object']);
      expectProblem(await api(alice)('GET', '/api/v1/recycle-bin?object=contact&cursor=zzz'), 400, 'bad_cursor', ['/query/cursor']);
    });
  });

  describe.each(OBJECTS)('%s: strings and ids', (object) => {
    it('over-long, empty and unknown fields are 400 naming each, and nothing is created', async () => {
      const name = NAME_FIELD[object];
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}`, { [name]: 'x'.repeat(301) }), 400, 'validation', [`/body/${name}`]);
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}`, { [name]: '' }), 400, 'validation', [`/body/${name}`]);
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}`, {}), 400, 'validation', [`/body/${name}`]);
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}`, draft(object, 'Long tag', { tags: ['t'.repeat(51)] })), 400, 'validation', ['/body/tags/0']);
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}`, draft(object, 'Many tags', { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) })), 400, 'validation', ['/body/tags']);
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}`, draft(object, 'Extra field', { colour: 'red' })), 400, 'validation', ['/body/colour']);
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}`, draft(object, 'Tags as text', { tags: 'vip' })), 400, 'validation', ['/body/tags']);
      for (const text of ['Long tag', 'Many tags', 'Extra field', 'Tags as text']) expect(await named(object, text)).toEqual([]);
    });

    it('a NUL character in a name is refused with a 400, not a 500', async () => {
      const response = await api(alice)('POST', `/api/v1/${PATH[object]}`, draft(object, 'Nul\u0000byte'));
      expectProblem(response, 400, 'validation');
      expect(await named(object, 'nul')).toEqual([]);
    });

    it('a malformed id in the path is 400; a well-formed unknown id is 404', async () => {
      for (const [method, suffix] of [['GET', ''], ['PATCH', ''], ['DELETE', ''], ['POST', '/restore']] as const) {
        const body = method === 'PATCH' ? { tags: ['x'], version: 1 } : undefined;
        expectProblem(await api(alice)(method, `/api/v1/${PATH[object]}/not-a-uuid${suffix}`, body), 400, 'validation');
        expectProblem(await api(alice)(method, `/api/v1/${PATH[object]}/${MISSING_ID}${suffix}`, body), 404, 'not_found');
      }
      expectProblem(await api(alice)('GET', `/api/v1/timeline/${object}/123`), 400, 'validation');
      expectProblem(await api(alice)('GET', `/api/v1/timeline/${object}/${MISSING_ID}`), 404, 'not_found');
      expectProblem(await api(alice)('GET', `/api/v1/timeline/invoice/${MISSING_ID}`), 400, 'validation');
      expectProblem(await api(alice)('POST', `/api/v1/timeline/${object}/${MISSING_ID}/notes`, { body: 'hello' }), 404, 'not_found');
    });

    it('bad ids in bulk and merge bodies are 400 naming them; unknown ones fail alone or 404', async () => {
      const record = await create(alice, object, `Id checks ${object}`);
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [record.id, 'nope'], action: 'add_tags', tags: ['x'] }), 400, 'validation', ['/body/ids/1']);
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [], action: 'add_tags', tags: ['x'] }), 400, 'validation', ['/body/ids']);
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [record.id], action: 'archive' }), 400, 'validation');
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}/merge`, { survivorId: 'nope', mergedIds: [record.id] }), 400, 'validation', ['/body/survivorId']);
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}/merge`, { survivorId: record.id, mergedIds: [record.id] }), 400, 'validation', ['/body/mergedIds']);
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}/merge`, { survivorId: record.id, mergedIds: [MISSING_ID] }), 404, 'not_found');
      expect(await current(object, record.id)).toMatchObject({ version: record.version, tags: [] });
    });

    it('an owner who does not exist is 400 naming /body/ownerId', async () => {
      expectProblem(await api(admin)('POST', `/api/v1/${PATH[object]}`, draft(object, 'Ghost owned', { ownerId: MISSING_ID })), 400, 'validation', ['/body/ownerId']);
      expect(await named(object, 'Ghost owned')).toEqual([]);
    });
  });

  describe('related ids', () => {
    it('links to companies that do not exist, or a parent that would make a cycle, are 400 naming the field', async () => {
      expectProblem(await api(alice)('POST', '/api/v1/contacts', { firstName: 'Linked', companies: [{ companyId: MISSING_ID }] }), 400, 'validation', ['/body/companies/0/companyId']);
      expectProblem(await api(alice)('POST', '/api/v1/companies', { name: 'Orphan branch', parentId: MISSING_ID }), 400, 'validation', ['/body/parentId']);
      const parent = await create(alice, 'company', 'Cycle parent');
      const child = await create(alice, 'company', 'Cycle child', { parentId: parent.id });
      expectProblem(await api(alice)('PATCH', `/api/v1/companies/${parent.id}`, { parentId: child.id, version: parent.version }), 400, 'validation', ['/body/parentId']);
      expectProblem(await api(alice)('PATCH', `/api/v1/companies/${parent.id}`, { parentId: parent.id, version: parent.version }), 400, 'validation', ['/body/parentId']);
      expect(await current('company', parent.id)).toMatchObject({ version: parent.version, parentId: null });
    });

    it('converting a lead into a contact that does not exist is 404 and converts nothing', async () => {
      const lead = await create(alice, 'lead', 'Convert Nobody', { companyName: 'Nobody Holdings' });
      expectProblem(await api(alice)('POST', `/api/v1/leads/${lead.id}/convert`, { contact: { mode: 'existing', id: MISSING_ID }, company: { mode: 'new' }, version: lead.version }), 404, 'not_found');
      expectProblem(await api(alice)('POST', `/api/v1/leads/${lead.id}/convert`, { contact: { mode: 'new' }, company: { mode: 'existing', id: MISSING_ID }, version: lead.version }), 404, 'not_found');
      expectProblem(await api(alice)('POST', `/api/v1/leads/${lead.id}/convert`, { contact: { mode: 'maybe' }, company: { mode: 'none' }, version: lead.version }), 400, 'validation');
      // The new company of the first attempt was rolled back with it.
      expect(await named('company', 'Nobody Holdings')).toEqual([]);
      expect(await current('lead', lead.id)).toMatchObject({ version: lead.version, convertedAt: null });
    });
  });

  describe('writes are all or nothing', () => {
    it('a stale lead conversion is 409 and leaves no contact or company behind', async () => {
      const phone = nextPhone();
      const lead = await create(alice, 'lead', 'Stale Convert', { companyName: 'Stale Convert Ltd', phones: [{ number: phone.typed }] });
      const touched = await api(alice)('PATCH', `/api/v1/leads/${lead.id}`, { position: 'Buyer', version: lead.version });
      expect(touched.statusCode).toBe(200);
      const response = await api(bob)('POST', `/api/v1/leads/${lead.id}/convert`, { contact: { mode: 'new' }, company: { mode: 'new' }, version: lead.version });
      expect(expectProblem(response, 409, 'version_conflict').currentVersion).toBe(lead.version + 1);
      expect(await named('company', 'Stale Convert Ltd')).toEqual([]);
      expect(await named('contact', 'Stale')).toEqual([]);
      expect(await searchIds(phone.e164)).toEqual([lead.id]);
      expect(await current('lead', lead.id)).toMatchObject({ convertedAt: null, version: lead.version + 1 });
    });

    it.each(OBJECTS)('%s: a merge that fails on a late check moves nothing and deletes nothing', async (object) => {
      const survivor = await create(alice, object, `Merge keeper ${object}`, { tags: ['keeper'] });
      const merged = await create(alice, object, `Merge goner ${object}`, { tags: ['goner'] });
      expect((await api(alice)('POST', `/api/v1/timeline/${object}/${merged.id}/notes`, { body: 'Note on the goner' })).statusCode).toBe(201);
      const response = await api(alice)('POST', `/api/v1/${PATH[object]}/merge`, { survivorId: survivor.id, mergedIds: [merged.id], fields: { [NAME_FIELD[object]]: MISSING_ID } });
      expectProblem(response, 400, 'validation', [`/body/fields/${NAME_FIELD[object]}`]);
      expect(await current(object, survivor.id)).toMatchObject({ version: survivor.version, tags: ['keeper'] });
      expect(await current(object, merged.id)).toMatchObject({ version: merged.version, tags: ['goner'], deletedAt: null });
      expect(await notes(object, merged.id)).toEqual(['Note on the goner']);
      expect(await notes(object, survivor.id)).toEqual([]);
    });

    it.each(OBJECTS)('%s: bulk: a failing item fails alone, and a value that fits no record changes none', async (object) => {
      const a = await create(alice, object, `Bulk a ${object}`);
      const b = await create(alice, object, `Bulk b ${object}`);
      const some = await api(alice)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [a.id, MISSING_ID, b.id], action: 'set_field', field: 'custom.score', value: 5 });
      expect(some.json<BulkResult>()).toEqual({ done: 2, failed: [expect.objectContaining({ id: MISSING_ID, code: 'not_found' })] });
      const afterA = (await current(object, a.id))!;
      expect(afterA.custom.score).toBe(5);

      const wrongValue = await api(alice)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [a.id, b.id], action: 'set_field', field: 'custom.score', value: 'lots' });
      expect(wrongValue.json<BulkResult>()).toMatchObject({ done: 0, failed: [expect.objectContaining({ id: a.id, code: 'validation' }), expect.objectContaining({ id: b.id, code: 'validation' })] });
      const wrongField = await api(alice)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [a.id], action: 'set_field', field: 'createdAt', value: '2020-01-01' });
      expect(wrongField.json<BulkResult>()).toMatchObject({ done: 0, failed: [expect.objectContaining({ id: a.id, code: 'validation' })] });
      expect(await current(object, a.id)).toEqual(afterA);
    });

    it.each(OBJECTS)('%s: bulk actions missing what they need are 400 naming it', async (object) => {
      const a = await create(alice, object, `Bulk needs ${object}`);
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [a.id], action: 'set_field', value: 1 }), 400, 'validation', ['/body/field']);
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [a.id], action: 'assign' }), 400, 'validation', ['/body/ownerId']);
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [a.id], action: 'add_tags' }), 400, 'validation', ['/body/tags']);
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [a.id], action: 'remove_tags', tags: [] }), 400, 'validation', ['/body/tags']);
      expect((await current(object, a.id))!.version).toBe(a.version);
    });

    it('a contact edit with a bad company link changes nothing else', async () => {
      const phone = nextPhone();
      const contact = await create(alice, 'contact', 'Half Edit', { phones: [{ number: phone.typed }] });
      const response = await api(alice)('PATCH', `/api/v1/contacts/${contact.id}`, { position: 'CFO', phones: [{ number: nextPhone().typed }], companies: [{ companyId: MISSING_ID }], version: contact.version });
      expectProblem(response, 400, 'validation', ['/body/companies/0/companyId']);
      expect(await current('contact', contact.id)).toMatchObject({ version: contact.version, phones: [expect.objectContaining({ e164: phone.e164 })] });
    });
  });

  describe('notes', () => {
    it('an empty or over-long note is 400 and adds nothing', async () => {
      const contact = await create(alice, 'contact', 'Noted');
      expectProblem(await api(alice)('POST', `/api/v1/timeline/contact/${contact.id}/notes`, { body: '' }), 400, 'validation', ['/body/body']);
      expectProblem(await api(alice)('POST', `/api/v1/timeline/contact/${contact.id}/notes`, { body: 'x'.repeat(20_001) }), 400, 'validation', ['/body/body']);
      expectProblem(await api(alice)('POST', `/api/v1/timeline/contact/${contact.id}/notes`, { text: 'hi' }), 400, 'validation');
      expect(await notes('contact', contact.id)).toEqual([]);
      expectProblem(await api(alice)('DELETE', '/api/v1/notes/not-a-uuid'), 400, 'validation');
      expectProblem(await api(alice)('DELETE', `/api/v1/notes/${MISSING_ID}`), 404, 'not_found');
    });
  });

  describe('saved views', () => {
    const views = async (session: Session) => {
      const response = await api(session)('GET', '/api/v1/views?object=contact');
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ items: SavedView[] }>().items.map((view) => view.name);
    };
    const createView = async (session: Session, body: Record<string, unknown>) => api(session)('POST', '/api/v1/views', { object: 'contact', ...body });

    it('a personal view is seen and changed by its owner only', async () => {
      const created = await createView(alice, { name: 'Alice private', filter: JSON.stringify({ field: 'name', op: 'contains', value: 'a' }) });
      expect(created.statusCode, created.body).toBe(201);
      const view = created.json<SavedView>();
      expect(view).toMatchObject({ visibility: 'private', ownerId: alice.userId });
      expect(await views(alice)).toContain('Alice private');
      for (const other of [bob, carol, loner]) expect(await views(other)).not.toContain('Alice private');
      expectProblem(await api(bob)('PATCH', `/api/v1/views/${view.id}`, { name: 'Taken over', version: view.version }), 404, 'not_found');
      expectProblem(await api(bob)('DELETE', `/api/v1/views/${view.id}`), 404, 'not_found');
      expect(await views(alice)).toContain('Alice private');
    });

    it('a view shared with the team is seen by the team only, and changed by its owner only', async () => {
      const view = (await createView(alice, { name: 'Team A hot', visibility: 'team', sort: '-updatedAt' })).json<SavedView>();
      expect(view).toMatchObject({ visibility: 'team', teamId: teamA.id });
      expect(await views(bob)).toContain('Team A hot');
      expect(await views(carol)).not.toContain('Team A hot');
      expect(await views(loner)).not.toContain('Team A hot');
      expectProblem(await api(bob)('PATCH', `/api/v1/views/${view.id}`, { name: 'Bob was here', version: view.version }), 403, 'forbidden');
      expectProblem(await api(bob)('DELETE', `/api/v1/views/${view.id}`), 403, 'forbidden');
      expectProblem(await api(carol)('PATCH', `/api/v1/views/${view.id}`, { name: 'Carol was here', version: view.version }), 404, 'not_found');
      const renamed = await api(alice)('PATCH', `/api/v1/views/${view.id}`, { name: 'Team A hottest', version: view.version });
      expect(renamed.statusCode).toBe(200);
      expect(await views(bob)).toContain('Team A hottest');
      expect(expectProblem(await api(alice)('PATCH', `/api/v1/views/${view.id}`, { name: 'Stale', version: view.version }), 409, 'version_conflict').currentVersion).toBe(view.version + 1);
    });

    it('only administrators share with the workspace; a user without a team cannot share with one', async () => {
      expectProblem(await createView(alice, { name: 'For everyone', visibility: 'workspace' }), 403, 'forbidden', ['/body/visibility']);
      expectProblem(await createView(loner, { name: 'For my team', visibility: 'team' }), 400, 'validation', ['/body/visibility']);
      expect(await views(alice)).not.toContain('For everyone');
      expect(await views(loner)).not.toContain('For my team');
      const shared = await createView(admin, { name: 'Company-wide', visibility: 'workspace' });
      expect(shared.statusCode).toBe(201);
      for (const user of [alice, carol, loner]) expect(await views(user)).toContain('Company-wide');
    });

    it('a view with a bad filter or for an unknown object is 400', async () => {
      expectProblem(await createView(alice, { name: 'Bad filter', filter: JSON.stringify({ field: 'nope', op: 'eq', value: 1 }) }), 400, 'bad_filter', ['/body/filter/field']);
      expectProblem(await createView(alice, { name: 'Not JSON', filter: '{' }), 400, 'bad_filter', ['/body/filter']);
      expectProblem(await api(alice)('POST', '/api/v1/views', { object: 'invoice', name: 'Invoices' }), 400, 'validation', ['/body/object']);
      expectProblem(await api(alice)('GET', '/api/v1/views?object=invoice'), 400, 'validation', ['/query/object']);
      expect(await views(alice)).not.toContain('Bad filter');
    });
  });

  describe('custom field definitions', () => {
    it('someone who is not an administrator cannot create, change or delete fields', async () => {
      expectProblem(await api(alice)('POST', '/api/v1/custom-fields', { object: 'contact', key: 'shoe_size', label: 'Shoe size', kind: 'number' }), 403, 'forbidden');
      const fields = (await api(alice)('GET', '/api/v1/custom-fields?object=contact')).json<{ items: CustomField[] }>().items;
      expect(fields.map((f) => f.key)).not.toContain('shoe_size');
      const score = fields.find((f) => f.key === 'score')!;
      expectProblem(await api(alice)('PATCH', `/api/v1/custom-fields/${score.id}`, { label: 'Hacked', version: score.version }), 403, 'forbidden');
      expectProblem(await api(alice)('DELETE', `/api/v1/custom-fields/${score.id}`), 403, 'forbidden');
      const after = (await api(admin)('GET', '/api/v1/custom-fields?object=contact')).json<{ items: CustomField[] }>().items.find((f) => f.id === score.id);
      expect(after).toMatchObject({ label: 'Score', version: score.version });
    });

    it('bad definitions are 400 naming the field; a taken key is 409', async () => {
      expectProblem(await api(admin)('POST', '/api/v1/custom-fields', { object: 'contact', key: 'score', label: 'Again', kind: 'number' }), 409, 'conflict', ['/body/key']);
      expectProblem(await api(admin)('POST', '/api/v1/custom-fields', { object: 'contact', key: 'Shoe Size', label: 'Shoe', kind: 'number' }), 400, 'validation', ['/body/key']);
      expectProblem(await api(admin)('POST', '/api/v1/custom-fields', { object: 'contact', key: 'colour', label: 'Colour', kind: 'select' }), 400, 'validation', ['/body/options']);
      expectProblem(await api(admin)('POST', '/api/v1/custom-fields', { object: 'contact', key: 'colour', label: 'Colour', kind: 'select', options: [{ value: 'r', label: 'Red' }, { value: 'r', label: 'Rouge' }] }), 400, 'validation', ['/body/options']);
      expectProblem(await api(admin)('POST', '/api/v1/custom-fields', { object: 'contact', key: 'link', label: 'Link', kind: 'relation' }), 400, 'validation', ['/body/relationObject']);
      expectProblem(await api(admin)('POST', '/api/v1/custom-fields', { object: 'contact', key: 'colour', label: 'Colour', kind: 'colour' }), 400, 'validation', ['/body/kind']);
      const keys = (await api(admin)('GET', '/api/v1/custom-fields?object=contact')).json<{ items: CustomField[] }>().items.map((f) => f.key);
      expect(keys).not.toContain('colour');
      expect(keys).not.toContain('link');
    });

    it('a stale field edit is 409 with the current version', async () => {
      const field = await customField({ object: 'company', key: 'region', label: 'Region', kind: 'text' });
      expect((await api(admin)('PATCH', `/api/v1/custom-fields/${field.id}`, { label: 'Area', version: field.version })).statusCode).toBe(200);
      const stale = await api(admin)('PATCH', `/api/v1/custom-fields/${field.id}`, { label: 'Zone', version: field.version });
      expect(expectProblem(stale, 409, 'version_conflict').currentVersion).toBe(field.version + 1);
    });
  });

  describe('regressions', () => {
    // Was: a team id that does not exist reaches the database's foreign key and answers 500 instead of 400.
    it.each(OBJECTS)('%s: a team that does not exist is 400 naming /body/teamId', async (object) => {
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}`, draft(object, 'Ghost team', { teamId: MISSING_ID })), 400, 'validation', ['/body/teamId']);
    });

    // Was: the datetime check uses Date.parse, which rolls "February 30" over to March 1 and stores that silently.
    it('a custom date and time on a day that does not exist is 400', async () => {
      expectProblem(await api(alice)('POST', '/api/v1/contacts', { firstName: 'Leap', custom: { met_at: '2023-02-30T10:00:00Z' } }), 400, 'validation', ['/body/custom/met_at']);
    });

    // Was: names are trimmed after the length check, so a name of spaces creates a record with an empty name.
    it.each(OBJECTS)('%s: a name of spaces only is 400', async (object) => {
      expectProblem(await api(alice)('POST', `/api/v1/${PATH[object]}`, draft(object, '   ')), 400, 'validation', [`/body/${NAME_FIELD[object]}`]);
    });
  });
});
