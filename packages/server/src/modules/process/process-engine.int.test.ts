import type { Deal, ProcessInstance, ProcessInstanceList, Task } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, login, setupWorkspace, type Session } from '../../../test/factories.js';
import { diagram, flow, processKit } from '../../../test/process-kit.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';

/**
 * The engine's semantics, element by element, as an instance's card shows them: where tokens wait, which tasks are
 * open, what the history says. Timers and service tasks run through the due-timer loop's kind with a test clock.
 */

const HOUR = 3_600_000;

describe('process engine', () => {
  const clock = createTestClock(new Date('2031-06-02T09:00:00Z'));
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

  const task = (id: string, name = id, extra = '') => `<bpmn:userTask id="${id}" name="${name}" rapport:assignee="${me}" ${extra} />`;
  const stateOf = async (id: string) => (await kit.card(id)).state;

  it('parallel join waits for every branch, also when both finish at the same moment', async () => {
    const definition = await kit.deployed(
      diagram(`
        <bpmn:startEvent id="s" />${flow('f0', 's', 'split')}
        <bpmn:parallelGateway id="split" />${flow('f1', 'split', 'a')}${flow('f2', 'split', 'b')}
        ${task('a')}${task('b')}${flow('f3', 'a', 'join')}${flow('f4', 'b', 'join')}
        <bpmn:parallelGateway id="join" />${flow('f5', 'join', 'after')}
        ${task('after')}${flow('f6', 'after', 'e')}<bpmn:endEvent id="e" />`),
    );
    const one = await kit.start(definition.id);
    expect(await kit.waitingAt(one.id)).toEqual(['a', 'b']);
    await kit.completeTask(one.id, 'a');
    expect(await kit.waitingAt(one.id)).toEqual(['b', 'join']);
    await kit.completeTask(one.id, 'b');
    expect(await kit.waitingAt(one.id)).toEqual(['after']);
    await kit.completeTask(one.id, 'after');
    expect(await stateOf(one.id)).toBe('completed');

    // Two step runners at once on one instance: the instance lock lets them run one after the other, so the join sees both.
    const two = await kit.start(definition.id);
    const tasks = (await kit.card(two.id)).tasks;
    const results = await Promise.all(tasks.map((open) => as(t, admin)('POST', `/api/v1/process-instances/${two.id}/tasks/${open.taskId}/complete`, { data: {} })));
    expect(results.map((response) => response.statusCode)).toEqual([200, 200]);
    expect(await kit.waitingAt(two.id)).toEqual(['after']);
    expect((await kit.card(two.id)).tasks.filter((open) => open.elementId === 'after')).toHaveLength(1);
  });

  it('inclusive join waits only for the branches that can still arrive', async () => {
    const definition = await kit.deployed(
      diagram(`
        <bpmn:startEvent id="s" />${flow('f0', 's', 'split')}
        <bpmn:inclusiveGateway id="split" default="f3" />${flow('f1', 'split', 'a', 'size > 1')}${flow('f2', 'split', 'b', 'size > 5')}${flow('f3', 'split', 'c')}
        ${task('a')}${task('b')}${task('c')}${flow('f4', 'a', 'join')}${flow('f5', 'b', 'join')}${flow('f6', 'c', 'join')}
        <bpmn:inclusiveGateway id="join" />${flow('f7', 'join', 'after')}
        ${task('after')}${flow('f8', 'after', 'e')}<bpmn:endEvent id="e" />`),
    );
    const small = await kit.start(definition.id, { variables: { size: 3 } });
    expect(await kit.waitingAt(small.id)).toEqual(['a']);
    await kit.completeTask(small.id, 'a');
    expect(await kit.waitingAt(small.id)).toEqual(['after']);

    const big = await kit.start(definition.id, { variables: { size: 10 } });
    expect(await kit.waitingAt(big.id)).toEqual(['a', 'b']);
    await kit.completeTask(big.id, 'b');
    expect(await kit.waitingAt(big.id)).toEqual(['a', 'join']);
    await kit.completeTask(big.id, 'a');
    expect(await kit.waitingAt(big.id)).toEqual(['after']);

    const none = await kit.start(definition.id, { variables: { size: 0 } });
    expect(await kit.waitingAt(none.id)).toEqual(['c']);
  });

  it('exclusive gateway takes the first flow whose FEEL condition holds on the deal, else the default', async () => {
    const definition = await kit.deployed(
      diagram(`
        <bpmn:startEvent id="s" />${flow('f0', 's', 'gw')}
        <bpmn:exclusiveGateway id="gw" default="small" />${flow('big', 'gw', 'boss', 'deal.amount >= 10000')}${flow('small', 'gw', 'clerk')}
        ${task('boss')}${task('clerk')}${flow('f1', 'boss', 'e')}${flow('f2', 'clerk', 'e')}<bpmn:endEvent id="e" />`),
    );
    const deal = async (amount: string) => (await as(t, admin)('POST', '/api/v1/deals', { title: `Deal ${amount}`, amount })).json<Deal>();
    const large = await kit.start(definition.id, { record: { type: 'deal', id: (await deal('25000')).id } });
    const modest = await kit.start(definition.id, { record: { type: 'deal', id: (await deal('300')).id } });
    expect(await kit.waitingAt(large.id)).toEqual(['boss']);
    expect(await kit.waitingAt(modest.id)).toEqual(['clerk']);
  });

  it('a gateway where no condition holds fails the instance with the reason; retry after a variable change goes on', async () => {
    const definition = await kit.deployed(
      diagram(`
        <bpmn:startEvent id="s" />${flow('f0', 's', 'gw')}
        <bpmn:exclusiveGateway id="gw" />${flow('yes', 'gw', 'a', 'approved = true')}${flow('no', 'gw', 'e', 'approved = false')}
        ${task('a')}${flow('f1', 'a', 'e')}<bpmn:endEvent id="e" />`),
    );
    const instance = await kit.start(definition.id);
    expect(instance.state).toBe('failed');
    expect(instance.error).toMatch(/No condition/);
    const failed = (await kit.card(instance.id)).tokens.find((token) => token.state === 'failed');
    expect(failed).toMatchObject({ elementId: 'gw' });
    const marks = (await as(t, admin)('GET', `/api/v1/process-instances/${instance.id}/marks`)).json<{ items: { elementId: string; state: string }[] }>().items;
    expect(marks).toContainEqual(expect.objectContaining({ elementId: 'gw', state: 'failed' }));

    const patched = await as(t, admin)('PATCH', `/api/v1/process-instances/${instance.id}/variables`, { version: instance.version, variables: { approved: true } });
    expect(patched.statusCode, patched.body).toBe(200);
    const stale = await as(t, admin)('PATCH', `/api/v1/process-instances/${instance.id}/variables`, { version: instance.version, variables: { approved: false } });
    expect(stale.statusCode).toBe(409);
    const retried = (await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/retry`)).json<ProcessInstance>();
    expect(retried).toMatchObject({ state: 'running', error: null });
    expect(await kit.waitingAt(instance.id)).toEqual(['a']);
  });

  it('a failed branch keeps the instance failed while the other branches go on, and retry finishes it', async () => {
    const definition = await kit.deployed(
      diagram(`
        <bpmn:startEvent id="s" />${flow('f0', 's', 'split')}<bpmn:parallelGateway id="split" />${flow('f1', 'split', 'gw')}${flow('f2', 'split', 'b')}
        <bpmn:exclusiveGateway id="gw" />${flow('f3', 'gw', 'join', 'ready = true')}${task('b')}${flow('f4', 'b', 'join')}
        <bpmn:parallelGateway id="join" />${flow('f5', 'join', 'e')}<bpmn:endEvent id="e" />`),
    );
    const instance = await kit.start(definition.id);
    expect(instance.state).toBe('failed');
    const after = await kit.completeTask(instance.id, 'b');
    expect(after).toMatchObject({ state: 'failed', error: expect.stringMatching(/No condition/) });
    expect(await kit.waitingAt(instance.id)).toEqual(['join']);
    const patched = await as(t, admin)('PATCH', `/api/v1/process-instances/${instance.id}/variables`, { version: after.version, variables: { ready: true } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/retry`)).json<ProcessInstance>().state).toBe('completed');
  });

  it('an intermediate timer fires through the due loop when its time comes, not before', async () => {
    const definition = await kit.deployed(
      diagram(`
        <bpmn:startEvent id="s" />${flow('f0', 's', 'wait')}
        <bpmn:intermediateCatchEvent id="wait" name="Wait 7 days"><bpmn:timerEventDefinition><bpmn:timeDuration>P7D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        ${flow('f1', 'wait', 'call')}${task('call', 'Call the client')}${flow('f2', 'call', 'e')}<bpmn:endEvent id="e" />`),
    );
    const instance = await kit.start(definition.id);
    clock.advance(6 * 24 * HOUR);
    await kit.fire();
    expect(await kit.waitingAt(instance.id)).toEqual(['wait']);
    clock.advance(24 * HOUR);
    expect(await kit.fire()).toBeGreaterThanOrEqual(1);
    expect(await kit.waitingAt(instance.id)).toEqual(['call']);
    expect(await kit.fire()).toBe(0);
  });

  it('an interrupting boundary timer escalates: the task is cancelled in the task list and the path goes on', async () => {
    const definition = await kit.deployed(
      diagram(`
        <bpmn:startEvent id="s" />${flow('f0', 's', 'prepare')}
        ${task('prepare', 'Prepare the contract', 'rapport:dueIn="P1D"')}${flow('f1', 'prepare', 'e')}
        <bpmn:boundaryEvent id="late" attachedToRef="prepare"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        ${flow('f2', 'late', 'escalate')}${task('escalate', 'Escalated')}${flow('f3', 'escalate', 'e')}<bpmn:endEvent id="e" />`),
    );
    const instance = await kit.start(definition.id);
    const prepare = (await kit.card(instance.id)).tasks[0]!;
    const inList = (await as(t, admin)('GET', `/api/v1/tasks/${prepare.taskId}`)).json<Task>();
    expect(inList).toMatchObject({ title: 'Prepare the contract', status: 'open', dueAt: new Date(clock.now().getTime() + 24 * HOUR).toISOString() });
    clock.advance(25 * HOUR);
    await kit.fire();
    expect(await kit.waitingAt(instance.id)).toEqual(['escalate']);
    expect((await as(t, admin)('GET', `/api/v1/tasks/${prepare.taskId}`)).json<Task>().status).toBe('cancelled');
    expect((await kit.card(instance.id)).tasks.map((open) => [open.elementId, open.status])).toEqual([
      ['prepare', 'cancelled'],
      ['escalate', 'open'],
    ]);
  });

  it('a non-interrupting boundary timer adds a path and leaves the task open', async () => {
    const definition = await kit.deployed(
      diagram(`
        <bpmn:startEvent id="s" />${flow('f0', 's', 'work')}
        ${task('work')}${flow('f1', 'work', 'e')}
        <bpmn:boundaryEvent id="remind" attachedToRef="work" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        ${flow('f2', 'remind', 'nudge')}${task('nudge')}${flow('f3', 'nudge', 'e2')}<bpmn:endEvent id="e" /><bpmn:endEvent id="e2" />`),
    );
    const instance = await kit.start(definition.id);
    clock.advance(3 * HOUR);
    await kit.fire();
    expect(await kit.waitingAt(instance.id)).toEqual(['nudge', 'work']);
    await kit.completeTask(instance.id, 'work');
    expect(await stateOf(instance.id)).toBe('running');
    await kit.completeTask(instance.id, 'nudge');
    expect(await stateOf(instance.id)).toBe('completed');
  });

  const subProcess = (withBoundary: boolean) =>
    diagram(
      `
        <bpmn:startEvent id="s" />${flow('f0', 's', 'sub')}
        <bpmn:subProcess id="sub" name="Check stock">
          <bpmn:startEvent id="ss" />${flow('g0', 'ss', 'check')}
          ${task('check')}${flow('g1', 'check', 'ok')}
          <bpmn:exclusiveGateway id="ok" default="g3" />${flow('g2', 'ok', 'out', 'inStock = false')}${flow('g3', 'ok', 'se')}
          <bpmn:endEvent id="out" name="Out of stock"><bpmn:errorEventDefinition errorRef="NoStock" /></bpmn:endEvent>
          <bpmn:endEvent id="se" />
        </bpmn:subProcess>
        ${flow('f1', 'sub', 'ship')}${task('ship')}${flow('f2', 'ship', 'e')}<bpmn:endEvent id="e" />
        ${withBoundary ? `<bpmn:boundaryEvent id="caught" attachedToRef="sub"><bpmn:errorEventDefinition errorRef="NoStock" /></bpmn:boundaryEvent>${flow('f3', 'caught', 'order')}${task('order')}${flow('f4', 'order', 'e')}` : ''}`,
      `<bpmn:error id="NoStock" errorCode="NO_STOCK" />`,
    );

  it('an error end in a sub-process is caught by the sub-process boundary; a sub-process ending normally moves on', async () => {
    const definition = await kit.deployed(subProcess(true));
    const out = await kit.start(definition.id, { variables: { inStock: false } });
    expect(await kit.waitingAt(out.id)).toEqual(['check', 'sub']);
    await kit.completeTask(out.id, 'check');
    expect(await kit.waitingAt(out.id)).toEqual(['order']);
    expect((await kit.card(out.id)).history.map((event) => event.kind)).toContain('error_caught');

    const fine = await kit.start(definition.id, { variables: { inStock: true } });
    await kit.completeTask(fine.id, 'check');
    expect(await kit.waitingAt(fine.id)).toEqual(['ship']);
  });

  it('an error no boundary catches fails the instance', async () => {
    const definition = await kit.deployed(subProcess(false));
    const instance = await kit.start(definition.id, { variables: { inStock: false } });
    const after = await kit.completeTask(instance.id, 'check');
    expect(after.state).toBe('failed');
    expect(after.error).toMatch(/NO_STOCK/);
  });

  it('a terminate end ends the instance and cancels the other branches', async () => {
    const definition = await kit.deployed(
      diagram(`
        <bpmn:startEvent id="s" />${flow('f0', 's', 'split')}
        <bpmn:parallelGateway id="split" />${flow('f1', 'split', 'a')}${flow('f2', 'split', 'b')}
        ${task('a')}${task('b')}${flow('f3', 'a', 'stop')}${flow('f4', 'b', 'e')}
        <bpmn:endEvent id="stop"><bpmn:terminateEventDefinition /></bpmn:endEvent><bpmn:endEvent id="e" />`),
    );
    const instance = await kit.start(definition.id);
    const b = (await kit.card(instance.id)).tasks.find((open) => open.elementId === 'b')!;
    await kit.completeTask(instance.id, 'a');
    const card = await kit.card(instance.id);
    expect(card.state).toBe('completed');
    expect(card.tokens.find((token) => token.elementId === 'b')!.state).toBe('cancelled');
    expect((await as(t, admin)('GET', `/api/v1/tasks/${b.taskId}`)).json<Task>().status).toBe('cancelled');
  });

  const race = () =>
    diagram(
      `
        <bpmn:startEvent id="s" />${flow('f0', 's', 'race')}
        <bpmn:eventBasedGateway id="race" />${flow('f1', 'race', 'paid')}${flow('f2', 'race', 'timeout')}
        <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="Paid" /></bpmn:intermediateCatchEvent>
        <bpmn:intermediateCatchEvent id="timeout"><bpmn:timerEventDefinition><bpmn:timeDuration>P3D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        ${flow('f3', 'paid', 'ship')}${flow('f4', 'timeout', 'remind')}${task('ship')}${task('remind')}${flow('f5', 'ship', 'e')}${flow('f6', 'remind', 'e')}<bpmn:endEvent id="e" />`,
      `<bpmn:message id="Paid" name="payment received" />`,
    );

  it('event-based gateway: the message that comes first wins and the timer is dropped', async () => {
    const definition = await kit.deployed(race());
    const instance = await kit.start(definition.id);
    expect(await kit.waitingAt(instance.id)).toEqual(['race']);
    const unknown = await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/messages`, { name: 'refund' });
    expect(unknown.statusCode).toBe(409);
    const sent = await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/messages`, { name: 'payment received', variables: { paidAmount: 100 } });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(await kit.waitingAt(instance.id)).toEqual(['ship']);
    expect((await kit.card(instance.id)).variables).toMatchObject({ paidAmount: 100 });
    clock.advance(4 * 24 * HOUR);
    await kit.fire();
    expect(await kit.waitingAt(instance.id)).toEqual(['ship']);
  });

  it('event-based gateway: the timer that comes first wins and the message is no longer awaited', async () => {
    const definition = await kit.deployed(race());
    const instance = await kit.start(definition.id);
    clock.advance(3 * 24 * HOUR + 1);
    await kit.fire();
    expect(await kit.waitingAt(instance.id)).toEqual(['remind']);
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/messages`, { name: 'payment received' })).statusCode).toBe(409);
  });

  it('a receive task waits for its message by name', async () => {
    const definition = await kit.deployed(
      diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'r')}<bpmn:receiveTask id="r" messageRef="Signed" />${flow('f1', 'r', 'e')}<bpmn:endEvent id="e" />`, `<bpmn:message id="Signed" name="contract signed" />`),
    );
    const instance = await kit.start(definition.id);
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/messages`, { name: 'contract signed' })).json<ProcessInstance>().state).toBe('completed');
  });

  it('a suspended instance holds its timers until it is resumed; a cancelled one closes its tasks', async () => {
    const definition = await kit.deployed(
      diagram(`
        <bpmn:startEvent id="s" />${flow('f0', 's', 'split')}<bpmn:parallelGateway id="split" />${flow('f1', 'split', 'wait')}${flow('f2', 'split', 'a')}
        <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        ${flow('f3', 'wait', 'e')}${task('a')}${flow('f4', 'a', 'e2')}<bpmn:endEvent id="e" /><bpmn:endEvent id="e2" />`),
    );
    const instance = await kit.start(definition.id);
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/suspend`)).json<ProcessInstance>().state).toBe('suspended');
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/suspend`)).statusCode).toBe(409);
    clock.advance(2 * HOUR);
    await kit.fire();
    expect(await kit.waitingAt(instance.id)).toEqual(['a', 'wait']);
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/resume`)).json<ProcessInstance>().state).toBe('running');
    await kit.fire();
    expect(await kit.waitingAt(instance.id)).toEqual(['a']);
    const a = (await kit.card(instance.id)).tasks[0]!;
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/cancel`)).json<ProcessInstance>().state).toBe('cancelled');
    expect((await as(t, admin)('GET', `/api/v1/tasks/${a.taskId}`)).json<Task>().status).toBe('cancelled');
    const history = (await kit.card(instance.id)).history.map((event) => event.kind);
    expect(history).toEqual(expect.arrayContaining(['started', 'suspended', 'resumed', 'timer_fired', 'cancelled']));
  });

  it('a service task runs its action on the deal; on a process without a deal it is retried, then fails visibly, and retry runs it again', async () => {
    const xml = diagram(`
      <bpmn:startEvent id="s" />${flow('f0', 's', 'reserve')}
      <bpmn:serviceTask id="reserve" name="Reserve goods" rapport:action="create_task" rapport:config='{"title":"Reserve goods for {{title}}","assignee":{"kind":"owner"}}' />
      ${flow('f1', 'reserve', 'e')}<bpmn:endEvent id="e" />`);
    const definition = await kit.deployed(xml);
    const deal = (await as(t, admin)('POST', '/api/v1/deals', { title: 'Chairs', amount: '100' })).json<Deal>();
    const withDeal = await kit.start(definition.id, { record: { type: 'deal', id: deal.id } });
    expect(await kit.waitingAt(withDeal.id)).toEqual(['reserve']);
    await kit.fire();
    expect(await kit.card(withDeal.id)).toMatchObject({ state: 'completed' });
    const tasks = (await as(t, admin)('GET', '/api/v1/tasks?view=all&limit=200')).json<{ items: Task[] }>().items;
    expect(tasks.filter((one) => one.title === 'Reserve goods for Chairs')).toHaveLength(1);

    const bare = await kit.start(definition.id);
    await kit.fire();
    expect(await stateOf(bare.id)).toBe('running');
    for (let attempt = 0; attempt < 2; attempt++) {
      clock.advance(2 * 60_000 * 2 ** attempt);
      await kit.fire();
    }
    const failed = await kit.card(bare.id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/not linked to one/);
    expect(failed.history.filter((event) => event.kind === 'action_failed')).toHaveLength(3);
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${bare.id}/retry`)).json<ProcessInstance>().state).toBe('running');
    await kit.fire();
    expect((await kit.card(bare.id)).history.filter((event) => event.kind === 'action_failed')).toHaveLength(4);
  });

  it('two due-loop passes at once run a service task once', async () => {
    const definition = await kit.deployed(
      diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'svc')}<bpmn:serviceTask id="svc" rapport:action="create_task" rapport:config='{"title":"Once for {{title}}","assignee":{"kind":"owner"}}' />${flow('f1', 'svc', 'e')}<bpmn:endEvent id="e" />`),
    );
    const deal = (await as(t, admin)('POST', '/api/v1/deals', { title: 'Desks', amount: '10' })).json<Deal>();
    const instance = await kit.start(definition.id, { record: { type: 'deal', id: deal.id } });
    const fired = await Promise.all([kit.fire(), kit.fire()]);
    expect(fired.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(await stateOf(instance.id)).toBe('completed');
    const tasks = (await as(t, admin)('GET', '/api/v1/tasks?view=all&limit=200')).json<{ items: Task[] }>().items;
    expect(tasks.filter((one) => one.title === 'Once for Desks')).toHaveLength(1);
  });

  it('a step cut off before its commit leaves no trace, and the next pass does it once', async () => {
    const definition = await kit.deployed(
      diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'svc')}<bpmn:serviceTask id="svc" rapport:action="create_task" rapport:config='{"title":"Crash-safe {{title}}","assignee":{"kind":"owner"}}' />${flow('f1', 'svc', 'next')}${task('next')}${flow('f2', 'next', 'e')}<bpmn:endEvent id="e" />`),
    );
    const deal = (await as(t, admin)('POST', '/api/v1/deals', { title: 'Lamps', amount: '10' })).json<Deal>();
    const instance = await kit.start(definition.id, { record: { type: 'deal', id: deal.id } });
    // The process dies after the action and the step ran, before the commit.
    const crash = new Error('the process died');
    await expect(
      t.database.db.transaction().execute(async (trx) => {
        expect(await t.services.process.dueKind.fireDue(trx, clock.now(), 100)).toBe(1);
        throw crash;
      }),
    ).rejects.toBe(crash);
    expect(await kit.waitingAt(instance.id)).toEqual(['svc']);
    expect(await kit.fire()).toBe(1);
    expect(await kit.waitingAt(instance.id)).toEqual(['next']);
    const tasks = (await as(t, admin)('GET', '/api/v1/tasks?view=all&limit=200')).json<{ items: Task[] }>().items;
    expect(tasks.filter((one) => one.title === 'Crash-safe Lamps')).toHaveLength(1);
    expect((await kit.card(instance.id)).history.filter((event) => event.kind === 'action_done')).toHaveLength(1);
  });

  it('a failing service task with an error boundary takes the boundary path after its attempts', async () => {
    const definition = await kit.deployed(
      diagram(`
        <bpmn:startEvent id="s" />${flow('f0', 's', 'svc')}
        <bpmn:serviceTask id="svc" rapport:action="notify" rapport:config='{"recipient":{"kind":"owner"},"message":"Hello"}' />${flow('f1', 'svc', 'e')}
        <bpmn:boundaryEvent id="broke" attachedToRef="svc"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>${flow('f2', 'broke', 'fix')}${task('fix')}${flow('f3', 'fix', 'e')}<bpmn:endEvent id="e" />`),
    );
    const instance = await kit.start(definition.id);
    for (let attempt = 0; attempt < 3; attempt++) {
      await kit.fire();
      clock.advance(5 * 60_000);
    }
    expect(await kit.waitingAt(instance.id)).toEqual(['fix']);
    expect(await stateOf(instance.id)).toBe('running');
  });

  it('an interrupting message boundary stops the task and takes its path', async () => {
    const definition = await kit.deployed(
      diagram(
        `
        <bpmn:startEvent id="s" />${flow('f0', 's', 'work')}${task('work')}${flow('f1', 'work', 'e')}
        <bpmn:boundaryEvent id="stop" attachedToRef="work"><bpmn:messageEventDefinition messageRef="Stop" /></bpmn:boundaryEvent>${flow('f2', 'stop', 'e2')}
        <bpmn:endEvent id="e" /><bpmn:endEvent id="e2" />`,
        `<bpmn:message id="Stop" name="client cancelled" />`,
      ),
    );
    const instance = await kit.start(definition.id);
    const sent = (await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/messages`, { name: 'client cancelled' })).json<ProcessInstance>();
    expect(sent.state).toBe('completed');
    expect((await kit.card(instance.id)).tasks.map((one) => one.status)).toEqual(['cancelled']);
  });

  it('assigns by role in turn and by a FEEL expression; the record owner without a record fails the step', async () => {
    const roles = (await as(t, admin)('GET', '/api/v1/roles')).json<{ items: { id: string; name: string }[] }>().items;
    const heads = roles.find((role) => role.name === 'Head of sales')!;
    const first = await addUser(t, admin, { role: 'Head of sales', name: 'Hana Head' });
    const second = await addUser(t, admin, { role: 'Head of sales', name: 'Hugo Head' });
    const byRole = await kit.deployed(diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'a')}<bpmn:userTask id="a" rapport:assignee="role:${heads.id}" />${flow('f1', 'a', 'e')}<bpmn:endEvent id="e" />`));
    const assignees = [];
    for (let i = 0; i < 3; i++) assignees.push((await kit.card((await kit.start(byRole.id)).id)).tasks[0]!.assigneeId);
    expect(new Set(assignees.slice(0, 2))).toEqual(new Set([first.userId, second.userId]));
    expect(assignees[2]).toBe(assignees[0]);

    const byFeel = await kit.deployed(diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'a')}<bpmn:userTask id="a" rapport:assignee="=reviewer" />${flow('f1', 'a', 'e')}<bpmn:endEvent id="e" />`));
    const reviewed = await kit.start(byFeel.id, { variables: { reviewer: second.userId } });
    expect((await kit.card(reviewed.id)).tasks[0]!.assigneeId).toBe(second.userId);

    const byOwner = await kit.deployed(diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'a')}<bpmn:userTask id="a" name="Owner's" rapport:assignee="owner" />${flow('f1', 'a', 'e')}<bpmn:endEvent id="e" />`));
    const orphan = await kit.start(byOwner.id);
    expect(orphan).toMatchObject({ state: 'failed' });
    expect(orphan.error).toMatch(/not linked to a record/);
  });

  it('a timer start event starts an instance every period, once after a downtime, and stops with a new version without it', async () => {
    const monday = new Date(clock.now().getTime() + 2 * 24 * HOUR).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const xml = (start: string) => diagram(`${start}${flow('f0', 's', 'a')}${task('a', 'Weekly review')}${flow('f1', 'a', 'e')}<bpmn:endEvent id="e" />`);
    const definition = await kit.deployed(xml(`<bpmn:startEvent id="s" name="Every Monday"><bpmn:timerEventDefinition><bpmn:timeCycle>R/${monday}/P7D</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>`), 'Weekly');
    const fireStarts = () => t.database.db.transaction().execute((trx) => t.services.process.startDueKind.fireDue(trx, clock.now(), 100));
    const count = async () => (await as(t, admin)('GET', `/api/v1/process-instances?definitionId=${definition.id}`)).json<ProcessInstanceList>().items.length;
    expect(await fireStarts()).toBe(0);
    clock.set(new Date(monday));
    expect(await fireStarts()).toBe(1);
    expect(await count()).toBe(1);
    // Three weeks without the server: one start, not three, and the next one is a week ahead.
    clock.advance(21 * 24 * HOUR + HOUR);
    Object.assign(admin, await login(t, admin.email));
    expect(await fireStarts()).toBe(1);
    expect(await fireStarts()).toBe(0);
    expect(await count()).toBe(2);
    const current = (await as(t, admin)('GET', `/api/v1/process-definitions/${definition.id}`)).json<{ version: number }>();
    await as(t, admin)('PATCH', `/api/v1/process-definitions/${definition.id}`, { version: current.version, draftXml: xml('<bpmn:startEvent id="s" />') });
    expect((await as(t, admin)('POST', `/api/v1/process-definitions/${definition.id}/deploy`)).json<{ deployedVersion: number }>().deployedVersion).toBe(2);
    clock.advance(8 * 24 * HOUR);
    Object.assign(admin, await login(t, admin.email));
    expect(await fireStarts()).toBe(0);
    expect(await count()).toBe(2);
  });

  it('migrates a running instance to a new version: previewed, mapped by id or by hand, and it follows the new path', async () => {
    const v1 = diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'a')}${task('a', 'Prepare')}${flow('f1', 'a', 'e')}<bpmn:endEvent id="e" />`);
    const definition = await kit.deployed(v1, 'Migrating');
    const redeploy = async (xml: string) => {
      const current = (await as(t, admin)('GET', `/api/v1/process-definitions/${definition.id}`)).json<{ version: number }>();
      expect((await as(t, admin)('PATCH', `/api/v1/process-definitions/${definition.id}`, { version: current.version, draftXml: xml })).statusCode).toBe(200);
      return (await as(t, admin)('POST', `/api/v1/process-definitions/${definition.id}/deploy`)).json<{ deployedVersion: number }>().deployedVersion;
    };
    const one = await kit.start(definition.id);
    const two = await kit.start(definition.id);
    const withExtra = await redeploy(diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'a')}${task('a', 'Prepare')}${flow('f1', 'a', 'extra')}${task('extra', 'Extra check')}${flow('f2', 'extra', 'e')}<bpmn:endEvent id="e" />`));
    const migrate = (id: string, body: Record<string, unknown>) => as(t, admin)('POST', `/api/v1/process-instances/${id}/migrate`, body);

    const preview = (await migrate(one.id, { targetVersion: withExtra, preview: true })).json<{ migrated: boolean; problems: unknown[]; tokens: { from: string; to: string }[] }>();
    expect(preview).toMatchObject({ migrated: false, problems: [], tokens: [{ from: 'a', to: 'a' }] });
    expect((await kit.card(one.id)).definitionVersion).toBe(1);
    expect((await migrate(one.id, { targetVersion: withExtra })).json<{ migrated: boolean }>().migrated).toBe(true);
    expect((await kit.card(one.id)).definitionVersion).toBe(withExtra);
    await kit.completeTask(one.id, 'a');
    expect(await kit.waitingAt(one.id)).toEqual(['extra']);
    // Not migrated: keeps version 1 and ends after its task.
    expect((await kit.completeTask(two.id, 'a')).state).toBe('completed');

    const three = await kit.start(definition.id);
    const renamed = await redeploy(diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'prep')}${task('prep', 'Prepare')}${flow('f1', 'prep', 'e')}<bpmn:endEvent id="e" />`));
    const refused = (await migrate(three.id, { targetVersion: renamed })).json<{ migrated: boolean; problems: { code: string; elementId: string }[] }>();
    expect(refused).toMatchObject({ migrated: false, problems: [{ code: 'unmapped', elementId: 'a' }] });
    expect((await migrate(three.id, { targetVersion: renamed, mapping: { a: 'e' } })).json<{ problems: { code: string }[] }>().problems[0]!.code).toBe('kind_mismatch');
    expect((await migrate(three.id, { targetVersion: renamed, mapping: { a: 'prep' } })).json<{ migrated: boolean }>().migrated).toBe(true);
    expect(await kit.waitingAt(three.id)).toEqual(['prep']);
    expect((await kit.completeTask(three.id, 'prep')).state).toBe('completed');
    expect((await migrate(three.id, { targetVersion: 1 })).statusCode).toBe(409);
    rep = await login(t, rep.email);
    expect((await as(t, rep)('POST', `/api/v1/process-instances/${one.id}/migrate`, { targetVersion: 1 })).statusCode).toBe(403);
  });

  it('a user task takes its form values as variables and checks them', async () => {
    const definition = await kit.deployed(
      diagram(`
        <bpmn:startEvent id="s" />${flow('f0', 's', 'ask')}
        <bpmn:userTask id="ask" name="Ask" rapport:assignee="${me}"><bpmn:extensionElements><rapport:formField key="rating" label="Rating" type="number" required="true" /></bpmn:extensionElements></bpmn:userTask>
        ${flow('f1', 'ask', 'e')}<bpmn:endEvent id="e" />`),
    );
    const instance = await kit.start(definition.id);
    const open = (await kit.card(instance.id)).tasks[0]!;
    expect(open.form).toEqual([{ key: 'rating', label: 'Rating', type: 'number', required: true }]);
    const wrong = await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/tasks/${open.taskId}/complete`, { data: { rating: 'great' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ errors: { path: string }[] }>().errors[0]!.path).toBe('/body/data/rating');
    await kit.completeTask(instance.id, 'ask', { rating: 5 });
    expect(await kit.card(instance.id)).toMatchObject({ state: 'completed', variables: { rating: 5 } });
  });

  it('counts per element on the definition map: where instances wait and how long steps take', async () => {
    const definition = await kit.deployed(diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'a')}${task('a')}${flow('f1', 'a', 'e')}<bpmn:endEvent id="e" />`));
    const first = await kit.start(definition.id);
    await kit.start(definition.id);
    clock.advance(HOUR);
    await kit.completeTask(first.id, 'a');
    const marks = (await as(t, admin)('GET', `/api/v1/process-definitions/${definition.id}/versions/1/marks`)).json<{ items: { elementId: string; state: string; count: number; meanSeconds: number | null }[] }>().items;
    expect(marks.find((mark) => mark.elementId === 'a' && mark.state === 'active')).toMatchObject({ count: 1 });
    expect(marks.find((mark) => mark.elementId === 'a' && mark.state === 'done')).toMatchObject({ count: 1, meanSeconds: 3600 });
  });

  it('a rep sees and acts on the instances they started only', async () => {
    // The clock moved on by days: the rep signs in afresh.
    rep = await login(t, rep.email);
    const definition = await kit.deployed(diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'a')}${task('a')}${flow('f1', 'a', 'e')}<bpmn:endEvent id="e" />`), 'Scoped');
    const mine = await kit.start(definition.id, {}, rep);
    const theirs = await kit.start(definition.id);
    const listed = (await as(t, rep)('GET', `/api/v1/process-instances?definitionId=${definition.id}`)).json<ProcessInstanceList>().items;
    expect(listed.map((instance) => instance.id)).toEqual([mine.id]);
    expect((await as(t, rep)('GET', `/api/v1/process-instances/${theirs.id}`)).statusCode).toBe(404);
    expect((await as(t, rep)('POST', `/api/v1/process-instances/${theirs.id}/cancel`)).statusCode).toBe(404);
    expect((await as(t, rep)('POST', `/api/v1/process-instances/${mine.id}/suspend`)).statusCode).toBe(200);
    const all = (await as(t, admin)('GET', `/api/v1/process-instances?definitionId=${definition.id}&limit=1`)).json<ProcessInstanceList>();
    expect(all.items).toHaveLength(1);
    const next = (await as(t, admin)('GET', `/api/v1/process-instances?definitionId=${definition.id}&limit=1&cursor=${all.nextCursor}`)).json<ProcessInstanceList>();
    expect([all.items[0]!.id, next.items[0]!.id].sort()).toEqual([mine.id, theirs.id].sort());
    expect((await as(t, admin)('GET', `/api/v1/process-instances?state=suspended&definitionId=${definition.id}`)).json<ProcessInstanceList>().items.map((instance) => instance.id)).toEqual([mine.id]);
  });
});
