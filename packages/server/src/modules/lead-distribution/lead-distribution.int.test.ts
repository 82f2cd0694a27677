import type { AuditEntry, Lead, LeadDistributionRule, LeadIntakeResult, Notification, PageOf, Problem, Task, TimelineEntry, WebForm } from '@rapport/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';

/**
 * Lead distribution as an administrator sets it up and the sales team meets it: rules matched in order by source,
 * region, product and form; fixed person, round-robin (also under concurrent intakes) and least-loaded; working hours;
 * and the "nobody took it within N minutes" timer, fired by the due-timer loop with a test clock.
 */

const MINUTE = 60_000;
// Monday 10:00 in the workspace's time zone (UTC for an English workspace).
const MONDAY_10 = new Date('2031-03-03T10:00:00Z');
const problem = (response: LightMyRequestResponse) => ({ status: response.statusCode, code: response.json<Problem>().code, paths: response.json<Problem>().errors?.map((error) => error.path).sort() ?? [] });

describe('lead distribution', () => {
  const clock = createTestClock(MONDAY_10);
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let anna: Session;
  let boris: Session;
  let nina: Session;
  let lena: Session;
  let max: Session;
  let inbound: string;
  let north: string;
  let load: string;
  let phone = 100;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await setupWorkspace(t);
    const team = async (name: string) => (await as(t, admin)('POST', '/api/v1/teams', { name })).json<{ id: string }>().id;
    inbound = await team('Inbound');
    north = await team('North');
    load = await team('Load');
    anna = await addUser(t, admin, { role: 'Sales rep', teamId: inbound, name: 'Anna' });
    boris = await addUser(t, admin, { role: 'Sales rep', teamId: inbound, name: 'Boris' });
    nina = await addUser(t, admin, { role: 'Sales rep', teamId: north, name: 'Nina' });
    lena = await addUser(t, admin, { role: 'Sales rep', teamId: load, name: 'Lena' });
    max = await addUser(t, admin, { role: 'Sales rep', teamId: load, name: 'Max' });
    rep = nina;
    const field = await as(t, admin)('POST', '/api/v1/custom-fields', { object: 'lead', key: 'region', label: 'Region', kind: 'text' });
    expect(field.statusCode, field.body).toBe(201);
  });
  afterAll(() => t.close());

  const api = (session: Session = admin) => as(t, session);
  /** A form of its own per test, whose own assignment (the administrator) is the fallback when no rule matches. */
  const createForm = async (name: string) => {
    const response = await api()('POST', '/api/v1/web-forms', { name, fields: [{ key: 'name', label: 'Name', required: true }, { key: 'phone', label: 'Phone', required: true }, { key: 'custom.region', label: 'Region', required: false }], assignment: { mode: 'user', userId: admin.userId } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<WebForm>();
  };
  const createRule = async (body: Record<string, unknown>) => {
    const response = await api()('POST', '/api/v1/lead-distribution-rules', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<LeadDistributionRule>();
  };
  const intake = async (formId: string, extra: { region?: string; source?: string; productId?: string } = {}) => {
    phone += 1;
    const response = await api()('POST', '/api/v1/leads/intake', { formId, values: { name: `Lead ${phone}`, phone: `+1 202 555 0${phone}`, ...(extra.region ? { 'custom.region': extra.region } : {}) }, ...(extra.source ? { source: extra.source } : {}), ...(extra.productId ? { productId: extra.productId } : {}) });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<LeadIntakeResult>();
  };
  const fire = () => t.database.db.transaction().execute((trx) => t.services.leadDistribution.reassignDueKind.fireDue(trx, clock.now(), 50));
  const task = async (id: string) => (await api()('GET', `/api/v1/tasks/${id}`)).json<Task>();
  const lead = async (id: string) => (await api()('GET', `/api/v1/leads/${id}`)).json<Lead>();

  it('keeps rules in order with versions and audit; refuses bad input by field and a role without the settings right', async () => {
    const form = await createForm('Settings form');
    const product = (await api()('POST', '/api/v1/products', { sku: 'CRUD-1', name: 'Crud', unit: 'pcs', price: '1' })).json<{ id: string }>();
    const first = await createRule({ name: 'Calls to Nina', conditions: { sources: ['call'], formIds: [form.id], productIds: [product.id], region: null }, assignment: { mode: 'user', userId: nina.userId } });
    expect(first).toMatchObject({ position: 1, enabled: true, workingHours: null, reassign: null, version: 1, assignment: { mode: 'user', userId: nina.userId, teamId: null } });
    const second = await createRule({ name: 'Inbound team', assignment: { mode: 'round_robin', teamId: inbound }, workingHours: { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }, reassign: { afterMinutes: 10, maxTimes: 2 } });
    expect(second).toMatchObject({ position: 2, conditions: { sources: [], formIds: [], productIds: [], region: null }, workingHours: { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' } });

    const reordered = await api()('PUT', '/api/v1/lead-distribution-rules/order', { ids: [second.id, first.id] });
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(reordered.json<{ items: LeadDistributionRule[] }>().items.map((rule) => [rule.name, rule.position])).toEqual([['Inbound team', 1], ['Calls to Nina', 2]]);
    expect(problem(await api()('PUT', '/api/v1/lead-distribution-rules/order', { ids: [second.id] }))).toEqual({ status: 400, code: 'validation', paths: ['/body/ids'] });

    const renamed = await api()('PATCH', `/api/v1/lead-distribution-rules/${first.id}`, { name: 'Calls', version: 1 });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json<LeadDistributionRule>()).toMatchObject({ name: 'Calls', version: 2 });
    expect((await api()('PATCH', `/api/v1/lead-distribution-rules/${first.id}`, { name: 'Stale', version: 1 })).statusCode).toBe(409);
    expect((await api()('PATCH', `/api/v1/lead-distribution-rules/${first.id}`, { name: 'By header' }, { 'if-match': '"2"' })).json<LeadDistributionRule>().version).toBe(3);

    const missing = '01900000-0000-7000-8000-000000000000';
    expect(
      problem(
        await api()('POST', '/api/v1/lead-distribution-rules', {
          name: 'Broken',
          conditions: { sources: [], formIds: [missing], productIds: [missing], region: { fieldKey: 'nope', values: [] } },
          assignment: { mode: 'round_robin', teamId: missing },
          workingHours: { days: [], from: '18:00', to: '09:00' },
          reassign: { afterMinutes: 0, maxTimes: 0 },
        }),
      ),
    ).toEqual({ status: 400, code: 'validation', paths: ['/body/assignment/teamId', '/body/conditions/formIds/0', '/body/conditions/productIds/0', '/body/conditions/region/fieldKey', '/body/conditions/region/values', '/body/reassign/afterMinutes', '/body/reassign/maxTimes', '/body/workingHours/days', '/body/workingHours/to'] });
    expect(problem(await api()('POST', '/api/v1/lead-distribution-rules', { name: 'Nobody', assignment: { mode: 'user', userId: missing }, reassign: { afterMinutes: 5, maxTimes: 1 } }))).toEqual({ status: 400, code: 'validation', paths: ['/body/assignment/userId', '/body/reassign'] });
    expect(problem(await api()('POST', '/api/v1/lead-distribution-rules', { name: 'Bad clock', assignment: { mode: 'user', userId: nina.userId }, workingHours: { days: [1], from: '9am', to: '18:00' } })).status).toBe(400);
    expect(problem(await api()('POST', '/api/v1/lead-distribution-rules', { name: 'Extra', assignment: { mode: 'user', userId: nina.userId }, surprise: true })).status).toBe(400);

    expect((await api(rep)('GET', '/api/v1/lead-distribution-rules')).statusCode).toBe(403);
    expect((await api(rep)('POST', '/api/v1/lead-distribution-rules', { name: 'Mine', assignment: { mode: 'user', userId: rep.userId } })).statusCode).toBe(403);
    expect((await api(rep)('PATCH', `/api/v1/lead-distribution-rules/${first.id}`, { name: 'Mine', version: 3 })).statusCode).toBe(403);
    expect((await api(rep)('DELETE', `/api/v1/lead-distribution-rules/${first.id}`)).statusCode).toBe(403);

    const audit = (await api()('GET', `/api/v1/audit?objectType=lead_distribution_rule&objectId=${first.id}`)).json<PageOf<AuditEntry>>().items;
    expect(audit.map((entry) => entry.action)).toEqual(['lead_distribution_rule.update', 'lead_distribution_rule.update', 'lead_distribution_rule.create']);
    expect(audit[1]!.changes).toEqual({ name: { from: 'Calls to Nina', to: 'Calls' } });

    for (const rule of [first, second]) expect((await api()('DELETE', `/api/v1/lead-distribution-rules/${rule.id}`)).statusCode).toBe(204);
    expect((await api()('GET', '/api/v1/lead-distribution-rules')).json<{ items: unknown[] }>().items).toEqual([]);
    const deleted = (await api()('GET', `/api/v1/audit?objectType=lead_distribution_rule&objectId=${second.id}&action=lead_distribution_rule.delete`)).json<PageOf<AuditEntry>>().items;
    expect(deleted).toHaveLength(1);
  });

  it('routes by source, region and product to the first matching rule; no match leaves the lead to the form', async () => {
    const form = await createForm('Matching form');
    const product = (await api()('POST', '/api/v1/products', { sku: 'MATCH-1', name: 'Matched product', unit: 'pcs', price: '10' })).json<{ id: string }>();
    const rules = [
      await createRule({ name: 'Calls', conditions: { sources: ['call'], formIds: [form.id], productIds: [], region: null }, assignment: { mode: 'user', userId: anna.userId } }),
      await createRule({ name: 'North', conditions: { sources: [], formIds: [form.id], productIds: [], region: { fieldKey: 'region', values: ['North', 'Север'] } }, assignment: { mode: 'user', userId: nina.userId } }),
      await createRule({ name: 'Product', conditions: { sources: [], formIds: [form.id], productIds: [product.id], region: null }, assignment: { mode: 'user', userId: boris.userId } }),
    ];
    expect((await intake(form.id, { source: 'call', region: 'north' })).ownerId).toBe(anna.userId);
    expect((await intake(form.id, { region: 'NORTH' })).ownerId).toBe(nina.userId);
    expect((await intake(form.id, { region: 'South', productId: product.id })).ownerId).toBe(boris.userId);
    expect((await intake(form.id, { region: 'South' })).ownerId).toBe(admin.userId);

    // A disabled rule is passed over; an unknown product is the caller's mistake.
    await api()('PATCH', `/api/v1/lead-distribution-rules/${rules[0]!.id}`, { enabled: false, version: 1 });
    expect((await intake(form.id, { source: 'call', region: 'north' })).ownerId).toBe(nina.userId);
    const unknown = await api()('POST', '/api/v1/leads/intake', { formId: form.id, values: { name: 'X', phone: '+1 202 555 0999' }, productId: '01900000-0000-7000-8000-000000000000' });
    expect(problem(unknown)).toEqual({ status: 400, code: 'validation', paths: ['/body/productId'] });
  });

  it('round-robin alternates in the team, also when two leads arrive at once; least-loaded gives to the one with fewest open leads', async () => {
    const form = await createForm('Round form');
    const other = await createForm('Round form too');
    await createRule({ name: 'Round', conditions: { sources: [], formIds: [form.id, other.id], productIds: [], region: null }, assignment: { mode: 'round_robin', teamId: inbound } });
    const owners = [(await intake(form.id)).ownerId, (await intake(other.id)).ownerId, (await intake(form.id)).ownerId];
    expect(owners).toEqual([anna.userId, boris.userId, anna.userId]);
    // Two forms (two different form locks) at once: the rule's own row lock makes them take turns.
    const together = await Promise.all([intake(form.id), intake(other.id)]);
    expect(new Set(together.map((result) => result.ownerId))).toEqual(new Set([anna.userId, boris.userId]));

    const loadForm = await createForm('Load form');
    await createRule({ name: 'Least loaded', conditions: { sources: [], formIds: [loadForm.id], productIds: [], region: null }, assignment: { mode: 'least_loaded', teamId: load } });
    for (const name of ['Busy 1', 'Busy 2']) expect((await api()('POST', '/api/v1/leads', { name, ownerId: lena.userId })).statusCode).toBe(201);
    // Lena has 2 open leads, Max none: Max twice, then a tie goes to the next in turn after Max.
    expect([(await intake(loadForm.id)).ownerId, (await intake(loadForm.id)).ownerId, (await intake(loadForm.id)).ownerId]).toEqual([max.userId, max.userId, lena.userId]);
  });

  it('inside working hours the callback is due in 15 minutes; outside them it waits for the next opening', async () => {
    const form = await createForm('Hours form');
    await createRule({ name: 'Office hours', conditions: { sources: [], formIds: [form.id], productIds: [], region: null }, assignment: { mode: 'user', userId: nina.userId }, workingHours: { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' } });
    clock.set(MONDAY_10);
    const inside = await intake(form.id);
    expect(inside.ownerId).toBe(nina.userId);
    expect((await task(inside.taskId)).dueAt).toBe('2031-03-03T10:15:00.000Z');
    clock.set(new Date('2031-03-08T12:00:00Z')); // Saturday noon
    const weekend = await intake(form.id);
    expect(weekend.ownerId).toBe(nina.userId);
    expect((await task(weekend.taskId)).dueAt).toBe('2031-03-10T09:15:00.000Z');
    clock.set(MONDAY_10);
  });

  it('reassigns a lead nobody took within N minutes to the next person, once per due time even with two loops, up to the limit', async () => {
    clock.set(MONDAY_10);
    const form = await createForm('Reassign form');
    const rule = await createRule({ name: 'Hot leads', conditions: { sources: [], formIds: [form.id], productIds: [], region: null }, assignment: { mode: 'round_robin', teamId: inbound }, reassign: { afterMinutes: 10, maxTimes: 2 } });
    const first = await intake(form.id);
    const firstOwner = first.ownerId;
    const other = firstOwner === anna.userId ? boris : anna;
    const owner = firstOwner === anna.userId ? anna : boris;

    clock.advance(9 * MINUTE);
    await fire();
    expect((await lead(first.leadId)).ownerId).toBe(firstOwner);

    clock.advance(1 * MINUTE);
    await Promise.all([fire(), fire()]);
    expect((await lead(first.leadId)).ownerId).toBe(other.userId);
    const moved = await task(first.taskId);
    expect(moved).toMatchObject({ ownerId: other.userId, dueAt: new Date(clock.now().getTime() + 15 * MINUTE).toISOString() });
    const toNew = (await api(other)('GET', '/api/v1/notifications')).json<PageOf<Notification>>().items.filter((n) => n.messageKey === 'notifications.leadReassignedTo');
    expect(toNew).toHaveLength(1);
    expect(toNew[0]).toMatchObject({ link: `/leads/${first.leadId}`, params: { from: owner === anna ? 'Anna' : 'Boris', minutes: 10 } });
    const toOld = (await api(owner)('GET', '/api/v1/notifications')).json<PageOf<Notification>>().items.filter((n) => n.messageKey === 'notifications.leadReassignedFrom');
    expect(toOld).toHaveLength(1);
    const timeline = (await api()('GET', `/api/v1/timeline/lead/${first.leadId}`)).json<PageOf<TimelineEntry>>().items;
    expect(JSON.stringify(timeline)).toContain('Nobody took the lead within 10 min');
    const audit = (await api()('GET', `/api/v1/audit?objectType=lead&objectId=${first.leadId}&action=lead.reassign`)).json<PageOf<AuditEntry>>().items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ changes: { owner_id: { from: firstOwner, to: other.userId } }, meta: { ruleId: rule.id, reassignment: 1 } });
    const taskAudit = (await api()('GET', `/api/v1/audit?objectType=task&objectId=${first.taskId}&action=task.update`)).json<PageOf<AuditEntry>>().items;
    expect(taskAudit[0]).toMatchObject({ changes: { owner_id: { from: firstOwner, to: other.userId }, due_at: { from: '2031-03-03T10:15:00.000Z', to: moved.dueAt } }, meta: { reason: 'lead_reassigned' } });

    // The second (and last) reassignment goes back round the team; then the lead stays where it is.
    clock.advance(10 * MINUTE);
    await fire();
    expect((await lead(first.leadId)).ownerId).toBe(firstOwner);
    clock.advance(30 * MINUTE);
    await fire();
    expect((await lead(first.leadId)).ownerId).toBe(firstOwner);
    expect((await api()('GET', `/api/v1/audit?objectType=lead&objectId=${first.leadId}&action=lead.reassign`)).json<PageOf<AuditEntry>>().items).toHaveLength(2);
  });

  it('leaves a lead with its owner once taken: the status changed, a note logged, or the callback task done', async () => {
    clock.set(MONDAY_10);
    const form = await createForm('Taken form');
    await createRule({ name: 'Taken', conditions: { sources: [], formIds: [form.id], productIds: [], region: null }, assignment: { mode: 'round_robin', teamId: load }, reassign: { afterMinutes: 5, maxTimes: 3 } });
    const sessions = new Map([[lena.userId, lena], [max.userId, max]]);
    const byStatus = await intake(form.id);
    const byNote = await intake(form.id);
    const byTask = await intake(form.id);
    const untaken = await intake(form.id);
    const as$ = (result: LeadIntakeResult) => api(sessions.get(result.ownerId)!);
    expect((await as$(byStatus)('PATCH', `/api/v1/leads/${byStatus.leadId}`, { status: 'in_work', version: (await lead(byStatus.leadId)).version })).statusCode).toBe(200);
    expect((await as$(byNote)('POST', `/api/v1/timeline/lead/${byNote.leadId}/notes`, { body: 'Called, no answer' })).statusCode).toBe(201);
    expect((await as$(byTask)('PATCH', `/api/v1/tasks/${byTask.taskId}`, { status: 'done', version: (await task(byTask.taskId)).version })).statusCode).toBe(200);
    clock.advance(5 * MINUTE);
    await fire();
    for (const result of [byStatus, byNote, byTask]) expect((await lead(result.leadId)).ownerId).toBe(result.ownerId);
    expect((await lead(untaken.leadId)).ownerId).not.toBe(untaken.ownerId);
  });
});
