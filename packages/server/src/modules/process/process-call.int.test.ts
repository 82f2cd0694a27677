import type { Deal, ProcessDefinition, ProcessInstance, ProcessValidation } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, setupWorkspace, type Session } from '../../../test/factories.js';
import { diagram, flow, processKit } from '../../../test/process-kit.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';

/**
 * Call activities: the parent starts the latest deployed version of the called process, waits for it, takes its
 * results back, its errors on its boundaries, and cancels it when it is cancelled itself.
 */

describe('process call activities', () => {
  const clock = createTestClock(new Date('2031-09-01T09:00:00Z'));
  let t: TestApp;
  let admin: Session;
  let kit: ReturnType<typeof processKit>;
  let me: string;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await setupWorkspace(t);
    kit = processKit(t, admin, () => clock.now());
    me = `user:${admin.userId}`;
  });
  afterAll(() => t.close());

  const task = (id: string) => `<bpmn:userTask id="${id}" name="${id}" rapport:assignee="${me}" />`;
  /** A diagram whose BPMN process has its own id, the name call activities use. */
  const processWithId = (processId: string, body: string, extra = '') => diagram(body, extra).replace('<bpmn:process id="P"', `<bpmn:process id="${processId}"`);
  const callTo = (id: string, called: string, mappings = '') => `<bpmn:callActivity id="${id}" calledElement="${called}">${mappings ? `<bpmn:extensionElements>${mappings}</bpmn:extensionElements>` : ''}</bpmn:callActivity>`;
  const childOf = async (parentId: string) => {
    const [child] = (await kit.card(parentId)).children;
    expect(child, 'a called instance').toBeDefined();
    return child!;
  };

  it('the parent waits for the called instance, passes it mapped inputs and takes its mapped outputs back; both are linked', async () => {
    const review = `<bpmn:userTask id="review" rapport:assignee="${me}"><bpmn:extensionElements><rapport:formField key="approved" type="boolean" /></bpmn:extensionElements></bpmn:userTask>`;
    await kit.deployed(processWithId('check_credit', `<bpmn:startEvent id="s" />${flow('f0', 's', 'review')}${review}${flow('f1', 'review', 'e')}<bpmn:endEvent id="e" />`), 'Credit check');
    const parent = await kit.deployed(
      diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'credit')}${callTo('credit', 'check_credit', '<rapport:inputMapping source="deal.amount * 2" target="limit" /><rapport:outputMapping source="approved" target="creditOk" />')}${flow('f1', 'credit', 'after')}${task('after')}${flow('f2', 'after', 'e')}<bpmn:endEvent id="e" />`),
      'Order with credit',
    );
    const deal = (await as(t, admin)('POST', '/api/v1/deals', { title: 'Credit', amount: '500' })).json<Deal>();
    const instance = await kit.start(parent.id, { record: { type: 'deal', id: deal.id }, variables: { secret: 'stays here' } });
    expect(await kit.waitingAt(instance.id)).toEqual(['credit']);
    const link = await childOf(instance.id);
    expect(link).toMatchObject({ elementId: 'credit', definitionName: 'Credit check', state: 'running' });
    const child = await kit.card(link.id);
    expect(child).toMatchObject({ parentInstanceId: instance.id, record: { type: 'deal', id: deal.id }, variables: { limit: 1000 } });
    await kit.completeTask(link.id, 'review', { approved: true });
    expect((await kit.card(link.id)).state).toBe('completed');
    expect(await kit.waitingAt(instance.id)).toEqual(['after']);
    expect((await kit.card(instance.id)).variables).toEqual({ secret: 'stays here', creditOk: true });
  });

  it('without mappings every variable goes in and every variable comes back', async () => {
    await kit.deployed(processWithId('enrich', `<bpmn:startEvent id="s" />${flow('f0', 's', 'fill')}${task('fill')}${flow('f1', 'fill', 'e')}<bpmn:endEvent id="e" />`), 'Enrich');
    const parent = await kit.deployed(diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'call')}${callTo('call', 'enrich')}${flow('f1', 'call', 'e')}<bpmn:endEvent id="e" />`), 'Enriched');
    const instance = await kit.start(parent.id, { variables: { region: 'north' } });
    const link = await childOf(instance.id);
    expect((await kit.card(link.id)).variables).toEqual({ region: 'north' });
    const withField = await as(t, admin)('POST', `/api/v1/process-instances/${link.id}/tasks/${(await kit.card(link.id)).tasks[0]!.taskId}/complete`, { data: {} });
    expect(withField.statusCode).toBe(200);
    const done = await kit.card(instance.id);
    expect(done.state).toBe('completed');
    expect(done.variables).toEqual({ region: 'north' });
  });

  it('an error the called process does not catch goes to the call activity’s error boundary with that code', async () => {
    await kit.deployed(
      processWithId('reserve_stock', `<bpmn:startEvent id="s" />${flow('f0', 's', 'e')}<bpmn:endEvent id="e"><bpmn:errorEventDefinition errorRef="Err" /></bpmn:endEvent>`, '<bpmn:error id="Err" errorCode="OUT_OF_STOCK" />'),
      'Reserve stock',
    );
    const parent = await kit.deployed(
      diagram(
        `<bpmn:startEvent id="s" />${flow('f0', 's', 'reserve')}${callTo('reserve', 'reserve_stock')}${flow('f1', 'reserve', 'e')}<bpmn:endEvent id="e" />
        <bpmn:boundaryEvent id="none" attachedToRef="reserve"><bpmn:errorEventDefinition errorRef="Err" /></bpmn:boundaryEvent>${flow('f2', 'none', 'order')}${task('order')}${flow('f3', 'order', 'e')}`,
        '<bpmn:error id="Err" errorCode="OUT_OF_STOCK" />',
      ),
      'Order with stock',
    );
    const instance = await kit.start(parent.id);
    expect(await kit.waitingAt(instance.id)).toEqual(['order']);
    const card = await kit.card(instance.id);
    expect(card.state).toBe('running');
    expect(card.history.find((event) => event.kind === 'error_caught')).toMatchObject({ elementId: 'none', data: { code: 'OUT_OF_STOCK' } });
    expect((await kit.card(card.children[0]!.id)).state).toBe('failed');
  });

  it('cancelling the parent cancels the called instance and its open task', async () => {
    await kit.deployed(processWithId('long_review', `<bpmn:startEvent id="s" />${flow('f0', 's', 'review')}${task('review')}${flow('f1', 'review', 'e')}<bpmn:endEvent id="e" />`), 'Long review');
    const parent = await kit.deployed(diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'call')}${callTo('call', 'long_review')}${flow('f1', 'call', 'e')}<bpmn:endEvent id="e" />`), 'Reviewed');
    const instance = await kit.start(parent.id);
    const link = await childOf(instance.id);
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/cancel`)).json<ProcessInstance>().state).toBe('cancelled');
    const child = await kit.card(link.id);
    expect(child.state).toBe('cancelled');
    expect(child.tasks.map((one) => one.status)).toEqual(['cancelled']);
  });

  it('cancelling the called instance fails the call activity’s step; retry calls the process again', async () => {
    await kit.deployed(processWithId('short_review', `<bpmn:startEvent id="s" />${flow('f0', 's', 'review')}${task('review')}${flow('f1', 'review', 'e')}<bpmn:endEvent id="e" />`), 'Short review');
    const parent = await kit.deployed(diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'call')}${callTo('call', 'short_review')}${flow('f1', 'call', 'e')}<bpmn:endEvent id="e" />`), 'Short reviewed');
    const instance = await kit.start(parent.id);
    const link = await childOf(instance.id);
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${link.id}/cancel`)).statusCode).toBe(200);
    expect(await kit.card(instance.id)).toMatchObject({ state: 'failed', error: 'The called instance was cancelled' });
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/retry`)).json<ProcessInstance>().state).toBe('running');
    expect((await kit.card(instance.id)).children.map((child) => child.state)).toEqual(['cancelled', 'running']);
  });

  it('deploy refuses a call activity whose process is not deployed or has no called element', async () => {
    const xml = diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'a')}${callTo('a', 'nowhere')}${flow('f1', 'a', 'b')}<bpmn:callActivity id="b" />${flow('f2', 'b', 'e')}<bpmn:endEvent id="e" />`);
    const created = (await as(t, admin)('POST', '/api/v1/process-definitions', { name: 'Calls nowhere', xml })).json<ProcessDefinition>();
    const result = (await as(t, admin)('POST', `/api/v1/process-definitions/${created.id}/deploy`)).json<ProcessValidation>();
    expect(result.problems.map((problem) => [problem.elementId, problem.code])).toEqual([
      ['b', 'called_element_missing'],
      ['a', 'called_element_unknown'],
    ]);
  });
});
