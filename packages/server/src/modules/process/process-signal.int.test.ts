import type { AuditEntry, ProcessDefinition, ProcessInstanceList, ProcessSignalResult, ProcessValidation } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { diagram, flow, processKit } from '../../../test/process-kit.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';

/**
 * Signal events: a signal thrown by a process or through the API is broadcast to every instance of the workspace
 * waiting for it and starts the processes with a signal start event of that name.
 */

describe('process signals', () => {
  const clock = createTestClock(new Date('2031-08-04T09:00:00Z'));
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let kit: ReturnType<typeof processKit>;
  let me: string;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep', name: 'Rita Rep' });
    kit = processKit(t, admin, () => clock.now());
    me = `user:${admin.userId}`;
  });
  afterAll(() => t.close());

  const signal = (name: string) => `<bpmn:signal id="Sig" name="${name}" />`;
  const task = (id: string) => `<bpmn:userTask id="${id}" name="${id}" rapport:assignee="${me}" />`;
  const instancesOf = async (definitionId: string) => (await as(t, admin)('GET', `/api/v1/process-instances?definitionId=${definitionId}`)).json<ProcessInstanceList>().items;
  const throwSignal = (name: string, variables?: Record<string, unknown>, session = admin) => as(t, session)('POST', '/api/v1/process-signals', { name, ...(variables ? { variables } : {}) });

  it('a signal thrown by one process moves every instance waiting at a signal catch event, its own included', async () => {
    const waiter = await kit.deployed(diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'wait')}<bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="Sig" /></bpmn:intermediateCatchEvent>${flow('f1', 'wait', 'after')}${task('after')}${flow('f2', 'after', 'e')}<bpmn:endEvent id="e" />`, signal('stock arrived')), 'Waiter');
    const thrower = await kit.deployed(
      diagram(
        `<bpmn:startEvent id="s" />${flow('f0', 's', 'split')}<bpmn:parallelGateway id="split" />${flow('f1', 'split', 'go')}${flow('f2', 'split', 'self')}
        ${task('go')}${flow('f3', 'go', 'shout')}<bpmn:intermediateThrowEvent id="shout"><bpmn:signalEventDefinition signalRef="Sig" /></bpmn:intermediateThrowEvent>${flow('f4', 'shout', 'e1')}<bpmn:endEvent id="e1" />
        <bpmn:intermediateCatchEvent id="self"><bpmn:signalEventDefinition signalRef="Sig" /></bpmn:intermediateCatchEvent>${flow('f5', 'self', 'e2')}<bpmn:endEvent id="e2" />`,
        signal('stock arrived'),
      ),
      'Thrower',
    );
    const first = await kit.start(waiter.id);
    const second = await kit.start(waiter.id);
    const shouter = await kit.start(thrower.id);
    expect(await kit.waitingAt(first.id)).toEqual(['wait']);
    await kit.completeTask(shouter.id, 'go');
    expect(await kit.waitingAt(first.id)).toEqual(['after']);
    expect(await kit.waitingAt(second.id)).toEqual(['after']);
    const card = await kit.card(shouter.id);
    expect(card.state).toBe('completed');
    expect(card.history.map((event) => event.kind)).toEqual(expect.arrayContaining(['signal_thrown', 'signal']));
  });

  it('a signal start event starts a new instance of its process with the signal’s variables', async () => {
    const started = await kit.deployed(diagram(`<bpmn:startEvent id="s"><bpmn:signalEventDefinition signalRef="Sig" /></bpmn:startEvent>${flow('f0', 's', 'handle')}${task('handle')}${flow('f1', 'handle', 'e')}<bpmn:endEvent id="e" />`, signal('price list changed')), 'On signal');
    const response = await throwSignal('price list changed', { list: 'retail' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<ProcessSignalResult>()).toEqual({ caught: 0, started: 1 });
    const [instance] = await instancesOf(started.id);
    expect((await kit.card(instance!.id)).variables).toEqual({ list: 'retail' });
    expect(await kit.waitingAt(instance!.id)).toEqual(['handle']);
  });

  it('an interrupting signal boundary cancels the task and takes its path', async () => {
    const definition = await kit.deployed(
      diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'work')}${task('work')}${flow('f1', 'work', 'e')}<bpmn:endEvent id="e" />
        <bpmn:boundaryEvent id="stop" attachedToRef="work"><bpmn:signalEventDefinition signalRef="Sig" /></bpmn:boundaryEvent>${flow('f2', 'stop', 'cleanup')}${task('cleanup')}${flow('f3', 'cleanup', 'e')}`, signal('shop closed')),
      'Interrupted',
    );
    const instance = await kit.start(definition.id);
    expect((await throwSignal('shop closed')).json<ProcessSignalResult>()).toEqual({ caught: 1, started: 0 });
    expect(await kit.waitingAt(instance.id)).toEqual(['cleanup']);
    expect((await kit.card(instance.id)).tasks.find((one) => one.elementId === 'work')?.status).toBe('cancelled');
  });

  it('a non-interrupting signal boundary takes its path and leaves the task open', async () => {
    const definition = await kit.deployed(
      diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'work')}${task('work')}${flow('f1', 'work', 'e')}<bpmn:endEvent id="e" />
        <bpmn:boundaryEvent id="note" attachedToRef="work" cancelActivity="false"><bpmn:signalEventDefinition signalRef="Sig" /></bpmn:boundaryEvent>${flow('f2', 'note', 'tell')}${task('tell')}${flow('f3', 'tell', 'e2')}<bpmn:endEvent id="e2" />`, signal('rates changed')),
      'Not interrupted',
    );
    const instance = await kit.start(definition.id);
    await throwSignal('rates changed');
    expect(await kit.waitingAt(instance.id)).toEqual(['tell', 'work']);
    await kit.completeTask(instance.id, 'work');
    await kit.completeTask(instance.id, 'tell');
    expect((await kit.card(instance.id)).state).toBe('completed');
  });

  it('throwing a signal through the API needs the right to change every instance, and is audited', async () => {
    expect((await throwSignal('anything', undefined, rep)).statusCode).toBe(403);
    expect((await as(t, admin)('POST', '/api/v1/process-signals', { name: '' })).statusCode).toBe(400);
    expect((await throwSignal('nobody listens')).json<ProcessSignalResult>()).toEqual({ caught: 0, started: 0 });
    const audit = (await as(t, admin)('GET', '/api/v1/audit?objectType=process_signal')).json<{ items: AuditEntry[] }>().items;
    expect(audit.find((entry) => entry.meta?.name === 'nobody listens')).toMatchObject({ action: 'process_signal.throw', actorId: admin.userId });
  });

  it('a signal event without a named signal is refused at deploy', async () => {
    const xml = diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'wait')}<bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition /></bpmn:intermediateCatchEvent>${flow('f1', 'wait', 'e')}<bpmn:endEvent id="e" />`);
    const created = (await as(t, admin)('POST', '/api/v1/process-definitions', { name: 'Unnamed signal', xml })).json<ProcessDefinition>();
    const result = (await as(t, admin)('POST', `/api/v1/process-definitions/${created.id}/deploy`)).json<ProcessValidation>();
    expect(result.problems).toMatchObject([{ elementId: 'wait', code: 'signal_missing' }]);
  });
});
