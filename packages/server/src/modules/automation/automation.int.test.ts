import net from 'node:net';
import type { Activity, AuditEntry, Deal, Pipeline, Problem, RobotRule, RobotRun, Task } from '@rapport/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, outbox, roleByName, setupWorkspace, waitFor, type Session } from '../../../test/factories.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';
import type { TestDatabase } from '../../../test/test-db.js';
import { openDatabase } from '../../infra/db.js';
import { robotRunQueue } from '../../jobs/queue.js';

/**
 * Stage robots as an administrator sets them up and a sales team meets them: rules checked when saved (with paths),
 * actions run by the job workers once per entry into the stage, retried and then marked failed, and the deal's log.
 */

const HOUR = 3_600_000;

/** A second connection pool on the same database, as a second server process has; closing it leaves the database. */
async function sameDatabase(database: TestDatabase): Promise<TestDatabase> {
  if (!database.url) return { ...database, drop: async () => undefined };
  const second = await openDatabase({ kind: 'postgres', url: database.url, max: 5 });
  return { ...second, url: database.url, drop: () => second.close() };
}

/** A local port nothing listens on: a webhook there fails at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('stage robots', () => {
  const clock = createTestClock(new Date('2031-03-03T09:00:00Z'));
  let t: TestApp;
  let second: TestApp;
  let admin: Session;
  let rep: Session;
  let sales: Pipeline;
  const stage = (index: number) => sales.stages[index]!.id;

  beforeAll(async () => {
    t = await createTestApp({ workers: true, clock });
    // A second set of workers on the same database: the outbox dispatcher and the job workers of another process.
    second = await createTestApp({ workers: true, clock, database: await sameDatabase(t.database) });
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep', name: 'Rita Rep' });
    sales = (await as(t, admin)('GET', '/api/v1/pipelines')).json<{ items: Pipeline[] }>().items[0]!;
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  const addRobot = async (body: Record<string, unknown>): Promise<RobotRule> => {
    const response = await as(t, admin)('POST', '/api/v1/robots', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<RobotRule>();
  };
  const newDeal = async (session: Session, body: Record<string, unknown> = {}): Promise<Deal> => {
    const response = await as(t, session)('POST', '/api/v1/deals', { title: 'Office chairs', amount: '500', ...body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Deal>();
  };
  const move = async (session: Session, deal: Deal, stageId: string): Promise<Deal> => {
    const response = await as(t, session)('POST', `/api/v1/deals/${deal.id}/move`, { stageId, version: deal.version });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Deal>();
  };
  const runsOf = async (session: Session, dealId: string) => (await as(t, session)('GET', `/api/v1/deals/${dealId}/robot-runs`)).json<{ items: RobotRun[] }>().items;
  const settledRuns = (session: Session, dealId: string, count: number) =>
    waitFor(
      async () => {
        const runs = await runsOf(session, dealId);
        return runs.length >= count && runs.every((run) => run.status !== 'queued' && run.status !== 'running') && runs;
      },
      { timeoutMs: 30_000, what: 'the robot runs to finish' },
    );
  const tasksOn = async (session: Session, dealId: string) => (await as(t, session)('GET', '/api/v1/tasks?view=all&limit=200')).json<{ items: Task[] }>().items.filter((task) => task.subject?.id === dealId);
  const paths = (response: { json: <T>() => T }) => response.json<Problem>().errors?.map((error) => error.path);

  it('refuses a bad condition, an unknown action and bad configs with their paths; only administrators edit robots', async () => {
    const otherPipeline = (await as(t, admin)('POST', '/api/v1/pipelines', { name: 'Service', stages: [{ name: 'Open', color: '#339af0', probability: 10, kind: 'open' }, { name: 'Done', color: '#40c057', probability: 100, kind: 'won' }, { name: 'Gone', color: '#868e96', probability: 0, kind: 'lost' }] })).json<Pipeline>();
    const bad = await as(t, admin)('POST', '/api/v1/robots', {
      stageId: stage(1),
      name: 'Broken',
      trigger: 'on_enter',
      condition: 'amount >',
      actions: [
        { type: 'create_task', config: { title: '', assignee: { kind: 'user', userId: '00000000-0000-7000-8000-000000000000' } } },
        { type: 'send_fax', config: {} },
        { type: 'call_webhook', config: { url: 'ftp://example.com' } },
        { type: 'move_to_stage', config: { stageId: otherPipeline.stages[0]!.id } },
        { type: 'notify', config: { recipient: { kind: 'user', userId: '00000000-0000-7000-8000-000000000000' }, message: 'Look' } },
      ],
    });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(paths(bad)).toEqual(['/body/condition', '/body/actions/0/config/title', '/body/actions/1/type', '/body/actions/2/config/url', '/body/actions/3/config/stageId', '/body/actions/4/config/recipient/userId']);
    const noStage = await as(t, admin)('POST', '/api/v1/robots', { stageId: '00000000-0000-7000-8000-000000000000', name: 'Nowhere', trigger: 'on_enter', actions: [{ type: 'notify', config: { recipient: { kind: 'owner' }, message: 'Hi' } }] });
    expect(paths(noStage)).toEqual(['/body/stageId']);

    const forbidden = await as(t, rep)('POST', '/api/v1/robots', { stageId: stage(1), name: 'Mine', trigger: 'on_enter', actions: [{ type: 'notify', config: { recipient: { kind: 'owner' }, message: 'Hi' } }] });
    expect(forbidden.statusCode).toBe(403);
    const robot = await addRobot({ stageId: stage(2), name: 'Say hello', trigger: 'on_enter', actions: [{ type: 'notify', config: { recipient: { kind: 'owner' }, message: 'Hello' } }] });
    expect((await as(t, rep)('PATCH', `/api/v1/robots/${robot.id}`, { name: 'Mine now', version: 1 })).statusCode).toBe(403);
    const renamed = await as(t, admin)('PATCH', `/api/v1/robots/${robot.id}`, { name: 'Say hi', condition: 'amount > 10', version: 1 });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const stale = await as(t, admin)('PATCH', `/api/v1/robots/${robot.id}`, { name: 'Stale', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect((await as(t, admin)('DELETE', `/api/v1/robots/${robot.id}?version=1`)).statusCode).toBe(409);
    expect((await as(t, admin)('DELETE', `/api/v1/robots/${robot.id}?version=2`)).statusCode).toBe(204);
    expect((await as(t, admin)('GET', `/api/v1/robots?stageId=${stage(2)}`)).json<{ items: RobotRule[] }>().items).toEqual([]);

    const audit = (await as(t, admin)('GET', `/api/v1/audit?limit=200&objectType=stage_rule&objectId=${robot.id}`)).json<{ items: AuditEntry[] }>().items;
    expect(audit.map((entry) => entry.action).sort()).toEqual(['stage_rule.create', 'stage_rule.delete', 'stage_rule.update']);
    expect(audit.find((entry) => entry.action === 'stage_rule.update')?.changes).toMatchObject({ name: { from: 'Say hello', to: 'Say hi' }, condition: { from: null, to: 'amount > 10' } });
  });

  it('creates the owner’s task due in two hours when a deal enters the stage, once, and logs the run', async () => {
    await addRobot({ stageId: stage(1), name: 'Call back', trigger: 'on_enter', actions: [{ type: 'create_task', config: { title: 'Call the client back within 2 hours: {{title}}', assignee: { kind: 'owner' }, dueIn: { amount: 2, unit: 'hours' }, priority: 'high' } }] });
    const deal = await move(rep, await newDeal(rep), stage(1));
    const [run] = await settledRuns(rep, deal.id, 1);
    expect(run).toMatchObject({ ruleName: 'Call back', actionType: 'create_task', status: 'done', attempts: 1, error: null });
    const tasks = await tasksOn(rep, deal.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ title: 'Call the client back within 2 hours: Office chairs', ownerId: rep.userId, priority: 'high', dueAt: new Date(clock.now().getTime() + 2 * HOUR).toISOString() });
    expect(run!.result).toMatchObject({ taskId: tasks[0]!.id, assigneeId: rep.userId });

    // Both processes' dispatchers and workers ran; still one run and one task per entry. A new entry runs again.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await runsOf(rep, deal.id)).toHaveLength(1);
    const back = await move(rep, (await as(t, rep)('GET', `/api/v1/deals/${deal.id}`)).json<Deal>(), stage(0));
    await move(rep, back, stage(1));
    await settledRuns(rep, deal.id, 2);
    expect(await tasksOn(rep, deal.id)).toHaveLength(2);
  });

  it('a task due at the time a date-and-time field of the deal holds (an agreed visit), the offset when it is empty', async () => {
    const visits = (await as(t, admin)('POST', '/api/v1/pipelines', { name: 'Visits', stages: [{ name: 'Call', color: '#339af0', probability: 10, kind: 'open' }, { name: 'Measure', color: '#339af0', probability: 40, kind: 'open' }, { name: 'Won', color: '#40c057', probability: 100, kind: 'won' }, { name: 'Lost', color: '#868e96', probability: 0, kind: 'lost' }] })).json<Pipeline>();
    const [call, measure] = visits.stages;
    expect((await as(t, admin)('POST', '/api/v1/custom-fields', { object: 'deal', key: 'visit_at', label: 'Visit at', kind: 'datetime' })).statusCode).toBe(201);
    expect((await as(t, admin)('POST', '/api/v1/custom-fields', { object: 'deal', key: 'visit_note', label: 'Visit note', kind: 'text' })).statusCode).toBe(201);
    const config = { title: 'Go for measurements: {{title}}', assignee: { kind: 'owner' } };
    const wrong = await as(t, admin)('POST', '/api/v1/robots', { stageId: measure!.id, name: 'Visit', trigger: 'on_enter', actions: [{ type: 'create_task', config: { ...config, dueAtField: 'custom.visit_note' } }] });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<Problem>().errors?.map((error) => error.path)).toEqual(['/body/actions/0/config/dueAtField']);
    await addRobot({ stageId: measure!.id, name: 'Visit', trigger: 'on_enter', actions: [{ type: 'create_task', config: { ...config, dueAtField: 'custom.visit_at', dueIn: { amount: 1, unit: 'days' } } }] });

    const agreed = await move(rep, await newDeal(rep, { title: 'Bay window', pipelineId: visits.id, stageId: call!.id, custom: { visit_at: '2031-03-05T14:30:00.000Z' } }), measure!.id);
    const unset = await move(rep, await newDeal(rep, { title: 'Door', pipelineId: visits.id, stageId: call!.id }), measure!.id);
    await settledRuns(rep, agreed.id, 1);
    await settledRuns(rep, unset.id, 1);
    expect((await tasksOn(rep, agreed.id)).map((task) => [task.title, task.dueAt])).toEqual([['Go for measurements: Bay window', '2031-03-05T14:30:00.000Z']]);
    expect((await tasksOn(rep, unset.id)).map((task) => task.dueAt)).toEqual([new Date(clock.now().getTime() + 24 * HOUR).toISOString()]);
  });

  it('plans a call for the owner on the deal a day ahead, shown on the deal and in their activities', async () => {
    const calls = (await as(t, admin)('POST', '/api/v1/pipelines', { name: 'Calls', stages: [{ name: 'New', color: '#339af0', probability: 10, kind: 'open' }, { name: 'Offer sent', color: '#339af0', probability: 40, kind: 'open' }, { name: 'Won', color: '#40c057', probability: 100, kind: 'won' }, { name: 'Lost', color: '#868e96', probability: 0, kind: 'lost' }] })).json<Pipeline>();
    const [fresh, offer] = calls.stages;
    const empty = await as(t, admin)('POST', '/api/v1/robots', { stageId: offer!.id, name: 'Follow up', trigger: 'on_enter', actions: [{ type: 'create_call', config: { subject: ' ', assignee: { kind: 'owner' } } }] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<Problem>().errors?.map((error) => error.path)).toEqual(['/body/actions/0/config/subject']);
    await addRobot({ stageId: offer!.id, name: 'Follow up', trigger: 'on_enter', actions: [{ type: 'create_call', config: { subject: 'Ask about the offer: {{title}}', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'days' } } }] });

    const deal = await move(rep, await newDeal(rep, { title: 'Standing desks', pipelineId: calls.id, stageId: fresh!.id }), offer!.id);
    const [run] = await settledRuns(rep, deal.id, 1);
    expect(run?.status).toBe('done');
    const planned = (await as(t, rep)('GET', '/api/v1/activities?kind=call&status=planned')).json<{ items: Activity[] }>().items.filter((call) => call.links.some((link) => link.id === deal.id));
    expect(planned.map((call) => [call.subject, call.ownerId, call.direction, call.startsAt])).toEqual([['Ask about the offer: Standing desks', rep.userId, 'outbound', new Date(clock.now().getTime() + 24 * HOUR).toISOString()]]);
  });

  it('runs many entries exactly once with two worker processes', async () => {
    const deals = await Promise.all(Array.from({ length: 8 }, (_, i) => newDeal(rep, { title: `Batch ${i}` })));
    for (const deal of deals) await move(rep, deal, stage(1));
    for (const deal of deals) await settledRuns(rep, deal.id, 1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const deal of deals) {
      expect(await runsOf(rep, deal.id)).toHaveLength(1);
      expect(await tasksOn(rep, deal.id)).toHaveLength(1);
    }
  });

  it('runs a rule only when its FEEL condition holds; the skipped one shows in the log', async () => {
    await addRobot({ stageId: stage(2), name: 'Big deals', trigger: 'on_enter', condition: 'amount > 1000 and currency = "USD"', actions: [{ type: 'notify', config: { recipient: { kind: 'owner' }, message: 'Big one: {{title}} for {{amount}}' } }, { type: 'set_field', config: { field: 'description', value: 'Checked by the robot' } }] });
    const small = await move(rep, await newDeal(rep, { title: 'Small' }), stage(2));
    const big = await move(rep, await newDeal(rep, { title: 'Big', amount: '5000' }), stage(2));
    expect(await settledRuns(rep, small.id, 1)).toMatchObject([{ status: 'skipped', error: 'the condition is false' }]);
    const bigRuns = await settledRuns(rep, big.id, 2);
    expect(bigRuns.map((run) => [run.actionIndex, run.actionType, run.status])).toEqual([
      [1, 'set_field', 'done'],
      [0, 'notify', 'done'],
    ]);
    expect((await as(t, rep)('GET', `/api/v1/deals/${big.id}`)).json<Deal>().description).toBe('Checked by the robot');
    const notices = (await as(t, rep)('GET', '/api/v1/notifications?limit=200')).json<{ items: { kind: string; params: Record<string, unknown> }[] }>().items.filter((n) => n.kind === 'robot');
    expect(notices.map((n) => n.params.message)).toEqual(['Big one: Big for 5000']);
  });

  it('hands a role’s tasks to its users in turn', async () => {
    const role = await roleByName(t, admin, 'Sales manager');
    const first = await addUser(t, admin, { role: 'Sales manager' });
    const secondManager = await addUser(t, admin, { role: 'Sales manager' });
    await addRobot({ stageId: stage(3), name: 'Review', trigger: 'on_enter', actions: [{ type: 'create_task', config: { title: 'Review {{title}}', assignee: { kind: 'role', roleId: role.id } } }] });
    const assignees: string[] = [];
    for (const title of ['One', 'Two']) {
      const deal = await move(admin, await newDeal(admin, { title }), stage(3));
      const [run] = await settledRuns(admin, deal.id, 1);
      assignees.push(String(run!.result?.assigneeId));
    }
    expect(new Set(assignees)).toEqual(new Set([first.userId, secondManager.userId]));
  });

  it('retries a failing webhook, then marks it failed in the log; only those who may read the deal see the log', async () => {
    const port = await closedPort();
    await addRobot({ stageId: stage(4), name: 'Tell the ERP', trigger: 'on_enter', actions: [{ type: 'call_webhook', config: { url: `http://127.0.0.1:${port}/hook`, timeoutSeconds: 2 } }] });
    const deal = await move(admin, await newDeal(admin, { title: 'Webhook deal' }), stage(4));
    const attempted = async (attempts: number) =>
      waitFor(
        async () => {
          const [run] = await runsOf(admin, deal.id);
          return run && run.attempts >= attempts && run.status !== 'running' && run;
        },
        { timeoutMs: 30_000, what: `attempt ${attempts}` },
      );
    const first = await attempted(1);
    expect(first).toMatchObject({ status: 'queued', error: expect.stringMatching(/fetch failed|ECONNREFUSED/) });
    // The retry waits 30 s, then 60 s; bring each forward instead of waiting for it.
    for (const attempts of [2, 3]) {
      await waitFor(async () => {
        const result = await sql`UPDATE pgboss.job SET start_after = now() WHERE name = 'robot.action' AND state = 'created' AND start_after > now()`.execute(t.database.db);
        return Number(result.numAffectedRows ?? 0) > 0;
      }, { timeoutMs: 10_000, what: 'the retry to be scheduled' });
      await attempted(attempts);
    }
    const [failed] = await settledRuns(admin, deal.id, 1);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, actionType: 'call_webhook' });
    expect(failed!.error).toBeTruthy();
    expect(failed!.finishedAt).not.toBeNull();

    // The rep may not read the administrator's deal, so not its robot log either.
    expect((await as(t, rep)('GET', `/api/v1/deals/${deal.id}/robot-runs`)).statusCode).toBe(404);
  });

  it('chains actions: an e-mail to the owner through the mail outbox, then a move on, whose stage runs its own robots', async () => {
    const onboarding = (await as(t, admin)('POST', '/api/v1/pipelines', { name: 'Onboarding', stages: [{ name: 'Signed', color: '#339af0', probability: 10, kind: 'open' }, { name: 'Kick-off', color: '#339af0', probability: 50, kind: 'open' }, { name: 'Live', color: '#40c057', probability: 100, kind: 'won' }, { name: 'Dropped', color: '#868e96', probability: 0, kind: 'lost' }] })).json<Pipeline>();
    const [signed, kickoff] = onboarding.stages;
    await addRobot({ stageId: signed!.id, name: 'Welcome', trigger: 'on_enter', actions: [{ type: 'send_email', config: { to: 'owner', subject: 'Signed: {{title}}', body: '{{title}} for {{amount}} {{currency}} is signed.' } }, { type: 'move_to_stage', config: { stageId: kickoff!.id } }] });
    await addRobot({ stageId: kickoff!.id, name: 'Plan', trigger: 'on_enter', actions: [{ type: 'set_field', config: { field: 'expectedCloseDate', value: '2031-04-01' } }] });
    const deal = await newDeal(rep, { title: 'Acme onboarding', amount: '700', pipelineId: onboarding.id });
    const runs = await settledRuns(rep, deal.id, 3);
    expect(runs.map((run) => [run.ruleName, run.actionType, run.status])).toEqual([
      ['Plan', 'set_field', 'done'],
      ['Welcome', 'move_to_stage', 'done'],
      ['Welcome', 'send_email', 'done'],
    ]);
    const after = (await as(t, rep)('GET', `/api/v1/deals/${deal.id}`)).json<Deal>();
    expect(after).toMatchObject({ stageId: kickoff!.id, expectedCloseDate: '2031-04-01' });
    const mail = (await outbox(t, admin)).find((message) => message.subject === 'Signed: Acme onboarding');
    expect(mail).toMatchObject({ to: rep.email, text: 'Acme onboarding for 700 USD is signed.' });
  });

  it('runs an idle rule once a deal has stayed its hours in the stage without activity, once per stay', async () => {
    const renewals = (await as(t, admin)('POST', '/api/v1/pipelines', { name: 'Renewals', stages: [{ name: 'Waiting', color: '#339af0', probability: 10, kind: 'open' }, { name: 'Renewed', color: '#40c057', probability: 100, kind: 'won' }, { name: 'Churned', color: '#868e96', probability: 0, kind: 'lost' }] })).json<Pipeline>();
    const waiting = renewals.stages[0]!.id;
    const noHours = await as(t, admin)('POST', '/api/v1/robots', { stageId: waiting, name: 'Stuck', trigger: 'idle_hours', actions: [{ type: 'notify', config: { recipient: { kind: 'owner' }, message: 'Hi' } }] });
    expect(paths(noHours)).toEqual(['/body/idleHours']);
    const rule = await addRobot({ stageId: waiting, name: 'Stuck', trigger: 'idle_hours', idleHours: 3, actions: [{ type: 'notify', config: { recipient: { kind: 'owner' }, message: 'Still waiting: {{title}}' } }] });
    expect(rule).toMatchObject({ trigger: 'idle_hours', idleHours: 3 });
    const deal = await newDeal(rep, { title: 'Quiet renewal', pipelineId: renewals.id });
    const scan = () => t.services.automation.idleScan(robotRunQueue(t.jobs!));
    clock.advance(2 * HOUR);
    expect(await scan()).toBe(0);
    clock.advance(HOUR + 60_000);
    expect(await scan()).toBe(1);
    expect(await settledRuns(rep, deal.id, 1)).toMatchObject([{ ruleName: 'Stuck', actionType: 'notify', status: 'done' }]);
    clock.advance(24 * HOUR);
    expect(await scan()).toBe(0);
    expect(await runsOf(rep, deal.id)).toHaveLength(1);
  });
});
