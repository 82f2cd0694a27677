import type { AuditEntry, Deal, ProcessComment, ProcessInstance, ProcessInstanceList, ProcessStartable, ProcessTaskOf } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { diagram, flow, processKit } from '../../../test/process-kit.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';

/**
 * The process card and what surrounds it: starting by hand from a record's card, the record's title on the instances,
 * comments and questions on an instance, the process step of a task in the task list, and who may do what there.
 */
describe('process card', () => {
  const clock = createTestClock(new Date('2031-06-02T09:00:00Z'));
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let watcher: Session;
  let kit: ReturnType<typeof processKit>;

  const approval = (object: string) =>
    diagram(`
      <bpmn:startEvent id="s" rapport:object="${object}" />${flow('f1', 's', 'u')}
      <bpmn:userTask id="u" name="Approve the discount" rapport:assignee="owner">
        <bpmn:extensionElements><rapport:formField key="discount" label="Discount" type="number" required="true" /></bpmn:extensionElements>
      </bpmn:userTask>${flow('f2', 'u', 'e')}
      <bpmn:endEvent id="e" />`);

  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep', name: 'Rita Rep' });
    const role = await as(t, admin)('POST', '/api/v1/roles', { name: 'Process watcher', permissions: { deal: { read: 'all' }, process: { read: 'all' } } });
    expect(role.statusCode, role.body).toBe(201);
    watcher = await addUser(t, admin, { role: 'Process watcher', name: 'Wanda Watcher' });
    kit = processKit(t, admin, () => clock.now());
  });
  afterAll(() => t.close());

  it('offers on a card only the deployed processes whose start names that record type, and refuses another type', async () => {
    const forDeals = await kit.deployed(approval('deal'), 'Discount approval');
    await kit.deployed(approval('contact'), 'Contact check');
    await kit.deployed(diagram(`<bpmn:startEvent id="s" />${flow('f1', 's', 'e')}<bpmn:endEvent id="e" />`), 'Unbound');
    const startable = await as(t, admin)('GET', '/api/v1/process-definitions/startable?recordType=deal');
    expect(startable.statusCode, startable.body).toBe(200);
    expect(startable.json<{ items: ProcessStartable[] }>().items.map((item) => item.name)).toEqual(['Discount approval']);

    const contact = await as(t, admin)('POST', '/api/v1/contacts', { firstName: 'Ann', lastName: 'Lee' });
    const wrong = await as(t, admin)('POST', `/api/v1/process-definitions/${forDeals.id}/instances`, { record: { type: 'contact', id: contact.json<{ id: string }>().id } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('/body/record/type');

    const invalid = await as(t, admin)('POST', '/api/v1/process-definitions', { name: 'Bad object', xml: approval('invoice') });
    const validation = await as(t, admin)('POST', `/api/v1/process-definitions/${invalid.json<{ id: string }>().id}/validate`);
    expect(validation.json<{ problems: { code: string }[] }>().problems.map((problem) => problem.code)).toContain('object_invalid');
  });

  it('shows the record’s title on instances, filters them by record, and keeps comments with their authors, audited', async () => {
    const definition = await kit.deployed(approval('deal'), 'Approval');
    const deal = (await as(t, admin)('POST', '/api/v1/deals', { title: 'Forty chairs', amount: '400' })).json<Deal>();
    const other = (await as(t, admin)('POST', '/api/v1/deals', { title: 'Two desks', amount: '20' })).json<Deal>();
    const instance = await kit.start(definition.id, { record: { type: 'deal', id: deal.id } });
    await kit.start(definition.id, { record: { type: 'deal', id: other.id } });
    expect(instance.recordTitle).toBe('Forty chairs');

    const list = (await as(t, admin)('GET', `/api/v1/process-instances?recordType=deal&recordId=${deal.id}`)).json<ProcessInstanceList>();
    expect(list.items.map((item) => [item.id, item.recordTitle])).toEqual([[instance.id, 'Forty chairs']]);
    const card = await kit.card(instance.id);
    expect(card).toMatchObject({ recordTitle: 'Forty chairs', startedByName: expect.any(String) as string });
    expect(card.history.find((event) => event.kind === 'started')?.userName).toBe(card.startedByName);

    const question = await as(t, watcher)('POST', `/api/v1/process-instances/${instance.id}/comments`, { kind: 'question', body: '  Why 40?  ' });
    expect(question.statusCode, question.body).toBe(201);
    const comment = await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/comments`, { body: 'Bulk order' });
    expect(comment.statusCode, comment.body).toBe(201);
    const blank = await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/comments`, { body: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('/body/body');

    const comments = (await as(t, admin)('GET', `/api/v1/process-instances/${instance.id}/comments`)).json<{ items: ProcessComment[] }>().items;
    expect(comments.map((item) => [item.kind, item.body, item.authorName])).toEqual([
      ['question', 'Why 40?', 'Wanda Watcher'],
      ['comment', 'Bulk order', card.startedByName],
    ]);
    const audit = (await as(t, admin)('GET', `/api/v1/audit?objectType=process_instance&objectId=${instance.id}`)).json<{ items: AuditEntry[] }>().items;
    expect(audit.filter((entry) => entry.action === 'process_instance.comment')).toHaveLength(2);
  });

  it('refuses comments and variable changes to those whose role does not allow them', async () => {
    const definition = await kit.deployed(approval('deal'), 'Guarded');
    const deal = (await as(t, admin)('POST', '/api/v1/deals', { title: 'Guarded deal', amount: '1' })).json<Deal>();
    const instance = await kit.start(definition.id, { record: { type: 'deal', id: deal.id } });

    // A rep sees only the instances they started: someone else's is not found, neither its comments.
    expect((await as(t, rep)('GET', `/api/v1/process-instances/${instance.id}`)).statusCode).toBe(404);
    expect((await as(t, rep)('GET', `/api/v1/process-instances/${instance.id}/comments`)).statusCode).toBe(404);
    expect((await as(t, rep)('POST', `/api/v1/process-instances/${instance.id}/comments`, { body: 'Let me in' })).statusCode).toBe(404);
    // A watcher reads everything but may not change an instance.
    expect((await as(t, watcher)('GET', `/api/v1/process-instances/${instance.id}`)).statusCode).toBe(200);
    const patch = await as(t, watcher)('PATCH', `/api/v1/process-instances/${instance.id}/variables`, { version: instance.version, variables: { discount: 5 } });
    expect(patch.statusCode).toBe(403);
    expect((await as(t, watcher)('GET', '/api/v1/process-definitions/startable?recordType=deal')).statusCode).toBe(403);
    const outsiderRole = await as(t, admin)('POST', '/api/v1/roles', { name: 'No process rights', permissions: { deal: { read: 'all' } } });
    expect(outsiderRole.statusCode).toBe(201);
    const outsider = await addUser(t, admin, { role: 'No process rights', name: 'Otto Outsider' });
    expect((await as(t, outsider)('GET', `/api/v1/process-instances/${instance.id}/comments`)).statusCode).toBe(403);
    expect((await as(t, outsider)('POST', `/api/v1/process-instances/${instance.id}/comments`, { body: 'Hi' })).statusCode).toBe(403);

    const comments = (await as(t, admin)('GET', `/api/v1/process-instances/${instance.id}/comments`)).json<{ items: ProcessComment[] }>().items;
    expect(comments).toEqual([]);
    expect((await kit.card(instance.id)).variables).toEqual({});

    // The administrator changes a variable: with the current version, audited; a stale version is refused.
    const changed = await as(t, admin)('PATCH', `/api/v1/process-instances/${instance.id}/variables`, { version: instance.version, variables: { discount: 5 } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await as(t, admin)('PATCH', `/api/v1/process-instances/${instance.id}/variables`, { version: instance.version, variables: { discount: 6 } })).statusCode).toBe(409);
    // The version may come in If-Match instead: a current one changes, a stale one is 412, none at all is 428.
    const current = changed.json<ProcessInstance>().version;
    expect((await as(t, admin)('GET', `/api/v1/process-instances/${instance.id}`)).headers.etag).toBe(`"${current}"`);
    const variablesUrl = `/api/v1/process-instances/${instance.id}/variables`;
    expect((await as(t, admin)('PATCH', variablesUrl, { variables: { discount: 6 } }, { 'if-match': `"${instance.version}"` })).statusCode).toBe(412);
    expect((await as(t, admin)('PATCH', variablesUrl, { variables: { discount: 6 } })).statusCode).toBe(428);
    const matched = await as(t, admin)('PATCH', variablesUrl, { variables: { discount: 7 } }, { 'if-match': `"${current}"` });
    expect(matched.statusCode, matched.body).toBe(200);
    expect((await kit.card(instance.id)).variables).toEqual({ discount: 7 });
    const audit = (await as(t, admin)('GET', `/api/v1/audit?objectType=process_instance&objectId=${instance.id}`)).json<{ items: AuditEntry[] }>().items;
    expect(audit.map((entry) => entry.action)).toContain('process_instance.variables');
  });

  it('tells a task’s assignee which process step it is, with its form, and nobody else', async () => {
    const definition = await kit.deployed(approval('deal'), 'Rep approval');
    const deal = (await as(t, rep)('POST', '/api/v1/deals', { title: 'Rep deal', amount: '50' })).json<Deal>();
    const instance = await kit.start(definition.id, { record: { type: 'deal', id: deal.id } });
    const task = (await kit.card(instance.id)).tasks[0]!;
    expect(task.assigneeId).toBe(rep.userId);

    const step = await as(t, rep)('GET', `/api/v1/process-tasks/${task.taskId}`);
    expect(step.statusCode, step.body).toBe(200);
    expect(step.json<ProcessTaskOf>().step).toMatchObject({ instanceId: instance.id, definitionName: 'Rep approval', status: 'open', form: [{ key: 'discount', label: 'Discount', type: 'number', required: true }] });
    const outsiderView = await as(t, (await addUser(t, admin, { role: 'Sales rep', name: 'Sam Other' })))('GET', `/api/v1/process-tasks/${task.taskId}`);
    expect(outsiderView.json<ProcessTaskOf>().step).toBeNull();

    // The task list cannot close the step without the form's required values.
    const listed = await as(t, rep)('GET', `/api/v1/tasks/${task.taskId}`);
    const ticked = await as(t, rep)('PATCH', `/api/v1/tasks/${task.taskId}`, { status: 'done', version: listed.json<{ version: number }>().version });
    expect(ticked.statusCode).toBe(400);
    expect(ticked.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('/body/status');
    expect((await kit.card(instance.id)).state).toBe('running');

    const wrong = await as(t, rep)('POST', `/api/v1/process-instances/${instance.id}/tasks/${task.taskId}/complete`, { data: { discount: 'ten' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('/body/data/discount');
    const done = await as(t, rep)('POST', `/api/v1/process-instances/${instance.id}/tasks/${task.taskId}/complete`, { data: { discount: 10 } });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<ProcessInstance>().state).toBe('completed');
    expect((await as(t, rep)('GET', `/api/v1/process-tasks/${task.taskId}`)).json<ProcessTaskOf>().step?.status).toBe('done');
  });
});
