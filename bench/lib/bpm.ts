import { fullMatrix } from '@rapport/shared';
import { openRuntime } from '../../packages/server/src/app-runtime.js';
import type { Ctx } from '../../packages/server/src/core/context.js';
import { loadConfig } from '../../packages/server/src/infra/config.js';
import { executeRaw, type Database } from '../../packages/server/src/infra/db.js';
import { createLogger } from '../../packages/server/src/infra/logger.js';
import type { Services } from '../../packages/server/src/services.js';
import { describeDataset, generateDataset } from '../dataset/index.js';
import { targetEnv, type Target } from './backend.js';
import type { BenchContext } from './benchmark.js';
import type { ClientBaseFixture } from './client-base.js';

/** The ceiling of the BPM benchmarks (start, complete, map). */
export const BPM_CEILING = 'bench/servers/bpm-ceiling-server.ts';

/** The benchmarks' process: start → one user task for `assigneeId` → end (the loop the issue counts). */
export function taskProcessXml(assigneeId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:rapport="https://rapport.dev/schema/bpmn/1.0" id="D" targetNamespace="http://rapport.bench">
  <bpmn:process id="Approval" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" name="Review the request" rapport:assignee="user:${assigneeId}" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** The timer benchmark's process: start → a timer catch event → end. */
export function timerProcessXml(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="http://rapport.bench">
  <bpmn:process id="Wait" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait" name="Wait a month"><bpmn:timerEventDefinition><bpmn:timeDuration>P30D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** The administrator as the setup's actor (deploying needs the settings right). */
function adminCtx(workspaceId: string, userId: string): Ctx {
  return {
    actor: { workspaceId, userId, name: 'Bench admin', roleId: '', teamId: null, teamTreeIds: [], permissions: fullMatrix('all'), fieldRules: {}, via: 'system', apiKeyId: null },
    meta: { ip: '127.0.0.1', requestId: 'bench-bpm-setup' },
  };
}

export interface BpmFixture extends ClientBaseFixture {
  adminId: string;
  definitionId: string;
  versionId: string;
  versionNumber: number;
}

export interface BpmSetup {
  database: Database;
  services: Services;
  ctx: Ctx;
  fixture: BpmFixture;
}

/**
 * A fresh database with the bench workspace at scale 1 and one deployed process (`xml` of the admin's id), deployed
 * through the process service as Settings › Processes does; `prepare` then adds the benchmark's instances while the
 * runtime (workers off) is open. The administrator signs in for the load (process rights over every instance).
 */
export async function bpmFixture(ctx: BenchContext, label: string, xml: (adminId: string) => string, prepare: (setup: BpmSetup) => Promise<string | void>): Promise<BpmFixture> {
  const target: Target = await ctx.backend.fresh(label);
  const env = { ...targetEnv(target, ctx.backend.tempDir(`${label}-setup`)), LOG_LEVEL: 'warn' };
  const runtime = await openRuntime(loadConfig(env), createLogger('warn'), { workers: false });
  try {
    const summary = await generateDataset(runtime.database.db, { scale: 1 });
    const login = summary.logins.admin;
    const admin = await runtime.database.executeSql('SELECT id FROM app_user WHERE workspace_id = $1 AND email = $2', [summary.workspaceId, login]);
    const adminId = String(admin.rows[0]?.id ?? '');
    if (!login || !adminId) throw new Error('the generated dataset has no administrator');
    const setupCtx = adminCtx(summary.workspaceId, adminId);
    const definition = await runtime.services.process.create(setupCtx, { name: `Bench ${label}`, xml: xml(adminId) });
    const deployed = await runtime.services.process.deploy(setupCtx, definition.id);
    if (deployed.deployedVersion === null) throw new Error(`the bench process does not deploy: ${JSON.stringify(deployed.problems)}`);
    const version = await runtime.database.executeSql('SELECT id FROM process_version WHERE workspace_id = $1 AND definition_id = $2 AND number = $3', [summary.workspaceId, definition.id, deployed.deployedVersion]);
    const fixture: BpmFixture = {
      target,
      dataset: describeDataset(summary),
      workspaceId: summary.workspaceId,
      login,
      password: summary.password,
      size: { contacts: 0, companies: 0 },
      adminId,
      definitionId: definition.id,
      versionId: String(version.rows[0]?.id),
      versionNumber: deployed.deployedVersion,
    };
    const more = await prepare({ database: runtime.database, services: runtime.services, ctx: setupCtx, fixture });
    if (more) fixture.dataset = `${fixture.dataset}, ${more}`;
    await runtime.database.executeSql('ANALYZE process_instance, process_token, process_event, process_timer, process_user_task, process_element_stat, task', []);
    return fixture;
  } finally {
    await runtime.close();
  }
}

/** The tables an instance's rows live in, with the id columns that point at other cloned rows. */
const CLONED: { table: string; ids: string[]; instanceColumn: string }[] = [
  { table: 'process_instance', ids: ['id'], instanceColumn: 'id' },
  { table: 'process_token', ids: ['id', 'instance_id', 'parent_id'], instanceColumn: 'instance_id' },
  { table: 'process_event', ids: ['id', 'instance_id'], instanceColumn: 'instance_id' },
  { table: 'process_timer', ids: ['id', 'instance_id', 'token_id'], instanceColumn: 'instance_id' },
  { table: 'process_user_task', ids: ['task_id', 'instance_id', 'token_id'], instanceColumn: 'instance_id' },
];

/**
 * `count` copies of a real instance (started through the service), in bulk SQL: every row of it in the process tables
 * and its tasks, each id replaced by md5(old id, copy number) so references stay consistent. Starting 100k instances
 * through the engine would take the run's whole budget; the copies are the same rows the engine wrote.
 * Answers the copies' instance ids (in copy order).
 */
export async function cloneInstance(database: Database, workspaceId: string, instanceId: string, count: number, from = 0): Promise<string[]> {
  const remap = (column: string) => `CASE WHEN ${column} IS NULL THEN NULL ELSE md5(${column}::text || ':' || g)::uuid END`;
  const columnsOf = async (table: string) => (await database.executeSql(`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`, [table])).rows.map((row) => String(row.column_name));
  const series = `generate_series(${Number(from)}::int, ${Number(from + count - 1)}::int) g`;
  const statements: string[] = [];
  for (const { table, ids, instanceColumn } of CLONED) {
    const columns = await columnsOf(table);
    const select = columns.map((column) => (ids.includes(column) ? remap(column) : column)).join(', ');
    statements.push(`INSERT INTO ${table} (${columns.join(', ')}) SELECT ${select} FROM ${table} CROSS JOIN ${series} WHERE workspace_id = $1 AND ${instanceColumn} = $2`);
  }
  const taskColumns = await columnsOf('task');
  const taskSelect = taskColumns.map((column) => (column === 'id' ? remap('t.id') : `t.${column}`)).join(', ');
  statements.push(`INSERT INTO task (${taskColumns.join(', ')}) SELECT ${taskSelect} FROM task t JOIN process_user_task p ON p.workspace_id = t.workspace_id AND p.task_id = t.id CROSS JOIN ${series} WHERE p.workspace_id = $1 AND p.instance_id = $2`);
  await database.db.transaction().execute(async (trx) => {
    // Row by row, the map counters' triggers would update the same counter rows 100k times in one transaction (each
    // update walks the versions before it); the copies go in without triggers and the counters are recounted after.
    await executeRaw(trx, 'SET LOCAL session_replication_role = replica', []);
    for (const text of statements) await executeRaw(trx, text, [workspaceId, instanceId]);
    await executeRaw(trx, 'SET LOCAL session_replication_role = origin', []);
    await executeRaw(trx, 'DELETE FROM process_element_stat WHERE workspace_id = $1', [workspaceId]);
    // As migration 0037 fills the counters.
    await executeRaw(
      trx,
      `INSERT INTO process_element_stat (workspace_id, version_id, element_id, slot, active, failed, done, done_seconds)
       SELECT t.workspace_id, i.version_id, t.element_id, process_element_stat_slot(t.instance_id),
         count(*) FILTER (WHERE t.state = 'waiting' AND i.state IN ('running', 'suspended')), count(*) FILTER (WHERE t.state = 'failed'), count(*) FILTER (WHERE t.state = 'done'),
         coalesce(sum(extract(epoch FROM t.left_at - t.entered_at)) FILTER (WHERE t.state = 'done'), 0)
       FROM process_token t JOIN process_instance i ON i.workspace_id = t.workspace_id AND i.id = t.instance_id
       WHERE t.workspace_id = $1
       GROUP BY t.workspace_id, i.version_id, t.element_id, process_element_stat_slot(t.instance_id)`,
      [workspaceId],
    );
  });
  const result = await database.executeSql(`SELECT md5($1::text || ':' || g)::uuid AS id FROM ${series} ORDER BY g`, [instanceId]);
  return result.rows.map((row) => String(row.id));
}

/** Row counts of the tables one start or completion writes to: both sides must write the same rows. */
const WRITTEN = ['process_instance', 'process_token', 'process_event', 'process_user_task', 'task', 'audit_log', 'outbox'] as const;

export async function rowCounts(database: Database): Promise<Record<string, number>> {
  const { rows } = await database.executeSql(`SELECT ${WRITTEN.map((table) => `(SELECT count(*)::int FROM ${table}) AS ${table}`).join(', ')}`, []);
  return Object.fromEntries(WRITTEN.map((table) => [table, Number(rows[0]?.[table] ?? 0)]));
}

export function rowDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((table) => [table, (after[table] ?? 0) - (before[table] ?? 0)]));
}
