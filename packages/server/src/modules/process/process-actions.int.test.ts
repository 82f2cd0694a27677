import http from 'node:http';
import type { Deal, Pipeline, ProcessInstance, ProcessValidation, ProcessDefinition } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, setupWorkspace, type Session } from '../../../test/factories.js';
import { diagram, flow, processKit } from '../../../test/process-kit.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';

/**
 * Service tasks with the whole action library: the actions that write through another module (a field, a stage) or
 * call out (a webhook) run outside the engine's step and report back to it; settings may be FEEL expressions.
 */

describe('process service tasks and the action library', () => {
  const clock = createTestClock(new Date('2031-07-01T09:00:00Z'));
  let t: TestApp;
  let admin: Session;
  let kit: ReturnType<typeof processKit>;
  let sales: Pipeline;
  /** A webhook receiver that answers with `status` and counts the calls. */
  const hook = { status: 500, calls: 0 };
  let server: http.Server;
  let hookUrl: string;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await setupWorkspace(t);
    kit = processKit(t, admin, () => clock.now());
    sales = (await as(t, admin)('GET', '/api/v1/pipelines')).json<{ items: Pipeline[] }>().items[0]!;
    server = http.createServer((request, response) => {
      hook.calls += 1;
      request.resume();
      response.writeHead(hook.status).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  const service = (id: string, action: string, config: Record<string, unknown>) => `<bpmn:serviceTask id="${id}" rapport:action="${action}" rapport:config='${JSON.stringify(config).replace(/'/g, '&apos;')}' />`;
  const oneTask = (action: string, config: Record<string, unknown>) => diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'svc')}${service('svc', action, config)}${flow('f1', 'svc', 'e')}<bpmn:endEvent id="e" />`);
  const newDeal = async (title: string, amount = '100') => (await as(t, admin)('POST', '/api/v1/deals', { title, amount })).json<Deal>();
  const dealNow = async (id: string) => (await as(t, admin)('GET', `/api/v1/deals/${id}`)).json<Deal>();

  it('set_field writes the value of a FEEL expression over the deal and the variables to the deal', async () => {
    const definition = await kit.deployed(oneTask('set_field', { field: 'amount', value: '=deal.amount * factor' }));
    const deal = await newDeal('Tables', '120');
    const instance = await kit.start(definition.id, { record: { type: 'deal', id: deal.id }, variables: { factor: 3 } });
    await kit.fire();
    expect((await kit.card(instance.id)).state).toBe('completed');
    expect(Number((await dealNow(deal.id)).amount)).toBe(360);
  });

  it('move_to_stage moves the linked deal to a stage of any pipeline', async () => {
    const target = sales.stages[3]!;
    const definition = await kit.deployed(oneTask('move_to_stage', { stageId: target.id }));
    const deal = await newDeal('Sofas');
    const instance = await kit.start(definition.id, { record: { type: 'deal', id: deal.id } });
    await kit.fire();
    expect((await kit.card(instance.id)).state).toBe('completed');
    expect((await dealNow(deal.id)).stageId).toBe(target.id);
  });

  it('a failing webhook is retried, then fails the step with its error; retry from the card runs it again and moves on', async () => {
    hook.status = 500;
    hook.calls = 0;
    const definition = await kit.deployed(oneTask('call_webhook', { url: hookUrl, timeoutSeconds: 2 }));
    const deal = await newDeal('Beds');
    const instance = await kit.start(definition.id, { record: { type: 'deal', id: deal.id } });
    for (let attempt = 0; attempt < 3; attempt++) {
      await kit.fire();
      clock.advance(10 * 60_000);
    }
    const failed = await kit.card(instance.id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/call_webhook: the webhook answered HTTP 500/);
    expect(failed.tokens.find((token) => token.elementId === 'svc')).toMatchObject({ state: 'failed' });
    expect(hook.calls).toBe(3);
    hook.status = 204;
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/retry`)).json<ProcessInstance>().state).toBe('running');
    await kit.fire();
    expect((await kit.card(instance.id)).state).toBe('completed');
    expect(hook.calls).toBe(4);
  });

  it('an action outside the step does not move a token that a boundary event took meanwhile', async () => {
    hook.status = 204;
    hook.calls = 0;
    const definition = await kit.deployed(
      diagram(
        `<bpmn:startEvent id="s" />${flow('f0', 's', 'svc')}${service('svc', 'call_webhook', { url: hookUrl })}${flow('f1', 'svc', 'done')}<bpmn:endEvent id="done" />
        <bpmn:boundaryEvent id="stop" attachedToRef="svc"><bpmn:messageEventDefinition messageRef="Stop" /></bpmn:boundaryEvent>${flow('f2', 'stop', 'stopped')}<bpmn:endEvent id="stopped" />`,
        '<bpmn:message id="Stop" name="stop" />',
      ),
    );
    const deal = await newDeal('Stools');
    const instance = await kit.start(definition.id, { record: { type: 'deal', id: deal.id } });
    // The run is claimed and committed; before it reports back, the boundary takes the token.
    await t.database.db.transaction().execute((trx) => t.services.process.dueKind.fireDue(trx, clock.now(), 100));
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${instance.id}/messages`, { name: 'stop' })).statusCode).toBe(200);
    await t.services.process.dueKind.afterCommit!();
    const card = await kit.card(instance.id);
    expect(card.state).toBe('completed');
    expect(card.tokens.filter((token) => token.elementId === 'done')).toEqual([]);
    expect(card.history.filter((event) => event.kind === 'action_done')).toEqual([]);
  });

  it('deploy names each action problem: a bad setting, a stage that does not exist, a FEEL syntax error', async () => {
    const xml = diagram(`<bpmn:startEvent id="s" />${flow('f0', 's', 'a')}
      ${service('a', 'set_field', { field: 'nonsense', value: 1 })}${flow('f1', 'a', 'b')}
      ${service('b', 'move_to_stage', { stageId: '00000000-0000-4000-8000-000000000000' })}${flow('f2', 'b', 'c')}
      ${service('c', 'send_email', { to: 'owner', subject: '=deal.title +', body: 'Hi' })}${flow('f3', 'c', 'e')}<bpmn:endEvent id="e" />`);
    const definition = (await as(t, admin)('POST', '/api/v1/process-definitions', { name: 'Broken actions', xml })).json<ProcessDefinition>();
    const result = (await as(t, admin)('POST', `/api/v1/process-definitions/${definition.id}/deploy`)).json<ProcessValidation>();
    expect(result.deployedVersion).toBeNull();
    expect(result.problems.map((problem) => [problem.elementId, problem.code])).toEqual([
      ['a', 'action_config'],
      ['b', 'action_config'],
      ['c', 'feel_syntax'],
    ]);
    expect(result.problems[1]!.message).toMatch(/no such stage/);
  });
});
