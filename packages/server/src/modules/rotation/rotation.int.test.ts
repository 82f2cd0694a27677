import type { Activity, Company, Contact, FollowUpResult, Role, RotationPage, Task } from '@rapport/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';

/** Base rotation: who has not been contacted for N days, in the reader's scope, and follow-up tasks for their owners. */

const DAY = 86_400_000;

describe('base rotation', () => {
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let otherRep: Session;
  // The records are created now (the database's clock); the application's clock runs 45 days ahead.
  const realNow = Date.now();
  const clock = createTestClock(new Date(realNow + 45 * DAY + 3_600_000));
  const daysAgo = (days: number) => new Date(clock.now().getTime() - days * DAY).toISOString();

  const api = (session: Session) => as(t, session);
  const ok = async <T,>(response: Promise<LightMyRequestResponse>, status = 200): Promise<T> => {
    const answer = await response;
    expect(answer.statusCode, answer.body).toBe(status);
    return answer.json<T>();
  };
  const contact = (session: Session, firstName: string, extra: Record<string, unknown> = {}) => ok<Contact>(api(session)('POST', '/api/v1/contacts', { firstName, ...extra }), 201);
  const call = (session: Session, object: string, id: string, startsAt: string) =>
    ok<Activity>(api(session)('POST', '/api/v1/activities', { kind: 'call', direction: 'outbound', startsAt, links: [{ object, id }] }), 201);
  const rotation = async (session: Session, query: string) => (await ok<RotationPage>(api(session)('GET', `/api/v1/rotation?${query}`))).items;

  let never: Contact;
  let stale: Contact;
  let recent: Contact;
  let repOwn: Contact;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep', name: 'Rita Rep' });
    otherRep = await addUser(t, admin, { role: 'Sales rep', name: 'Oleg Other' });
    never = await contact(admin, 'Never', { lastName: 'Called', tags: ['vip'] });
    stale = await contact(admin, 'Stale', { lastName: 'Contact' });
    recent = await contact(admin, 'Recent', { lastName: 'Contact', tags: ['vip'] });
    repOwn = await contact(rep, 'Rita’s', { lastName: 'Client' });
    await contact(otherRep, 'Oleg’s', { lastName: 'Client' });
    await call(admin, 'contact', stale.id, daysAgo(40));
    await call(admin, 'contact', recent.id, daysAgo(5));
  });
  afterAll(() => t.close());

  it('lists who has not been contacted for N days: never contacted first, then the longest idle', async () => {
    const items = await rotation(admin, 'object=contact&days=30');
    const mine = items.filter((item) => [never.id, stale.id, recent.id].includes(item.id));
    expect(mine.map((item) => item.id)).toEqual([never.id, stale.id]);
    expect(mine[0]).toMatchObject({ title: 'Never Called', lastActivityAt: null, idleDays: 45, ownerName: 'Ada Admin' });
    expect(mine[1]).toMatchObject({ title: 'Stale Contact', lastActivityAt: daysAgo(40), idleDays: 40 });
    expect((await rotation(admin, 'object=contact&days=3')).map((item) => item.id)).toContain(recent.id);
    expect((await rotation(admin, 'object=contact&days=60')).map((item) => item.id)).toEqual([]);

    // A new interaction takes the record out of the rotation at once.
    await call(admin, 'contact', stale.id, daysAgo(1));
    expect((await rotation(admin, 'object=contact&days=30')).map((item) => item.id)).not.toContain(stale.id);
    // Cards and lists show the same date, and lists can filter by it.
    expect((await ok<Contact>(api(admin)('GET', `/api/v1/contacts/${stale.id}`))).lastActivityAt).toBe(daysAgo(1));
  });

  it('filters with the lists’ grammar and by owner, and reports a bad filter at its own path', async () => {
    const vip = encodeURIComponent(JSON.stringify({ field: 'tags', op: 'in', value: ['vip'] }));
    expect((await rotation(admin, `object=contact&days=30&filter=${vip}`)).map((item) => item.id)).toEqual([never.id]);
    expect((await rotation(admin, `object=contact&days=30&ownerId=${rep.userId}`)).map((item) => item.id)).toEqual([repOwn.id]);
    const nested = encodeURIComponent(JSON.stringify({ or: [{ field: 'tags', op: 'in', value: ['vip'] }, { field: 'nope', op: 'eq', value: 1 }] }));
    const bad = await api(admin)('GET', `/api/v1/rotation?object=contact&filter=${nested}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: string; errors: { path: string }[] }>()).toMatchObject({ code: 'bad_filter', errors: [{ path: '/query/filter/or/1/field' }] });
    const broken = await api(admin)('GET', '/api/v1/rotation?object=contact&filter=%7Bnot-json');
    expect(broken.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(['/query/filter']);
    for (const query of ['object=contact&days=0', 'object=deal', 'object=contact&days=ten', 'object=contact&ownerId=me']) {
      const refused = await api(admin)('GET', `/api/v1/rotation?${query}`);
      expect(refused.statusCode, query).toBe(400);
    }
    // Companies and leads have their own rotation.
    const quiet = await ok<Company>(api(admin)('POST', '/api/v1/companies', { name: 'Quiet Ltd' }), 201);
    expect((await rotation(admin, 'object=company&days=30')).map((item) => item.id)).toEqual([quiet.id]);
  });

  it("keeps a rep to their own records, and a role without the client's read right out", async () => {
    expect((await rotation(rep, 'object=contact&days=30')).map((item) => item.id)).toEqual([repOwn.id]);
    expect(await rotation(rep, `object=contact&days=30&ownerId=${admin.userId}`)).toEqual([]);
    const role = await ok<Role>(api(admin)('POST', '/api/v1/roles', { name: 'Companies only', permissions: { company: { read: 'all' }, task: { create: 'own', read: 'own' } } }), 201);
    const outsider = await addUser(t, admin, { role: role.name });
    expect((await api(outsider)('GET', '/api/v1/rotation?object=contact')).statusCode).toBe(403);
  });

  it('creates one follow-up task per record for its owner, and says which failed and why', async () => {
    const due = daysAgo(-1);
    const result = await ok<FollowUpResult>(api(admin)('POST', '/api/v1/rotation/follow-ups', { object: 'contact', ids: [never.id, repOwn.id], dueAt: due }));
    expect(result.failed).toEqual([]);
    expect(result.created.map((c) => c.recordId)).toEqual([never.id, repOwn.id]);
    const repTasks = (await ok<{ items: Task[] }>(api(rep)('GET', `/api/v1/tasks?subjectType=contact&subjectId=${repOwn.id}`))).items;
    expect(repTasks).toEqual([expect.objectContaining({ id: result.created[1]!.taskId, title: 'Follow up: Rita’s Client', ownerId: rep.userId, dueAt: due, subject: { type: 'contact', id: repOwn.id, title: 'Rita’s Client' } })]);
    const adminTask = await ok<Task>(api(admin)('GET', `/api/v1/tasks/${result.created[0]!.taskId}`));
    expect(adminTask).toMatchObject({ ownerId: admin.userId, title: 'Follow up: Never Called' });
    const audit = await t.database.db.selectFrom('audit_log').select('object_id').where('action', '=', 'task.create').execute();
    expect(audit.map((a) => a.object_id)).toEqual(expect.arrayContaining(result.created.map((c) => c.taskId)));

    // A rep: their own record works; another's record is as unknown to them as a made-up id.
    const mixed = await ok<FollowUpResult>(api(rep)('POST', '/api/v1/rotation/follow-ups', { object: 'contact', ids: [repOwn.id, never.id, '0190a5c0-0000-7000-8000-000000000009'], title: 'Call back' }));
    expect(mixed.created.map((c) => c.recordId)).toEqual([repOwn.id]);
    expect(mixed.failed.map((f) => [f.id, f.code])).toEqual([
      [never.id, 'not_found'],
      ['0190a5c0-0000-7000-8000-000000000009', 'not_found'],
    ]);
    const refused = await api(admin)('POST', '/api/v1/rotation/follow-ups', { object: 'contact', ids: [], title: ' ' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ errors: { path: string }[] }>().errors.map((e) => e.path).sort()).toEqual(['/body/ids', '/body/title']);
  });
});
