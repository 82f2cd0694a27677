import type { Deal, Pipeline, ProcessInstanceList, Task } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, waitFor, type Session } from '../../../test/factories.js';
import { diagram, flow, processKit } from '../../../test/process-kit.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

/**
 * Processes and the rest of the CRM through the outbox: a deal reaching a stage (or a new record) starts the processes
 * listening for it, and a process's task done in the ordinary task list moves its instance on.
 */

describe('processes started by CRM events and moved by the task list', () => {
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let kit: ReturnType<typeof processKit>;
  let sales: Pipeline;

  beforeAll(async () => {
    t = await createTestApp({ workers: true });
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep', name: 'Rita Rep' });
    kit = processKit(t, admin, () => new Date());
    sales = (await as(t, admin)('GET', '/api/v1/pipelines')).json<{ items: Pipeline[] }>().items[0]!;
  });
  afterAll(() => t.close());

  const instancesOf = async (definitionId: string) => (await as(t, admin)('GET', `/api/v1/process-instances?definitionId=${definitionId}`)).json<ProcessInstanceList>().items;

  it('a deal reaching the stage starts the process when the condition holds; the owner gets the task; done in the task list, the process ends', async () => {
    const payment = sales.stages[2]!;
    const definition = await kit.deployed(
      diagram(`
        <bpmn:startEvent id="s" name="Deal in Payment"><bpmn:messageEventDefinition><bpmn:extensionElements><rapport:crmTrigger event="stage_changed" object="deal" stageId="${payment.id}" condition="deal.amount &gt; 100" /></bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:startEvent>
        ${flow('f0', 's', 'contract')}<bpmn:userTask id="contract" name="Prepare the contract" rapport:assignee="owner" />${flow('f1', 'contract', 'e')}<bpmn:endEvent id="e" />`),
      'Order',
    );
    const newDeal = async (amount: string) => (await as(t, rep)('POST', '/api/v1/deals', { title: `Order ${amount}`, amount })).json<Deal>();
    const big = await newDeal('5000');
    const small = await newDeal('50');
    for (const deal of [big, small]) expect((await as(t, rep)('POST', `/api/v1/deals/${deal.id}/move`, { stageId: payment.id, version: deal.version })).statusCode).toBe(200);

    const [instance] = await waitFor(async () => {
      const items = await instancesOf(definition.id);
      return items.length > 0 && items;
    }, { what: 'the process to start' });
    expect(instance).toMatchObject({ record: { type: 'deal', id: big.id }, ownerId: rep.userId, state: 'running' });
    const card = await kit.card(instance!.id);
    expect(card.tasks).toMatchObject([{ elementId: 'contract', assigneeId: rep.userId, status: 'open' }]);
    // The task is the rep's, in their own task list, linked to the deal.
    const task = (await as(t, rep)('GET', `/api/v1/tasks/${card.tasks[0]!.taskId}`)).json<Task>();
    expect(task).toMatchObject({ title: 'Prepare the contract', subject: { type: 'deal', id: big.id } });
    const done = await as(t, rep)('PATCH', `/api/v1/tasks/${task.id}`, { version: task.version, status: 'done' });
    expect(done.statusCode, done.body).toBe(200);
    await waitFor(async () => (await kit.card(instance!.id)).state === 'completed', { what: 'the process to end' });
    expect((await instancesOf(definition.id)).map((one) => one.record?.id)).toEqual([big.id]);
  });

  it('a new contact starts the processes listening for new contacts', async () => {
    const definition = await kit.deployed(
      diagram(`
        <bpmn:startEvent id="s"><bpmn:messageEventDefinition><bpmn:extensionElements><rapport:crmTrigger event="record_created" object="contact" /></bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:startEvent>
        ${flow('f0', 's', 'welcome')}<bpmn:userTask id="welcome" name="Welcome call" rapport:assignee="owner" />${flow('f1', 'welcome', 'e')}<bpmn:endEvent id="e" />`),
      'Welcome',
    );
    const contact = await as(t, rep)('POST', '/api/v1/contacts', { firstName: 'Vera', lastName: 'Novak' });
    expect(contact.statusCode, contact.body).toBe(201);
    const [instance] = await waitFor(async () => {
      const items = await instancesOf(definition.id);
      return items.length > 0 && items;
    }, { what: 'the process to start' });
    expect(instance!.record).toEqual({ type: 'contact', id: contact.json<{ id: string }>().id });
    expect((await kit.card(instance!.id)).tasks[0]).toMatchObject({ title: 'Welcome call', assigneeId: rep.userId });

    // Contacts an import creates together start it too, one instance each.
    const uploaded = (await as(t, admin)('POST', '/api/v1/imports?object=contact&name=new.csv', Buffer.from('First name,Last name\nAnna,Berg\nBoris,Lind\n'), { 'content-type': 'application/octet-stream' })).json<{ id: string; version: number }>();
    const started = await as(t, admin)('POST', `/api/v1/imports/${uploaded.id}/start`, { version: uploaded.version });
    expect(started.statusCode, started.body).toBe(200);
    await waitFor(async () => (await as(t, admin)('GET', `/api/v1/imports/${uploaded.id}`)).json<{ status: string }>().status === 'done', { what: 'the import to finish' });
    const imported = await waitFor(async () => {
      const items = await instancesOf(definition.id);
      return items.length === 3 && items;
    }, { what: 'the processes of the imported contacts to start' });
    expect(imported.map((one) => one.ownerId).sort()).toEqual([admin.userId, admin.userId, rep.userId].sort());
  });

  it('a changed field starts the process when its condition over the old and new value holds; the values become variables', async () => {
    const definition = await kit.deployed(
      diagram(`
        <bpmn:startEvent id="s"><bpmn:messageEventDefinition><bpmn:extensionElements><rapport:crmTrigger event="field_changed" object="deal" field="amount" condition="newValue &gt; oldValue * 2" /></bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:startEvent>
        ${flow('f0', 's', 'check')}<bpmn:userTask id="check" name="Check the big raise" rapport:assignee="owner" />${flow('f1', 'check', 'e')}<bpmn:endEvent id="e" />`),
      'Raise',
    );
    const deal = (await as(t, rep)('POST', '/api/v1/deals', { title: 'Raised', amount: '100' })).json<Deal>();
    const small = await as(t, rep)('PATCH', `/api/v1/deals/${deal.id}`, { version: deal.version, amount: '150', title: 'Raised a bit' });
    expect(small.statusCode, small.body).toBe(200);
    const renamed = await as(t, rep)('PATCH', `/api/v1/deals/${deal.id}`, { version: small.json<Deal>().version, title: 'Raised again' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    await t.dispatcher!.drain();
    expect(await instancesOf(definition.id)).toEqual([]);
    const big = await as(t, rep)('PATCH', `/api/v1/deals/${deal.id}`, { version: renamed.json<Deal>().version, amount: '400' });
    expect(big.statusCode, big.body).toBe(200);
    const [instance] = await waitFor(async () => {
      const items = await instancesOf(definition.id);
      return items.length > 0 && items;
    }, { what: 'the process to start' });
    expect(instance).toMatchObject({ record: { type: 'deal', id: deal.id }, ownerId: rep.userId });
    expect((await kit.card(instance!.id)).variables).toEqual({ oldValue: 150, newValue: 400 });
    expect(await instancesOf(definition.id)).toHaveLength(1);
  });

  it('a field-changed start without a field is refused at deploy', async () => {
    const xml = diagram(`<bpmn:startEvent id="s"><bpmn:messageEventDefinition><bpmn:extensionElements><rapport:crmTrigger event="field_changed" object="deal" /></bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:startEvent>${flow('f0', 's', 'e')}<bpmn:endEvent id="e" />`);
    const created = (await as(t, admin)('POST', '/api/v1/process-definitions', { name: 'No field', xml })).json<{ id: string }>();
    const result = (await as(t, admin)('POST', `/api/v1/process-definitions/${created.id}/deploy`)).json<{ problems: { elementId: string; code: string }[] }>();
    expect(result.problems).toMatchObject([{ elementId: 's', code: 'trigger_field' }]);
  });

  it('a task done in the task list while its instance is suspended moves it on when it is resumed', async () => {
    const definition = await kit.deployed(diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'a')}<bpmn:userTask id="a" name="Check" rapport:assignee="user:${admin.userId}" />${flow('f1', 'a', 'e')}<bpmn:endEvent id="e" />`), 'Suspended');
    const instance = await kit.start(definition.id);
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/suspend`)).statusCode).toBe(200);
    const task = (await as(t, admin)('GET', `/api/v1/tasks/${(await kit.card(instance.id)).tasks[0]!.taskId}`)).json<Task>();
    expect((await as(t, admin)('PATCH', `/api/v1/tasks/${task.id}`, { version: task.version, status: 'done' })).statusCode).toBe(200);
    await t.dispatcher!.drain();
    expect(await kit.card(instance.id)).toMatchObject({ state: 'suspended', tasks: [{ status: 'open' }] });
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/resume`)).json<{ state: string }>().state).toBe('completed');
  });

  it('a process task cancelled in the task list fails its step for an administrator to retry with a new task', async () => {
    const definition = await kit.deployed(diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'a')}<bpmn:userTask id="a" name="Check" rapport:assignee="user:${admin.userId}" />${flow('f1', 'a', 'e')}<bpmn:endEvent id="e" />`), 'Cancelled');
    const instance = await kit.start(definition.id);
    const first = (await kit.card(instance.id)).tasks[0]!;
    const task = (await as(t, admin)('GET', `/api/v1/tasks/${first.taskId}`)).json<Task>();
    expect((await as(t, admin)('PATCH', `/api/v1/tasks/${task.id}`, { version: task.version, status: 'cancelled' })).statusCode).toBe(200);
    await waitFor(async () => (await kit.card(instance.id)).state === 'failed', { what: 'the step to fail' });
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/retry`)).statusCode).toBe(200);
    const tasks = (await kit.card(instance.id)).tasks;
    expect(tasks.map((one) => one.status)).toEqual(['cancelled', 'open']);
  });
});
