import type { BulkResult, DeletedRecord, DuplicateCandidate, PermissionMatrix, Role, Scope, SearchResult, Team, TimelineEntry, User } from '@rapport/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

/**
 * Record visibility in the client base, as people with different roles meet it: lists, cards, search, duplicates,
 * history, bulk actions, merges, the recycle bin and related records. Roles and teams are built through the API.
 */

type ClientObject = 'company' | 'contact' | 'lead';
type RecordScope = Exclude<Scope, 'none'>;

/** What every client record answers with (companies, contacts and leads alike). */
interface Rec {
  id: string;
  name: string;
  ownerId: string;
  teamId: string | null;
  tags: string[];
  phones: { e164: string | null }[];
  emails: { email: string }[];
  version: number;
  companies?: { companyId: string; companyName: string }[];
  convertedAt?: string | null;
  position?: string | null;
}

interface Page {
  items: Rec[];
  total: { value: number; exact: boolean };
}

interface Problem {
  code: string;
  errors?: { path: string }[];
}

const OBJECTS: ClientObject[] = ['company', 'contact', 'lead'];
const PATH: Record<ClientObject, string> = { company: 'companies', contact: 'contacts', lead: 'leads' };
const ACTIONS = ['read', 'create', 'update', 'delete', 'export', 'import', 'assign'] as const;
const SCOPES: RecordScope[] = ['own', 'team', 'team_sub', 'all'];

/** The same right on every action of an object. */
const every = (scope: Scope) => Object.fromEntries(ACTIONS.map((action) => [action, scope]));

/** A body that creates the object with this name. */
function draft(object: ClientObject, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return object === 'contact' ? { firstName: name, ...extra } : { name, ...extra };
}

/** A field bulk "set field" may change on each object, and a value for it. */
const BULK_FIELD: Record<ClientObject, { field: string; value: string; read: (r: Rec & Record<string, unknown>) => unknown }> = {
  company: { field: 'industry', value: 'Mixed bag', read: (r) => r.industry },
  contact: { field: 'position', value: 'Mixed bag', read: (r) => r.position },
  lead: { field: 'source', value: 'referral', read: (r) => r.source },
};

let phoneSeq = 0;
/** A unique, valid mobile number: as typed and in E.164. */
function nextPhone(): { typed: string; e164: string } {
  phoneSeq += 1;
  const digits = String(10_000_000 + phoneSeq).slice(1);
  return { typed: `+7 916 ${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`, e164: `+7916${digits}` };
}

function expectProblem(response: LightMyRequestResponse, status: number, code: string, path?: string): void {
  expect({ status: response.statusCode, code: response.json<Problem>().code }, response.body).toEqual({ status, code });
  expect(response.headers['content-type']).toContain('application/problem+json');
  if (path) expect(response.json<Problem>().errors?.map((e) => e.path)).toContain(path);
}

const searchIds = (result: SearchResult, object?: ClientObject) =>
  result.groups.filter((g) => object === undefined || g.object === object).flatMap((g) => g.items.map((i) => i.id));

/** Who owns the scope fixture's records, and which of them each scope should reach. */
const LABELS = ['ownMine', 'teamMine', 'teamSubMine', 'allMine', 'teammate', 'subTeam', 'otherTeam', 'adminNoTeam', 'assignedToTeam'] as const;
type Label = (typeof LABELS)[number];
const MINE: Record<RecordScope, Label> = { own: 'ownMine', team: 'teamMine', team_sub: 'teamSubMine', all: 'allMine' };
const VISIBLE: Record<RecordScope, Label[]> = {
  // Only what the user owns.
  own: ['ownMine'],
  // Owned by the user, or in the user's team: made by a team member, or assigned to the team by an administrator.
  team: ['ownMine', 'teamMine', 'teamSubMine', 'teammate', 'assignedToTeam'],
  // The above plus the sub-team's records.
  team_sub: ['ownMine', 'teamMine', 'teamSubMine', 'teammate', 'assignedToTeam', 'subTeam'],
  all: [...LABELS],
};
const TOKEN = 'Zephyrine';

describe('client base: who sees and changes which records', () => {
  let t: TestApp;
  let admin: Session;
  let sales: Team;
  let salesSub: Team;
  let otherTeam: Team;
  const subject = {} as Record<RecordScope, Session>;
  let member: Session;
  let subMember: Session;
  let outsider: Session;
  /** The fixture: per object, per label, the record with the phone and e-mail it was given. */
  const fixture = {} as Record<ClientObject, Record<Label, Rec & { phone: string; email: string }>>;

  const api = (session: Session) => as(t, session);

  async function createRole(name: string, permissions: PermissionMatrix, fieldRules?: Role['fieldRules']): Promise<Role> {
    const response = await api(admin)('POST', '/api/v1/roles', { name, permissions, ...(fieldRules ? { fieldRules } : {}) });
    if (response.statusCode !== 201) throw new Error(`role ${name}: ${response.statusCode} ${response.body}`);
    return response.json<Role>();
  }

  async function createTeam(name: string, parentId?: string): Promise<Team> {
    const response = await api(admin)('POST', '/api/v1/teams', { name, ...(parentId ? { parentId } : {}) });
    if (response.statusCode !== 201) throw new Error(`team ${name}: ${response.statusCode} ${response.body}`);
    return response.json<Team>();
  }

  async function create(session: Session, object: ClientObject, name: string, extra: Record<string, unknown> = {}): Promise<Rec> {
    const response = await api(session)('POST', `/api/v1/${PATH[object]}`, draft(object, name, extra));
    if (response.statusCode !== 201) throw new Error(`create ${object} ${name}: ${response.statusCode} ${response.body}`);
    return response.json<Rec>();
  }

  /** The record as the administrator sees it now (or undefined when it is gone). */
  async function current(object: ClientObject, id: string): Promise<(Rec & Record<string, unknown>) | undefined> {
    const response = await api(admin)('GET', `/api/v1/${PATH[object]}/${id}`);
    return response.statusCode === 200 ? response.json<Rec & Record<string, unknown>>() : undefined;
  }

  async function list(session: Session, object: ClientObject, query: string): Promise<Page> {
    const response = await api(session)('GET', `/api/v1/${PATH[object]}?limit=200&${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Page>();
  }

  async function search(session: Session, q: string): Promise<SearchResult> {
    const response = await api(session)('GET', `/api/v1/search?limit=50&q=${encodeURIComponent(q)}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<SearchResult>();
  }

  async function bin(session: Session, object: ClientObject): Promise<string[]> {
    const response = await api(session)('GET', `/api/v1/recycle-bin?object=${object}&limit=200`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: DeletedRecord[] }>().items.map((item) => item.id);
  }

  async function notes(session: Session, object: ClientObject, id: string): Promise<string[]> {
    const response = await api(session)('GET', `/api/v1/timeline/${object}/${id}?kind=note`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: TimelineEntry[] }>().items.map((entry) => entry.body ?? '');
  }

  const rolesByScope = {} as Record<RecordScope, Role>;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t, { workspaceName: 'Scope Co' });
    sales = await createTeam('Sales');
    salesSub = await createTeam('Sales / Key accounts', sales.id);
    otherTeam = await createTeam('Support');

    for (const scope of SCOPES) {
      rolesByScope[scope] = await createRole(`Scope ${scope}`, { company: every(scope), contact: every(scope), lead: every(scope), team: { read: 'all' }, user: { read: 'all' } });
    }
    subject.own = await addUser(t, admin, { role: 'Scope own', teamId: sales.id, name: 'Olga Own' });
    subject.team = await addUser(t, admin, { role: 'Scope team', teamId: sales.id, name: 'Tim Team' });
    subject.team_sub = await addUser(t, admin, { role: 'Scope team_sub', teamId: sales.id, name: 'Sue Subteams' });
    subject.all = await addUser(t, admin, { role: 'Scope all', teamId: otherTeam.id, name: 'Al All' });
    member = await addUser(t, admin, { role: 'Scope own', teamId: sales.id, name: 'Mia Member' });
    subMember = await addUser(t, admin, { role: 'Scope own', teamId: salesSub.id, name: 'Sam Submember' });
    outsider = await addUser(t, admin, { role: 'Scope own', teamId: otherTeam.id, name: 'Otto Outsider' });

    const makers: Record<Label, [Session, Record<string, unknown>]> = {
      ownMine: [subject.own, {}],
      teamMine: [subject.team, {}],
      teamSubMine: [subject.team_sub, {}],
      allMine: [subject.all, {}],
      teammate: [member, {}],
      subTeam: [subMember, {}],
      otherTeam: [outsider, {}],
      adminNoTeam: [admin, {}],
      assignedToTeam: [admin, { teamId: sales.id }],
    };
    for (const object of OBJECTS) {
      fixture[object] = {} as (typeof fixture)[ClientObject];
      for (const label of LABELS) {
        const [session, extra] = makers[label];
        const phone = nextPhone();
        // Opaque addresses: a name-like address would also match names by similarity.
        const email = `p${phone.e164.slice(-6)}@inbox.example`;
        const record = await create(session, object, `${TOKEN} ${label}`, { ...extra, phones: [{ number: phone.typed }], emails: [{ email }] });
        fixture[object][label] = { ...record, phone: phone.e164, email };
      }
    }
  });
  afterAll(() => t.close());

  it('builds the fixture it relies on: records carry their maker’s team, or the team they were assigned to', () => {
    expect(fixture.contact.teammate.teamId).toBe(sales.id);
    expect(fixture.contact.subTeam.teamId).toBe(salesSub.id);
    expect(fixture.contact.adminNoTeam.teamId).toBeNull();
    expect(fixture.contact.assignedToTeam).toMatchObject({ ownerId: admin.userId, teamId: sales.id });
    expect(fixture.contact.teammate.phones[0]!.e164).toBe(fixture.contact.teammate.phone);
  });

  describe.each(OBJECTS)('%s: reading', (object) => {
    describe.each(SCOPES)('scope %s', (scope) => {
      const visible = () => VISIBLE[scope].map((label) => fixture[object][label].id).sort();
      const hidden = () => LABELS.filter((label) => !VISIBLE[scope].includes(label)).map((label) => fixture[object][label]);

      it('lists exactly the records in scope, and counts only them', async () => {
        const page = await list(subject[scope], object, `q=${TOKEN}`);
        expect(page.items.map((r) => r.id).sort()).toEqual(visible());
        expect(page.total).toEqual({ value: VISIBLE[scope].length, exact: true });
      });

      it('opens cards in scope; any other card is 404 as if it did not exist', async () => {
        for (const label of VISIBLE[scope]) {
          const response = await api(subject[scope])('GET', `/api/v1/${PATH[object]}/${fixture[object][label].id}`);
          expect(response.statusCode, label).toBe(200);
        }
        for (const record of hidden()) {
          const response = await api(subject[scope])('GET', `/api/v1/${PATH[object]}/${record.id}`);
          expectProblem(response, 404, 'not_found');
          expect(response.body).not.toContain(record.name);
          expect(await current(object, record.id)).toBeDefined();
        }
      });

      it('global search finds records in scope by name, phone and e-mail, and never the others', async () => {
        const byName = searchIds(await search(subject[scope], TOKEN), object).filter((id) => Object.values(fixture[object]).some((r) => r.id === id));
        expect(byName.sort()).toEqual(visible());
        const seen = fixture[object][MINE[scope]];
        expect(searchIds(await search(subject[scope], seen.phone))).toEqual([seen.id]);
        expect(searchIds(await search(subject[scope], seen.email.toUpperCase()))).toEqual([seen.id]);
        for (const record of hidden()) {
          expect(searchIds(await search(subject[scope], record.phone)), `phone of ${record.name}`).toEqual([]);
          expect(searchIds(await search(subject[scope], record.email)), `e-mail of ${record.name}`).toEqual([]);
        }
      });

      it('the duplicate check does not reveal records outside the scope', async () => {
        const check = async (record: Rec & { phone: string; email: string }) => {
          const response = await api(subject[scope])('POST', `/api/v1/${PATH[object]}/duplicates`, { phones: [{ number: record.phone }], emails: [{ email: record.email }] });
          expect(response.statusCode).toBe(200);
          return response.json<{ items: DuplicateCandidate[] }>().items.map((c) => c.id);
        };
        expect(await check(fixture[object][MINE[scope]])).toEqual([fixture[object][MINE[scope]].id]);
        for (const record of hidden()) expect(await check(record), record.name).toEqual([]);
      });

      it('the history of a record outside the scope is 404, and no note can be added to it', async () => {
        const mine = fixture[object][MINE[scope]];
        expect((await api(subject[scope])('GET', `/api/v1/timeline/${object}/${mine.id}`)).statusCode).toBe(200);
        for (const record of hidden()) {
          expectProblem(await api(subject[scope])('GET', `/api/v1/timeline/${object}/${record.id}`), 404, 'not_found');
          expectProblem(await api(subject[scope])('POST', `/api/v1/timeline/${object}/${record.id}/notes`, { body: 'sneaky note' }), 404, 'not_found');
          expect(await notes(admin, object, record.id)).not.toContain('sneaky note');
        }
      });
    });
  });

  describe.each(OBJECTS)('%s: changing', (object) => {
    it('an edit or delete of a record outside the scope is 404 and leaves it as it was', async () => {
      for (const scope of ['own', 'team'] as const) {
        for (const label of ['adminNoTeam', 'otherTeam', 'subTeam'] as const) {
          const before = (await current(object, fixture[object][label].id))!;
          const edit = await api(subject[scope])('PATCH', `/api/v1/${PATH[object]}/${before.id}`, { tags: ['hijacked'], version: before.version });
          expectProblem(edit, 404, 'not_found');
          expectProblem(await api(subject[scope])('DELETE', `/api/v1/${PATH[object]}/${before.id}`), 404, 'not_found');
          const after = await current(object, before.id);
          expect(after, `${scope} → ${label}`).toMatchObject({ version: before.version, tags: before.tags });
        }
      }
    });

    it('team scope edits records of team members and those assigned to the team, not the sub-team’s; team_sub edits those too', async () => {
      for (const label of ['teammate', 'assignedToTeam'] as const) {
        const before = (await current(object, fixture[object][label].id))!;
        const edit = await api(subject.team)('PATCH', `/api/v1/${PATH[object]}/${before.id}`, { tags: [...before.tags, 'by-team-lead'], version: before.version });
        expect(edit.statusCode, `${label}: ${edit.body}`).toBe(200);
        expect((await current(object, before.id))!.tags).toContain('by-team-lead');
      }
      const sub = (await current(object, fixture[object].subTeam.id))!;
      expectProblem(await api(subject.team)('PATCH', `/api/v1/${PATH[object]}/${sub.id}`, { tags: ['by-team-lead'], version: sub.version }), 404, 'not_found');
      const bySub = await api(subject.team_sub)('PATCH', `/api/v1/${PATH[object]}/${sub.id}`, { tags: ['by-head'], version: sub.version });
      expect(bySub.statusCode, bySub.body).toBe(200);
      expect((await current(object, sub.id))!.tags).toEqual(['by-head']);
    });

    it('bulk tags on a mix of visible and invisible ids: the invisible fail as not found and are untouched', async () => {
      const ids = (['teamMine', 'teammate', 'assignedToTeam', 'subTeam', 'otherTeam', 'adminNoTeam'] as const).map((label) => fixture[object][label].id);
      const before = new Map(await Promise.all(ids.map(async (id) => [id, (await current(object, id))!] as const)));
      const response = await api(subject.team)('POST', `/api/v1/${PATH[object]}/bulk`, { ids, action: 'add_tags', tags: ['bulk-mix'] });
      expect(response.statusCode, response.body).toBe(200);
      const result = response.json<BulkResult>();
      const invisible = [fixture[object].subTeam.id, fixture[object].otherTeam.id, fixture[object].adminNoTeam.id];
      expect(result.done).toBe(3);
      expect(result.failed.map((f) => f.id).sort()).toEqual([...invisible].sort());
      expect(new Set(result.failed.map((f) => f.code))).toEqual(new Set(['not_found']));
      for (const id of ids) {
        const after = (await current(object, id))!;
        if (invisible.includes(id)) expect(after).toMatchObject({ version: before.get(id)!.version, tags: before.get(id)!.tags });
        else expect(after.tags).toContain('bulk-mix');
      }
    });

    it('bulk "set field" by an own-scope user changes only their own records', async () => {
      const { field, value, read } = BULK_FIELD[object];
      const mine = fixture[object].ownMine.id;
      const others = [fixture[object].teammate.id, fixture[object].adminNoTeam.id];
      const before = await Promise.all(others.map(async (id) => (await current(object, id))!));
      const response = await api(subject.own)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [mine, ...others], action: 'set_field', field, value });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<BulkResult>()).toMatchObject({ done: 1, failed: others.map((id) => expect.objectContaining({ id, code: 'not_found' })) });
      expect(read((await current(object, mine))!)).toBe(value);
      for (const was of before) {
        const after = (await current(object, was.id))!;
        expect(read(after)).toBe(read(was));
        expect(after.version).toBe(was.version);
      }
    });

    it('bulk delete on a mix deletes only what the user may delete', async () => {
      const mine = await create(subject.own, object, 'Bulk delete mine');
      const teammates = await create(member, object, 'Bulk delete teammate');
      const admins = await create(admin, object, 'Bulk delete admin');
      const response = await api(subject.own)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [mine.id, teammates.id, admins.id], action: 'delete' });
      expect(response.json<BulkResult>()).toMatchObject({ done: 1, failed: [expect.objectContaining({ id: teammates.id, code: 'not_found' }), expect.objectContaining({ id: admins.id, code: 'not_found' })] });
      expect(await current(object, mine.id)).toBeUndefined();
      expect(await current(object, teammates.id)).toBeDefined();
      expect(await current(object, admins.id)).toBeDefined();
    });

    it('bulk assign: an own-scope user cannot give away records, a team lead can only within the team', async () => {
      const mine = (await current(object, fixture[object].ownMine.id))!;
      const giveAway = await api(subject.own)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [mine.id], action: 'assign', ownerId: member.userId });
      expect(giveAway.json<BulkResult>()).toMatchObject({ done: 0, failed: [expect.objectContaining({ id: mine.id, code: 'forbidden' })] });
      expect((await current(object, mine.id))!).toMatchObject({ ownerId: subject.own.userId, version: mine.version });

      const leads = await create(subject.team, object, 'Assign me around');
      const outside = await api(subject.team)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [leads.id], action: 'assign', ownerId: outsider.userId });
      expect(outside.json<BulkResult>()).toMatchObject({ done: 0, failed: [expect.objectContaining({ id: leads.id, code: 'forbidden' })] });
      const inside = await api(subject.team)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [leads.id], action: 'assign', ownerId: member.userId });
      expect(inside.json<BulkResult>()).toEqual({ done: 1, failed: [] });
      expect((await current(object, leads.id))!).toMatchObject({ ownerId: member.userId, teamId: sales.id });
    });

    it('a record reassigned to someone in another team leaves the team’s lists', async () => {
      const record = await create(member, object, `${TOKEN}moved away`);
      expect((await list(subject.team, object, `q=${TOKEN}moved`)).items.map((r) => r.id)).toEqual([record.id]);
      const moved = await api(admin)('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [record.id], action: 'assign', ownerId: outsider.userId });
      expect(moved.json<BulkResult>()).toEqual({ done: 1, failed: [] });
      expect((await list(subject.team, object, `q=${TOKEN}moved`)).items).toEqual([]);
      expectProblem(await api(subject.team)('GET', `/api/v1/${PATH[object]}/${record.id}`), 404, 'not_found');
      expect((await list(outsider, object, `q=${TOKEN}moved`)).items.map((r) => r.id)).toEqual([record.id]);
    });

    it('creating a record for someone else needs the assign right over them', async () => {
      const name = `Given to member ${object}`;
      const response = await api(subject.own)('POST', `/api/v1/${PATH[object]}`, draft(object, name, { ownerId: member.userId }));
      expectProblem(response, 403, 'forbidden', '/body/ownerId');
      expect((await list(admin, object, `q=${encodeURIComponent(name)}`)).items).toEqual([]);
    });
  });

  describe('merging needs the edit right on every record involved', () => {
    let reader: Session;
    beforeAll(async () => {
      await createRole('Reads all, edits own', { company: { read: 'all', create: 'own', update: 'own', delete: 'own' }, contact: { read: 'all', create: 'own', update: 'own', delete: 'own' }, lead: { read: 'all', create: 'own', update: 'own', delete: 'own' } });
      reader = await addUser(t, admin, { role: 'Reads all, edits own', teamId: sales.id });
    });

    it.each(OBJECTS)('%s: a visible record the user may not edit → 403, and nothing moves either way', async (object) => {
      const mine = await create(reader, object, 'Merge Twin', { phones: [{ number: nextPhone().typed }] });
      const otherPhone = nextPhone();
      const theirs = await create(admin, object, 'Merge Twin', { phones: [{ number: otherPhone.typed }], tags: ['admins'] });
      expect((await api(admin)('POST', `/api/v1/timeline/${object}/${theirs.id}/notes`, { body: 'Admin’s note on the twin' })).statusCode).toBe(201);
      let linkedContact: Rec | undefined;
      let company: Rec | undefined;
      if (object === 'company') linkedContact = await create(admin, 'contact', 'Works at twin', { companies: [{ companyId: theirs.id }] });
      if (object === 'contact') {
        company = await create(admin, 'company', 'Twin’s employer');
        const linked = await api(admin)('PATCH', `/api/v1/contacts/${theirs.id}`, { companies: [{ companyId: company.id }], version: theirs.version });
        expect(linked.statusCode).toBe(200);
      }
      expect((await api(reader)('GET', `/api/v1/${PATH[object]}/${theirs.id}`)).statusCode).toBe(200);
      const mineBefore = (await current(object, mine.id))!;
      const theirsBefore = (await current(object, theirs.id))!;

      expectProblem(await api(reader)('POST', `/api/v1/${PATH[object]}/merge`, { survivorId: mine.id, mergedIds: [theirs.id] }), 403, 'forbidden');
      expectProblem(await api(reader)('POST', `/api/v1/${PATH[object]}/merge`, { survivorId: theirs.id, mergedIds: [mine.id] }), 403, 'forbidden');

      expect(await current(object, mine.id)).toEqual(mineBefore);
      expect(await current(object, theirs.id)).toEqual(theirsBefore);
      expect(await notes(admin, object, theirs.id)).toEqual(['Admin’s note on the twin']);
      expect(await notes(admin, object, mine.id)).toEqual([]);
      expect(searchIds(await search(admin, otherPhone.e164))).toEqual([theirs.id]);
      if (linkedContact) expect((await current('contact', linkedContact.id))!.companies!.map((c) => c.companyId)).toEqual([theirs.id]);
      if (company) {
        const people = await list(admin, 'contact', `filter=${encodeURIComponent(JSON.stringify({ field: 'companyId', op: 'eq', value: company.id }))}`);
        expect(people.items.map((r) => r.id)).toEqual([theirs.id]);
      }
    });
  });

  describe.each(OBJECTS)('%s: recycle bin', (object) => {
    it('lists only the deleted records the user may see, and refuses to restore the others', async () => {
      const mine = await create(subject.own, object, 'Binned mine');
      const teammates = await create(member, object, 'Binned teammate');
      const admins = await create(admin, object, 'Binned admin');
      expect((await api(subject.own)('DELETE', `/api/v1/${PATH[object]}/${mine.id}`)).statusCode).toBe(204);
      expect((await api(member)('DELETE', `/api/v1/${PATH[object]}/${teammates.id}`)).statusCode).toBe(204);
      expect((await api(admin)('DELETE', `/api/v1/${PATH[object]}/${admins.id}`)).statusCode).toBe(204);

      const ownBin = await bin(subject.own, object);
      expect(ownBin).toContain(mine.id);
      expect(ownBin).not.toContain(teammates.id);
      expect(ownBin).not.toContain(admins.id);
      const teamBin = await bin(subject.team, object);
      expect(teamBin).toEqual(expect.arrayContaining([mine.id, teammates.id]));
      expect(teamBin).not.toContain(admins.id);
      expect(await bin(admin, object)).toEqual(expect.arrayContaining([mine.id, teammates.id, admins.id]));

      expectProblem(await api(subject.own)('POST', `/api/v1/${PATH[object]}/${admins.id}/restore`), 404, 'not_found');
      expectProblem(await api(subject.own)('POST', `/api/v1/${PATH[object]}/${teammates.id}/restore`), 404, 'not_found');
      expectProblem(await api(subject.team)('POST', `/api/v1/${PATH[object]}/${admins.id}/restore`), 404, 'not_found');
      expect(await bin(admin, object)).toContain(admins.id);
      expect(await current(object, admins.id)).toBeUndefined();

      const restored = await api(subject.team)('POST', `/api/v1/${PATH[object]}/${teammates.id}/restore`);
      expect(restored.statusCode, restored.body).toBe(200);
      expect(await current(object, teammates.id)).toBeDefined();
      expect((await api(subject.own)('POST', `/api/v1/${PATH[object]}/${mine.id}/restore`)).statusCode).toBe(200);
    });
  });

  describe('a role without rights on an object', () => {
    let viewer: Session;
    let companiesOnly: Session;
    beforeAll(async () => {
      await createRole('Viewer', { company: { read: 'all' }, contact: { read: 'all' }, lead: { read: 'all' } });
      await createRole('Companies only', { company: every('all') });
      viewer = await addUser(t, admin, { role: 'Viewer', teamId: sales.id });
      companiesOnly = await addUser(t, admin, { role: 'Companies only', teamId: sales.id });
    });

    it('no read right on contacts and leads: lists, cards, history, fields, duplicates, views and the bin are 403', async () => {
      const contact = fixture.contact.adminNoTeam;
      const lead = fixture.lead.adminNoTeam;
      const call = api(companiesOnly);
      expectProblem(await call('GET', '/api/v1/contacts'), 403, 'forbidden');
      expectProblem(await call('GET', '/api/v1/leads'), 403, 'forbidden');
      expectProblem(await call('GET', `/api/v1/contacts/${contact.id}`), 403, 'forbidden');
      expectProblem(await call('GET', `/api/v1/leads/${lead.id}`), 403, 'forbidden');
      expectProblem(await call('GET', `/api/v1/timeline/contact/${contact.id}`), 403, 'forbidden');
      expectProblem(await call('GET', '/api/v1/objects/contact/fields'), 403, 'forbidden');
      expectProblem(await call('POST', '/api/v1/contacts/duplicates', { emails: [{ email: contact.email }] }), 403, 'forbidden');
      expectProblem(await call('GET', '/api/v1/views?object=contact'), 403, 'forbidden');
      expectProblem(await call('GET', '/api/v1/recycle-bin?object=contact'), 403, 'forbidden');
      expectProblem(await call('POST', '/api/v1/contacts', { firstName: 'Nope' }), 403, 'forbidden');
      expect((await call('GET', '/api/v1/companies?limit=1')).statusCode).toBe(200);
    });

    it('no read right on contacts: global search leaves contacts and leads out, even by exact phone', async () => {
      const byName = await search(companiesOnly, TOKEN);
      expect(byName.groups.map((g) => g.object)).toEqual(['company']);
      expect(await search(companiesOnly, fixture.contact.adminNoTeam.phone)).toEqual({ groups: [] });
      expect(await search(companiesOnly, fixture.lead.adminNoTeam.email)).toEqual({ groups: [] });
      expect(searchIds(await search(companiesOnly, fixture.company.adminNoTeam.phone))).toEqual([fixture.company.adminNoTeam.id]);
    });

    it('no read right on contacts: their custom field definitions are not listed', async () => {
      const field = await api(admin)('POST', '/api/v1/custom-fields', { object: 'contact', key: 'secret_score', label: 'Secret score', kind: 'number' });
      expect(field.statusCode).toBe(201);
      const companyField = await api(admin)('POST', '/api/v1/custom-fields', { object: 'company', key: 'segment', label: 'Segment', kind: 'text' });
      expect(companyField.statusCode).toBe(201);
      const keys = (await api(companiesOnly)('GET', '/api/v1/custom-fields')).json<{ items: { key: string }[] }>().items.map((f) => f.key);
      expect(keys).toContain('segment');
      expect(keys).not.toContain('secret_score');
      expect((await api(admin)('DELETE', `/api/v1/custom-fields/${field.json<{ id: string }>().id}`)).statusCode).toBe(204);
      expect((await api(admin)('DELETE', `/api/v1/custom-fields/${companyField.json<{ id: string }>().id}`)).statusCode).toBe(204);
    });

    it.each(OBJECTS)('%s: read-only role: edit, delete, bulk, merge, restore and the bin are 403 and nothing changes', async (object) => {
      const target = (await current(object, fixture[object].adminNoTeam.id))!;
      const other = fixture[object].otherTeam.id;
      const call = api(viewer);
      expect((await call('GET', `/api/v1/${PATH[object]}/${target.id}`)).statusCode).toBe(200);
      expectProblem(await call('PATCH', `/api/v1/${PATH[object]}/${target.id}`, { tags: ['viewer'], version: target.version }), 403, 'forbidden');
      expectProblem(await call('DELETE', `/api/v1/${PATH[object]}/${target.id}`), 403, 'forbidden');
      expectProblem(await call('POST', `/api/v1/${PATH[object]}/bulk`, { ids: [target.id], action: 'add_tags', tags: ['viewer'] }), 403, 'forbidden');
      expectProblem(await call('POST', `/api/v1/${PATH[object]}/merge`, { survivorId: target.id, mergedIds: [other] }), 403, 'forbidden');
      expectProblem(await call('GET', `/api/v1/recycle-bin?object=${object}`), 403, 'forbidden');
      const binned = await create(admin, object, 'Binned for the viewer');
      await api(admin)('DELETE', `/api/v1/${PATH[object]}/${binned.id}`);
      expectProblem(await call('POST', `/api/v1/${PATH[object]}/${binned.id}/restore`), 403, 'forbidden');
      expect(await current(object, binned.id)).toBeUndefined();
      expect(await current(object, target.id)).toEqual(target);
      expect(await current(object, other)).toBeDefined();
    });
  });

  describe('related records', () => {
    it('the people of a visible company list only the contacts the user may see', async () => {
      const company = await create(member, 'company', 'Related Works');
      const seen = await create(member, 'contact', 'Related Visible', { companies: [{ companyId: company.id }] });
      const unseen = await create(admin, 'contact', 'Related Hidden', { ownerId: outsider.userId, companies: [{ companyId: company.id, role: 'CEO' }] });
      expect(unseen.teamId).toBe(otherTeam.id);
      const byId = `filter=${encodeURIComponent(JSON.stringify({ field: 'companyId', op: 'eq', value: company.id }))}`;
      const byName = `filter=${encodeURIComponent(JSON.stringify({ field: 'company.name', op: 'contains', value: 'Related Works' }))}`;
      expect((await api(subject.team)('GET', `/api/v1/companies/${company.id}`)).statusCode).toBe(200);
      for (const query of [byId, byName]) {
        const people = await list(subject.team, 'contact', query);
        expect(people.items.map((r) => r.id)).toEqual([seen.id]);
        expect(people.total.value).toBe(1);
        expect((await list(admin, 'contact', query)).items.map((r) => r.id).sort()).toEqual([seen.id, unseen.id].sort());
      }
      // The company's history does not carry the hidden person either.
      const history = (await api(subject.team)('GET', `/api/v1/timeline/company/${company.id}`)).body;
      expect(history).not.toContain('Related Hidden');
    });

    it('documents: a visible contact linked to a company outside the scope shows the link and the company name; the company itself is 404', async () => {
      // Only an administrator can make such a link; the user cannot open, search or list the company.
      const company = await create(admin, 'company', 'Hidden Employer Ltd');
      const contact = await create(admin, 'contact', 'Linked Person', { ownerId: subject.own.userId, companies: [{ companyId: company.id }] });
      const card = (await api(subject.own)('GET', `/api/v1/contacts/${contact.id}`)).json<Rec>();
      expect(card.companies).toEqual([expect.objectContaining({ companyId: company.id, companyName: 'Hidden Employer Ltd' })]);
      expectProblem(await api(subject.own)('GET', `/api/v1/companies/${company.id}`), 404, 'not_found');
      expect(searchIds(await search(subject.own, 'Hidden Employer'), 'company')).toEqual([]);
    });

    it('linking to a company outside the scope answers exactly as for a company that does not exist', async () => {
      const hidden = fixture.company.adminNoTeam.id;
      const missing = '00000000-0000-4000-8000-000000000000';
      const answer = async (companyId: string) => {
        const response = await api(subject.own)('POST', '/api/v1/contacts', { firstName: 'Linker', companies: [{ companyId }] });
        const body = response.json<Problem & { detail?: string }>();
        return { status: response.statusCode, code: body.code, errors: body.errors, detail: body.detail };
      };
      const toHidden = await answer(hidden);
      expect(toHidden).toMatchObject({ status: 400, code: 'validation', errors: [expect.objectContaining({ path: '/body/companies/0/companyId' })] });
      expect(toHidden).toEqual(await answer(missing));
      const parent = await api(subject.own)('POST', '/api/v1/companies', { name: 'Branch of hidden', parentId: hidden });
      expectProblem(parent, 400, 'validation', '/body/parentId');
      expect((await list(admin, 'contact', 'q=linker')).items).toEqual([]);
      expect((await list(admin, 'company', `q=${encodeURIComponent('branch of hidden')}`)).items).toEqual([]);
    });

    it('lead conversion cannot reach into records outside the scope, and the preview does not offer them', async () => {
      const hiddenCompany = await create(admin, 'company', 'Preview Hidden Corp');
      const phone = nextPhone();
      const lead = await create(subject.own, 'lead', 'Pat Preview', { companyName: 'Preview Hidden Corp', phones: [{ number: phone.typed }] });
      const preview = (await api(subject.own)('GET', `/api/v1/leads/${lead.id}/convert-preview`)).json<{ companies: { id: string }[] }>();
      expect(preview.companies.map((c) => c.id)).not.toContain(hiddenCompany.id);
      const adminPreview = (await api(admin)('GET', `/api/v1/leads/${lead.id}/convert-preview`)).json<{ companies: { id: string }[] }>();
      expect(adminPreview.companies.map((c) => c.id)).toContain(hiddenCompany.id);

      const intoCompany = await api(subject.own)('POST', `/api/v1/leads/${lead.id}/convert`, { contact: { mode: 'new' }, company: { mode: 'existing', id: hiddenCompany.id }, version: lead.version });
      expectProblem(intoCompany, 404, 'not_found');
      const intoContact = await api(subject.own)('POST', `/api/v1/leads/${lead.id}/convert`, { contact: { mode: 'existing', id: fixture.contact.adminNoTeam.id }, company: { mode: 'none' }, version: lead.version });
      expectProblem(intoContact, 404, 'not_found');
      expect((await current('lead', lead.id))!).toMatchObject({ convertedAt: null, version: lead.version });
      expect(searchIds(await search(admin, phone.e164), 'contact')).toEqual([]);
      expect((await current('contact', fixture.contact.adminNoTeam.id))!.companies).toEqual([]);
    });
  });

  describe('teams', () => {
    it('team_sub reaches a sub-team created after the user signed in, without signing in again', async () => {
      const newer = await createTeam('Sales / Newcomers', sales.id);
      const newcomer = await addUser(t, admin, { role: 'Scope own', teamId: newer.id, name: 'Nia Newcomer' });
      const record = await create(newcomer, 'contact', `${TOKEN}late arrival`);
      expect((await list(subject.team_sub, 'contact', `q=${TOKEN}late`)).items.map((r) => r.id)).toEqual([record.id]);
      expect((await list(subject.team, 'contact', `q=${TOKEN}late`)).items).toEqual([]);
    });

    it('a user moved to another team takes the new team’s view at once', async () => {
      const mover = await addUser(t, admin, { role: 'Scope team', teamId: otherTeam.id, name: 'Max Mover' });
      expect((await api(mover)('GET', `/api/v1/contacts/${fixture.contact.teammate.id}`)).statusCode).toBe(404);
      const user = (await api(admin)('GET', `/api/v1/users/${mover.userId}`)).json<User>();
      const moved = await api(admin)('PATCH', `/api/v1/users/${mover.userId}`, { teamId: sales.id, version: user.version });
      expect(moved.statusCode, moved.body).toBe(200);
      expect((await api(mover)('GET', `/api/v1/contacts/${fixture.contact.teammate.id}`)).statusCode).toBe(200);
      expect((await api(mover)('GET', `/api/v1/contacts/${fixture.contact.otherTeam.id}`)).statusCode).toBe(404);
    });
  });

  describe('field rules', () => {
    it('a field the role hides is left out of cards and lists', async () => {
      await createRole('No phones', { contact: every('all') }, { contact: { phones: 'hidden' } });
      const reader = await addUser(t, admin, { role: 'No phones', teamId: sales.id });
      const card = (await api(reader)('GET', `/api/v1/contacts/${fixture.contact.teammate.id}`)).json<Record<string, unknown>>();
      expect(card).toHaveProperty('name');
      expect(card).not.toHaveProperty('phones');
      const page = await list(reader, 'contact', `q=${TOKEN}`);
      expect(page.items.length).toBeGreaterThan(0);
      for (const item of page.items) expect(item).not.toHaveProperty('phones');
    });
  });

  describe('regressions', () => {
    // Was: the recycle bin and restore use only the delete scope, so a role with read "own" and delete "all" sees and restores others' records.
    it('the recycle bin never shows records the user cannot read, whatever the delete scope', async () => {
      await createRole('Reads own, deletes all', { contact: { read: 'own', create: 'own', update: 'own', delete: 'all' } });
      const janitor = await addUser(t, admin, { role: 'Reads own, deletes all', teamId: sales.id });
      const secret = await create(admin, 'contact', 'Secret Binned Person');
      expect((await api(admin)('DELETE', `/api/v1/contacts/${secret.id}`)).statusCode).toBe(204);
      expect(await bin(janitor, 'contact')).not.toContain(secret.id);
      expectProblem(await api(janitor)('POST', `/api/v1/contacts/${secret.id}/restore`), 404, 'not_found');
    });

    // Was: lead conversion creates the contact and company without checking the user's create rights on them.
    it('converting a lead into a new contact and company needs the right to create them', async () => {
      await createRole('Lead qualifier', { lead: every('own'), contact: { read: 'own' }, company: { read: 'own' } });
      const qualifier = await addUser(t, admin, { role: 'Lead qualifier', teamId: sales.id });
      expectProblem(await api(qualifier)('POST', '/api/v1/contacts', { firstName: 'Direct' }), 403, 'forbidden');
      const lead = await create(qualifier, 'lead', 'Quinn Qualified', { companyName: 'Qualified Imports' });
      const response = await api(qualifier)('POST', `/api/v1/leads/${lead.id}/convert`, { contact: { mode: 'new' }, company: { mode: 'new' }, version: lead.version });
      expectProblem(response, 403, 'forbidden');
      expect((await list(admin, 'company', 'q=qualified%20imports')).items).toEqual([]);
      expect((await list(admin, 'contact', 'q=quinn')).items).toEqual([]);
      expect((await current('lead', lead.id))!.convertedAt).toBeNull();
    });

    // Was: read-only field rules are not enforced on company/contact/lead writes (only the user module calls assertWritable).
    it('a field the role makes read-only cannot be changed', async () => {
      await createRole('Fixed position', { contact: every('all') }, { contact: { position: 'readonly' } });
      const editor = await addUser(t, admin, { role: 'Fixed position', teamId: sales.id });
      const before = (await current('contact', fixture.contact.teammate.id))!;
      const response = await api(editor)('PATCH', `/api/v1/contacts/${before.id}`, { position: 'Changed anyway', version: before.version });
      expectProblem(response, 403, 'forbidden', '/body/position');
      expect((await current('contact', before.id))!.version).toBe(before.version);
    });
  });
});
