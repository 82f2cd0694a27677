import type { ElementMark } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, setupWorkspace, type Session } from '../../../test/factories.js';
import { diagram, flow, processKit } from '../../../test/process-kit.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';

/**
 * The definition map's counters are kept by triggers as tokens and instances change (migration 0037); whatever
 * happens to the instances, they must equal the counts over the tokens themselves.
 */

const MINUTE = 60_000;

describe('process map counters', () => {
  const clock = createTestClock(new Date('2031-09-01T09:00:00Z'));
  let t: TestApp;
  let admin: Session;
  let kit: ReturnType<typeof processKit>;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await setupWorkspace(t);
    kit = processKit(t, admin, () => clock.now());
  });
  afterAll(() => t.close());

  const task = (id: string) => `<bpmn:userTask id="${id}" name="${id}" rapport:assignee="user:${admin.userId}" />`;

  async function mapOf(definitionId: string, version: number): Promise<ElementMark[]> {
    const response = await as(t, admin)('GET', `/api/v1/process-definitions/${definitionId}/versions/${version}/marks`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: ElementMark[] }>().items;
  }

  /** The same marks counted from the tokens of the version's instances. */
  async function countedOf(definitionId: string, version: number): Promise<ElementMark[]> {
    const { rows } = await t.database.executeSql(
      `SELECT t.element_id,
         count(*) FILTER (WHERE t.state = 'waiting' AND i.state IN ('running', 'suspended'))::int AS active,
         count(*) FILTER (WHERE t.state = 'failed')::int AS failed,
         count(*) FILTER (WHERE t.state = 'done')::int AS done,
         avg(extract(epoch FROM t.left_at - t.entered_at)) FILTER (WHERE t.state = 'done')::float8 AS mean_seconds
       FROM process_token t JOIN process_instance i ON i.workspace_id = t.workspace_id AND i.id = t.instance_id
       WHERE i.definition_id = $1 AND i.version_number = $2 GROUP BY t.element_id ORDER BY t.element_id`,
      [definitionId, version],
    );
    return rows.flatMap((row) =>
      (['active', 'failed', 'done'] as const).filter((state) => Number(row[state]) > 0).map((state) => ({ elementId: String(row.element_id), state, count: Number(row[state]), meanSeconds: row.mean_seconds === null ? null : Number(row.mean_seconds) })),
    );
  }

  it('match the tokens through completions, failures, retries, suspension, cancellation and migration', async () => {
    const xml = diagram(`
      <bpmn:startEvent id="s" />${flow('f0', 's', 'split')}
      <bpmn:parallelGateway id="split" />${flow('f1', 'split', 'a')}${flow('f2', 'split', 'check')}
      ${task('a')}${flow('f3', 'a', 'join')}
      <bpmn:exclusiveGateway id="check" />${flow('yes', 'check', 'b', 'ok = true')}
      ${task('b')}${flow('f4', 'b', 'join')}
      <bpmn:parallelGateway id="join" />${flow('f5', 'join', 'e')}<bpmn:endEvent id="e" />`);
    const definition = await kit.deployed(xml, 'Counted');
    const done = await kit.start(definition.id, { variables: { ok: true } });
    const failed = await kit.start(definition.id);
    const suspended = await kit.start(definition.id, { variables: { ok: true } });
    const cancelled = await kit.start(definition.id, { variables: { ok: true } });
    const moved = await kit.start(definition.id, { variables: { ok: true } });
    clock.advance(5 * MINUTE);
    await kit.completeTask(done.id, 'a');
    clock.advance(10 * MINUTE);
    await kit.completeTask(done.id, 'b');
    expect((await kit.card(done.id)).state).toBe('completed');
    // A failed instance's waiting branch is no longer "active"; its failed gateway is.
    expect((await kit.card(failed.id)).state).toBe('failed');
    expect(await mapOf(definition.id, 1)).toContainEqual(expect.objectContaining({ elementId: 'check', state: 'failed', count: 1 }));
    await as(t, admin)('POST', `/api/v1/process-instances/${suspended.id}/suspend`);
    await as(t, admin)('POST', `/api/v1/process-instances/${cancelled.id}/cancel`);
    expect(await mapOf(definition.id, 1)).toEqual(await countedOf(definition.id, 1));

    const patched = await as(t, admin)('PATCH', `/api/v1/process-instances/${failed.id}/variables`, { version: (await kit.card(failed.id)).version, variables: { ok: true } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await as(t, admin)('POST', `/api/v1/process-instances/${failed.id}/retry`)).statusCode).toBe(200);
    await as(t, admin)('POST', `/api/v1/process-instances/${suspended.id}/resume`);
    clock.advance(MINUTE);
    await kit.completeTask(suspended.id, 'a');
    expect(await mapOf(definition.id, 1)).toEqual(await countedOf(definition.id, 1));

    // A migrated instance takes its counts to the other version.
    const redeployed = await as(t, admin)('POST', `/api/v1/process-definitions/${definition.id}/deploy`);
    expect(redeployed.json<{ deployedVersion: number }>().deployedVersion).toBe(2);
    const migration = await as(t, admin)('POST', `/api/v1/process-instances/${moved.id}/migrate`, { targetVersion: 2 });
    expect(migration.statusCode, migration.body).toBe(200);
    const second = await mapOf(definition.id, 2);
    expect(second).toContainEqual(expect.objectContaining({ elementId: 'a', state: 'active', count: 1 }));
    expect(second).toEqual(await countedOf(definition.id, 2));
    expect(await mapOf(definition.id, 1)).toEqual(await countedOf(definition.id, 1));
  });
});
