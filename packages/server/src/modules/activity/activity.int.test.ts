import type { Activity, Company, Contact, Lead, PermissionMatrix, Role, TimelineEntry } from '@rapport/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

/** Calls, meetings, e-mails and SMS on client records: logging, the cards' timelines, rules of input and of access. */

interface Problem {
  code: string;
  currentVersion?: number;
  errors?: { path: string; message: string }[];
}

const HOUR = 3_600_000;

function expectProblem(response: LightMyRequestResponse, status: number, code: string, path?: string): void {
  expect({ status: response.statusCode, code: response.json<Problem>().code }, response.body).toEqual({ status, code });
  expect(response.headers['content-type']).toContain('application/problem+json');
  if (path) expect(response.json<Problem>().errors?.map((e) => e.path)).toEqual([path]);
}

describe('activities', () => {
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let otherRep: Session;
  // Real time: activities take the clock's "now", the audit trail the database's, and timelines interleave both.
  const clock = { now: () => new Date() };

  const api = (session: Session) => as(t, session);
  const ok = async <T,>(response: Promise<LightMyRequestResponse>, status = 200): Promise<T> => {
    const answer = await response;
    expect(answer.statusCode, answer.body).toBe(status);
    return (status === 204 ? undefined : answer.json<T>()) as T;
  };
  const company = (session: Session, name: string) => ok<Company>(api(session)('POST', '/api/v1/companies', { name }), 201);
  const contact = (session: Session, firstName: string, extra: Record<string, unknown> = {}) => ok<Contact>(api(session)('POST', '/api/v1/contacts', { firstName, ...extra }), 201);
  const log = (session: Session, body: Record<string, unknown>) => api(session)('POST', '/api/v1/activities', body);
  const timeline = async (session: Session, object: string, id: string, kind?: string) =>
    (await ok<{ items: TimelineEntry[] }>(api(session)('GET', `/api/v1/timeline/${object}/${id}${kind ? `?kind=${kind}` : ''}`))).items;
  const lastActivity = async (table: 'company' | 'contact' | 'lead', id: string) =>
    (await t.database.db.selectFrom(table).select('last_activity_at').where('id', '=', id).executeTakeFirstOrThrow()).last_activity_at;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep', name: 'Rita Rep' });
    otherRep = await addUser(t, admin, { role: 'Sales rep', name: 'Oleg Other' });
  });
  afterAll(() => t.close());

  it('logs a call from a contact card: both the contact and its company show it, filterable by type, with the number read', async () => {
    const acme = await company(rep, 'Acme Ltd');
    const anna = await contact(rep, 'Anna', { lastName: 'Petrova', phones: [{ number: '+7 916 555-12-34' }], companies: [{ companyId: acme.id }] });
    await ok(api(rep)('POST', `/api/v1/timeline/contact/${anna.id}/notes`, { body: 'Prefers mornings' }), 201);

    const call = await ok<Activity>(
      log(rep, { kind: 'call', direction: 'outbound', phone: '+7 (916) 555 1234', durationSec: 185, result: 'answered', body: 'Agreed on a demo', links: [{ object: 'contact', id: anna.id }, { object: 'company', id: acme.id }] }),
      201,
    );
    expect(call).toMatchObject({ kind: 'call', status: 'done', phoneE164: '+79165551234', phone: '+7 916 555 12 34', durationSec: 185, ownerId: rep.userId, ownerName: 'Rita Rep', authorName: 'Rita Rep' });
    expect(call.links).toEqual(expect.arrayContaining([{ object: 'contact', id: anna.id, title: 'Anna Petrova' }, { object: 'company', id: acme.id, title: 'Acme Ltd' }]));
    // A call has a slot in the calendar: its start and, with a duration, its end.
    expect(Date.parse(call.endsAt!) - Date.parse(call.startsAt!)).toBe(185_000);

    for (const [object, id] of [['contact', anna.id], ['company', acme.id]] as const) {
      const all = await timeline(rep, object, id);
      expect(all[0]).toMatchObject({ kind: 'call', body: 'Agreed on a demo', actorName: 'Rita Rep', activity: { id: call.id, result: 'answered', durationSec: 185 } });
      expect((await timeline(rep, object, id, 'call')).map((e) => e.id)).toEqual([call.id]);
      expect((await timeline(rep, object, id, 'change')).every((e) => e.activity === null && e.kind !== 'call')).toBe(true);
      expect(await timeline(rep, object, id, 'meeting')).toEqual([]);
    }
    expect((await timeline(rep, 'contact', anna.id, 'note')).map((e) => e.body)).toEqual(['Prefers mornings']);
    expect(await lastActivity('contact', anna.id)).toEqual(new Date(call.occurredAt));
    expect(await lastActivity('company', acme.id)).toEqual(new Date(call.occurredAt));
  });

  it('plans a meeting with colleagues; it counts as an interaction only once it is done', async () => {
    const globex = await company(admin, 'Globex');
    const before = await lastActivity('company', globex.id);
    const start = new Date(clock.now().getTime() + 24 * HOUR);
    const meeting = await ok<Activity>(
      log(admin, { kind: 'meeting', subject: 'Kick-off', place: 'Their office', startsAt: start.toISOString(), endsAt: new Date(start.getTime() + HOUR).toISOString(), participantIds: [rep.userId], links: [{ object: 'company', id: globex.id }] }),
      201,
    );
    expect(meeting).toMatchObject({ status: 'planned', subject: 'Kick-off', participants: [{ userId: rep.userId, name: 'Rita Rep' }] });
    expect(await lastActivity('company', globex.id)).toEqual(before);

    // A participant reads it although it is not theirs (nor on a record they own).
    expect((await ok<Activity>(api(rep)('GET', `/api/v1/activities/${meeting.id}`))).subject).toBe('Kick-off');
    expect((await ok<{ items: Activity[] }>(api(rep)('GET', '/api/v1/activities?kind=meeting'))).items.map((a) => a.id)).toContain(meeting.id);

    // "Done" cannot lie in the future; moved to the past, it can.
    expectProblem(await api(admin)('PATCH', `/api/v1/activities/${meeting.id}`, { status: 'done', version: meeting.version }), 400, 'validation', '/body/startsAt');
    const past = new Date(clock.now().getTime() - 2 * HOUR);
    const done = await ok<Activity>(api(admin)('PATCH', `/api/v1/activities/${meeting.id}`, { status: 'done', startsAt: past.toISOString(), endsAt: new Date(past.getTime() + HOUR).toISOString(), version: meeting.version }));
    expect(done).toMatchObject({ status: 'done', occurredAt: past.toISOString(), version: meeting.version + 1 });
    expect(await lastActivity('company', globex.id)).toEqual(past);
    expect((await timeline(admin, 'company', globex.id, 'meeting'))[0]!.at).toBe(past.toISOString());
  });

  it('logs e-mails and SMS, and keeps an audit trail and a live event for each record', async () => {
    const initech = await company(admin, 'Initech');
    const bill = await contact(admin, 'Bill', { companies: [{ companyId: initech.id }] });
    const email = await ok<Activity>(
      log(admin, { kind: 'email', direction: 'inbound', subject: 'Re: prices', emailFrom: 'Bill@Initech.example', emailTo: ['sales@acme.example'], body: 'Send the offer', links: [{ object: 'contact', id: bill.id }, { object: 'company', id: initech.id }] }),
      201,
    );
    expect(email).toMatchObject({ kind: 'email', status: null, emailFrom: 'bill@initech.example', emailTo: ['sales@acme.example'] });
    const sms = await ok<Activity>(log(admin, { kind: 'sms', direction: 'outbound', phone: '+1 415 555 2671', body: 'See you at 10', links: [{ object: 'contact', id: bill.id }] }), 201);
    expect(sms.phoneE164).toBe('+14155552671');
    expect((await timeline(admin, 'contact', bill.id)).slice(0, 2).map((e) => e.kind)).toEqual(['sms', 'email']);

    const edited = await ok<Activity>(api(admin)('PATCH', `/api/v1/activities/${sms.id}`, { body: 'See you at 11' }, { 'if-match': `"${sms.version}"` }));
    await ok(api(admin)('DELETE', `/api/v1/activities/${edited.id}`), 204);
    expect((await timeline(admin, 'contact', bill.id)).map((e) => e.id)).not.toContain(sms.id);

    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'changes']).where('object_type', '=', 'activity').where('object_id', 'in', [email.id, sms.id]).orderBy('at').execute();
    expect(audit.map((a) => a.action)).toEqual(['activity.create', 'activity.create', 'activity.update', 'activity.delete']);
    expect(audit[2]!.changes).toEqual({ body: { from: 'See you at 10', to: 'See you at 11' } });
    const events = await t.database.db.selectFrom('outbox').select('payload').where('topic', '=', 'record.changed').execute();
    const announced = events.map((e) => e.payload).filter((p) => p.action === 'activity');
    expect(announced.filter((p) => p.id === initech.id)).toHaveLength(1);
    expect(announced.filter((p) => p.id === bill.id)).toHaveLength(4);
  });

  it('refuses bad input with the field that is wrong', async () => {
    const soylent = await company(rep, 'Soylent');
    const link = [{ object: 'company', id: soylent.id }];
    const now = clock.now().getTime();
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'meeting', subject: 'x', startsAt: new Date(now + HOUR).toISOString(), endsAt: new Date(now).toISOString(), links: link }, '/body/endsAt'],
      [{ kind: 'call', direction: 'outbound', durationSec: -5, links: link }, '/body/durationSec'],
      [{ kind: 'call', direction: 'outbound', phone: 'call me maybe', links: link }, '/body/phone'],
      [{ kind: 'call', direction: 'outbound', place: 'Office', links: link }, '/body/place'],
      [{ kind: 'call', links: link }, '/body/direction'],
      [{ kind: 'call', direction: 'outbound' }, '/body/links'],
      [{ kind: 'call', direction: 'outbound', links: [] }, '/body/links'],
      [{ kind: 'call', direction: 'sideways', links: link }, '/body/direction'],
      [{ kind: 'email', direction: 'outbound', subject: 'Hi', emailTo: ['not-an-address'], links: link }, '/body/emailTo/0'],
      [{ kind: 'sms', direction: 'outbound', phone: '+14155552671', body: 'Hi', occurredAt: new Date(now + 24 * HOUR).toISOString(), links: link }, '/body/occurredAt'],
      [{ kind: 'call', direction: 'outbound', recordingUrl: 'javascript:alert(1)', links: link }, '/body/recordingUrl'],
      [{ kind: 'call', direction: 'outbound', participantIds: ['0190a5c0-0000-7000-8000-000000000000'], links: link }, '/body/participantIds/0'],
      [{ kind: 'call', direction: 'outbound', ownerId: '0190a5c0-0000-7000-8000-000000000000', links: link }, '/body/ownerId'],
      [{ kind: 'note', body: 'x', links: link }, '/body/kind'],
      [{ kind: 'call', direction: 'outbound', links: link, surprise: 1 }, '/body/surprise'],
    ];
    for (const [body, path] of cases) expectProblem(await log(rep, body), 400, 'validation', path);

    // An unknown record and one the rep may not see are answered alike.
    const hidden = await company(otherRep, 'Not yours');
    expectProblem(await log(rep, { kind: 'call', direction: 'inbound', links: [{ object: 'company', id: '0190a5c0-0000-7000-8000-000000000001' }] }), 400, 'validation', '/body/links/0/id');
    expectProblem(await log(rep, { kind: 'call', direction: 'inbound', links: [...link, { object: 'company', id: hidden.id }] }), 400, 'validation', '/body/links/1/id');
    expect(await timeline(otherRep, 'company', hidden.id, 'call')).toEqual([]);

    const call = await ok<Activity>(log(rep, { kind: 'call', direction: 'inbound', links: link }), 201);
    expectProblem(await api(rep)('PATCH', `/api/v1/activities/${call.id}`, { result: 'busy' }), 428, 'version_required');
    await ok(api(rep)('PATCH', `/api/v1/activities/${call.id}`, { result: 'busy', version: call.version }));
    const stale = await api(rep)('PATCH', `/api/v1/activities/${call.id}`, { result: 'voicemail', version: call.version });
    expectProblem(stale, 409, 'version_conflict');
    expect(stale.json<Problem>().currentVersion).toBe(call.version + 1);
    expectProblem(await api(rep)('PATCH', `/api/v1/activities/${call.id}`, { emailTo: ['a@b.example'], version: call.version + 1 }), 400, 'validation', '/body/emailTo');
    expectProblem(await api(rep)('GET', '/api/v1/activities?cursor=garbage'), 400, 'bad_cursor', '/query/cursor');
  });

  it("keeps a rep with 'own' scope to their own activities, while a client's history stays whole on their cards", async () => {
    const mine = await company(rep, 'Rep Co');
    const theirs = await company(otherRep, 'Other Co');
    const onTheirs = await ok<Activity>(log(otherRep, { kind: 'call', direction: 'outbound', body: 'secret terms', links: [{ object: 'company', id: theirs.id }] }), 201);
    // An administrator's call on the rep's company: on the rep's card, but not the rep's to change.
    const onMine = await ok<Activity>(log(admin, { kind: 'call', direction: 'outbound', body: 'checked in', links: [{ object: 'company', id: mine.id }, { object: 'company', id: theirs.id }] }), 201);

    expectProblem(await api(rep)('GET', `/api/v1/activities/${onTheirs.id}`), 404, 'not_found');
    expectProblem(await api(rep)('PATCH', `/api/v1/activities/${onTheirs.id}`, { body: 'mine now', version: onTheirs.version }), 404, 'not_found');
    expectProblem(await api(rep)('DELETE', `/api/v1/activities/${onTheirs.id}`), 404, 'not_found');
    expectProblem(await api(rep)('GET', `/api/v1/timeline/company/${theirs.id}`), 404, 'not_found');
    const listed = (await ok<{ items: Activity[] }>(api(rep)('GET', '/api/v1/activities?limit=200'))).items;
    expect(listed.every((a) => a.ownerId === rep.userId || a.participants.some((p) => p.userId === rep.userId))).toBe(true);
    expect(listed.map((a) => a.id)).not.toContain(onTheirs.id);

    const seen = (await timeline(rep, 'company', mine.id))[0]!;
    expect(seen.activity).toMatchObject({ id: onMine.id, body: 'checked in' });
    // The other record it is on is named only to those who may read it.
    expect(seen.activity!.links).toEqual(expect.arrayContaining([{ object: 'company', id: mine.id, title: 'Rep Co' }, { object: 'company', id: theirs.id, title: null }]));
    expectProblem(await api(rep)('PATCH', `/api/v1/activities/${onMine.id}`, { body: 'rewritten', version: onMine.version }), 403, 'forbidden');
    expectProblem(await api(rep)('DELETE', `/api/v1/activities/${onMine.id}`), 403, 'forbidden');
    // Re-linking keeps the record the rep cannot see; giving the call to someone else needs the assign right over them.
    const mineToo = await company(rep, 'Rep Co 2');
    const own = await ok<Activity>(log(rep, { kind: 'call', direction: 'inbound', links: [{ object: 'company', id: mine.id }] }), 201);
    const moved = await ok<Activity>(api(rep)('PATCH', `/api/v1/activities/${own.id}`, { links: [{ object: 'company', id: mineToo.id }], version: own.version }));
    expect(moved.links.map((l) => l.id)).toEqual([mineToo.id]);
    expect((await timeline(rep, 'company', mine.id, 'call')).map((e) => e.id)).not.toContain(own.id);
    expectProblem(await api(rep)('PATCH', `/api/v1/activities/${own.id}`, { ownerId: otherRep.userId, version: moved.version }), 403, 'forbidden', '/body/ownerId');
    const given = await ok<Activity>(api(admin)('PATCH', `/api/v1/activities/${own.id}`, { ownerId: otherRep.userId, version: moved.version }));
    expect(given.ownerId).toBe(otherRep.userId);
    expectProblem(await api(rep)('PATCH', `/api/v1/activities/${own.id}`, { body: 'still mine?', version: given.version }), 403, 'forbidden');
  });

  it('answers 403 to a role without activity rights, and its cards show notes but no calls', async () => {
    const role = await ok<Role>(
      api(admin)('POST', '/api/v1/roles', { name: 'Clients only', permissions: { company: { read: 'all', create: 'own', update: 'all' } } satisfies PermissionMatrix }),
      201,
    );
    const viewer = await addUser(t, admin, { role: role.name });
    const hooli = await company(admin, 'Hooli');
    await ok(api(admin)('POST', `/api/v1/timeline/company/${hooli.id}/notes`, { body: 'VIP' }), 201);
    const call = await ok<Activity>(log(admin, { kind: 'call', direction: 'inbound', links: [{ object: 'company', id: hooli.id }] }), 201);
    expectProblem(await log(viewer, { kind: 'call', direction: 'inbound', links: [{ object: 'company', id: hooli.id }] }), 403, 'forbidden');
    expectProblem(await api(viewer)('GET', '/api/v1/activities'), 403, 'forbidden');
    expectProblem(await api(viewer)('GET', `/api/v1/activities/${call.id}`), 403, 'forbidden');
    const kinds = (await timeline(viewer, 'company', hooli.id)).map((e) => e.kind);
    expect(kinds).toContain('note');
    expect(kinds).not.toContain('call');
    // A note's id is not a way to delete a call.
    expectProblem(await api(admin)('DELETE', `/api/v1/notes/${call.id}`), 404, 'not_found');
  });

  it('follows merged contacts and converted leads', async () => {
    const keep = await contact(admin, 'Maria', { lastName: 'Keep' });
    const gone = await contact(admin, 'Maria', { lastName: 'Gone' });
    const call = await ok<Activity>(log(admin, { kind: 'call', direction: 'inbound', body: 'asked for a quote', links: [{ object: 'contact', id: gone.id }] }), 201);
    expect(await lastActivity('contact', keep.id)).toBeNull();
    await ok(api(admin)('POST', '/api/v1/contacts/merge', { survivorId: keep.id, mergedIds: [gone.id] }));
    expect((await timeline(admin, 'contact', keep.id, 'call')).map((e) => e.id)).toEqual([call.id]);
    expect(await lastActivity('contact', keep.id)).toEqual(new Date(call.occurredAt));
    expect((await ok<Activity>(api(admin)('GET', `/api/v1/activities/${call.id}`))).links).toEqual([{ object: 'contact', id: keep.id, title: 'Maria Keep' }]);

    const lead = await ok<Lead>(api(admin)('POST', '/api/v1/leads', { name: 'Pavel Lead', companyName: 'Lead Corp' }), 201);
    const meeting = await ok<Activity>(
      log(admin, { kind: 'meeting', subject: 'Intro', startsAt: new Date(clock.now().getTime() - HOUR).toISOString(), endsAt: clock.now().toISOString(), links: [{ object: 'lead', id: lead.id }] }),
      201,
    );
    const converted = await ok<{ contactId: string; companyId: string }>(api(admin)('POST', `/api/v1/leads/${lead.id}/convert`, { contact: { mode: 'new' }, company: { mode: 'new' }, version: lead.version }));
    for (const [object, id] of [['contact', converted.contactId], ['company', converted.companyId], ['lead', lead.id]] as const) {
      expect((await timeline(admin, object, id, 'meeting')).map((e) => e.id), object).toEqual([meeting.id]);
      expect(await lastActivity(object, id), object).toEqual(new Date(meeting.occurredAt));
    }
  });

  it('pages a busy timeline with one cursor: activities and changes interleaved, none twice, none lost', async () => {
    const busy = await company(admin, 'Busy Inc');
    let version = busy.version;
    const base = clock.now().getTime() - 10 * HOUR;
    for (let i = 0; i < 6; i += 1) {
      await ok(log(admin, { kind: 'call', direction: 'outbound', startsAt: new Date(base + i * HOUR).toISOString(), links: [{ object: 'company', id: busy.id }] }), 201);
      version = (await ok<Company>(api(admin)('PATCH', `/api/v1/companies/${busy.id}`, { industry: `Industry ${i}`, version }))).version;
    }
    const all = await timeline(admin, 'company', busy.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page: { items: TimelineEntry[]; nextCursor: string | null } = await ok(api(admin)('GET', `/api/v1/timeline/company/${busy.id}?limit=4${query}`));
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
    expect(all.filter((e) => e.kind === 'call')).toHaveLength(6);
    const times = all.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });
});
