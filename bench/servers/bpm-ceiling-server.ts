/**
 * Child process: the ceiling of the BPM benchmarks. A bare Fastify app over `openDatabase(...)` (a pg.Pool of 10 on
 * PostgreSQL; PGlite's pg pool on the embedded backend) that knows the benchmarks' one process (start → user task
 * "review" → end, bench/lib/bpm.ts) by heart and writes the rows Rapport's engine writes for it, each request in ONE
 * statement (data-modifying CTEs) after the session lookup: no engine, no services, no Kysely, no schemas.
 * - POST /api/v1/process-definitions/:id/instances: the instance, its two tokens (start done, review waiting), the
 *   task and its process link, the events "started" and "task_created", two audit entries and the task's outbox row.
 * - POST /api/v1/process-instances/:id/tasks/:taskId/complete: the task and its link done, the review token done and
 *   the end token, the events "task_completed" and "completed", the instance completed, two audit entries, the outbox row.
 * - GET /api/v1/process-definitions/:id/versions/:n/marks: the definition, the version, and the per-element counters
 *   with the same SQL as process.repository.ts elementMarks (the counter rows migration 0037 keeps).
 * Config: BENCH_CLIENT_BASE_CEILING_ENV = { "port": number, "target": DatabaseTarget }.
 */
import Fastify from 'fastify';
import { uuidv7 } from 'uuidv7';
import { openDatabase, type DatabaseTarget } from '../../packages/server/src/infra/db.js';
import { recorder, sessionPrincipal } from './ceiling-session.js';
import { serveChild } from './child-server.js';

const { port, target } = JSON.parse(process.env.BENCH_CLIENT_BASE_CEILING_ENV ?? '{}') as { port: number; target: DatabaseTarget };

const database = await openDatabase(target);
const app = Fastify({ logger: false });

const START_SQL = `
WITH d AS (
  SELECT d.name, v.id AS version_id, v.number FROM process_definition d
  JOIN process_version v ON v.workspace_id = d.workspace_id AND v.definition_id = d.id AND v.number = d.latest_version
  WHERE d.workspace_id = $1 AND d.id = $2 AND d.deleted_at IS NULL
), i AS (
  INSERT INTO process_instance (workspace_id, id, definition_id, version_id, version_number, state, variables, owner_id, team_id, started_at, created_by, updated_by)
  SELECT $1, $3, $2, d.version_id, d.number, 'running', $4::jsonb, $5, $6, $7, $5, $5 FROM d
  RETURNING id, definition_id, version_number, state, owner_id, started_at, version
), tokens AS (
  INSERT INTO process_token (workspace_id, id, instance_id, element_id, state, via_flow, entered_at, left_at)
  SELECT $1, x.id, i.id, x.element_id, x.state, x.via_flow, $7, x.left_at FROM i,
    (VALUES ($8::uuid, 'start', 'done', NULL::text, $7::timestamptz), ($9::uuid, 'review', 'waiting', 'f1', NULL::timestamptz)) AS x(id, element_id, state, via_flow, left_at)
), task AS (
  INSERT INTO task (workspace_id, id, title, owner_id, priority, status, checklist, created_by, updated_by)
  SELECT $1, $10, 'Review the request', $5, 'normal', 'open', '[]', $5, $5 FROM i
), link AS (
  INSERT INTO process_user_task (workspace_id, task_id, instance_id, token_id, element_id, assignee_id, status, form, created_at)
  SELECT $1, $10, i.id, $9, 'review', $5, 'open', '[]', $7 FROM i
), events AS (
  INSERT INTO process_event (workspace_id, id, instance_id, at, kind, element_id, user_id, data)
  SELECT $1, x.id, i.id, $7, x.kind, x.element_id, $5, x.data::jsonb FROM i,
    (VALUES ($11::uuid, 'started', 'start', json_build_object('version', (SELECT number FROM d))::text), ($12::uuid, 'task_created', 'review', json_build_object('taskId', $10::uuid, 'assigneeId', $5::uuid)::text)) AS x(id, kind, element_id, data)
), audit AS (
  INSERT INTO audit_log (workspace_id, id, actor_id, actor_type, action, object_type, object_id, meta, ip, request_id)
  SELECT $1, x.id, x.actor_id, x.actor_type, x.action, x.object_type, x.object_id, x.meta::jsonb, x.ip, $15 FROM i,
    (VALUES ($13::uuid, $5::uuid, 'user', 'process_instance.start', 'process_instance', $3::text, json_build_object('definitionId', $2::uuid, 'name', (SELECT name FROM d), 'version', (SELECT number FROM d), 'record', NULL)::text, '127.0.0.1'),
            ($14::uuid, NULL::uuid, 'system', 'task.create', 'task', $10::text, json_build_object('title', 'Review the request', 'ownerId', $5::uuid, 'subject', NULL, 'seriesId', NULL, 'templateId', NULL)::text, NULL)) AS x(id, actor_id, actor_type, action, object_type, object_id, meta, ip)
), outbox AS (
  INSERT INTO outbox (workspace_id, id, topic, payload)
  SELECT $1, $16, 'record.changed', json_build_object('objectType', 'task', 'id', $10::uuid, 'action', 'create', 'ownerId', $5::uuid, 'teamId', NULL)::jsonb FROM i
)
SELECT i.*, d.name FROM i, d`;

const COMPLETE_SQL = `
WITH u AS (
  SELECT p.task_id, p.token_id FROM process_user_task p
  JOIN process_instance i ON i.workspace_id = p.workspace_id AND i.id = p.instance_id AND i.state = 'running'
  WHERE p.workspace_id = $1 AND p.task_id = $2 AND p.instance_id = $3 AND p.status = 'open' AND p.assignee_id = $5
  FOR UPDATE OF i, p
), i AS (
  UPDATE process_instance SET state = 'completed', ended_at = $4, updated_at = now(), updated_by = $5, version = version + 1
  WHERE workspace_id = $1 AND id = $3 AND EXISTS (SELECT 1 FROM u)
  RETURNING id, definition_id, version_number, state, owner_id, started_at, ended_at, version
), link AS (
  UPDATE process_user_task SET status = 'done', completed_at = $4 WHERE workspace_id = $1 AND task_id = $2 AND EXISTS (SELECT 1 FROM i)
), task AS (
  UPDATE task SET status = 'done', completed_at = $4, updated_at = now(), updated_by = $5, version = version + 1 WHERE workspace_id = $1 AND id = $2 AND EXISTS (SELECT 1 FROM i)
), token AS (
  UPDATE process_token SET state = 'done', left_at = $4 WHERE workspace_id = $1 AND id = (SELECT token_id FROM u) AND EXISTS (SELECT 1 FROM i)
), ended AS (
  INSERT INTO process_token (workspace_id, id, instance_id, element_id, state, via_flow, entered_at, left_at)
  SELECT $1, $6, i.id, 'end', 'done', 'f2', $4, $4 FROM i
), events AS (
  INSERT INTO process_event (workspace_id, id, instance_id, at, kind, element_id, user_id, data)
  SELECT $1, x.id, i.id, $4, x.kind, x.element_id, $5, x.data::jsonb FROM i,
    (VALUES ($7::uuid, 'task_completed', 'review', json_build_object('taskId', $2::uuid, 'values', '{}'::json)::text), ($8::uuid, 'completed', NULL, '{}')) AS x(id, kind, element_id, data)
), audit AS (
  INSERT INTO audit_log (workspace_id, id, actor_id, actor_type, action, object_type, object_id, changes, meta, ip, request_id)
  SELECT $1, x.id, x.actor_id, x.actor_type, x.action, x.object_type, x.object_id, x.changes::jsonb, x.meta::jsonb, x.ip, $11 FROM i,
    (VALUES ($9::uuid, NULL::uuid, 'system', 'task.status_change', 'task', $2::text, '{"status":{"from":"open","to":"done"}}', NULL, NULL),
            ($10::uuid, $5::uuid, 'user', 'process_instance.task_complete', 'process_instance', $3::text, NULL, json_build_object('taskId', $2::uuid, 'values', '{}'::json)::text, '127.0.0.1')) AS x(id, actor_id, actor_type, action, object_type, object_id, changes, meta, ip)
), outbox AS (
  INSERT INTO outbox (workspace_id, id, topic, payload)
  SELECT $1, $12, 'record.changed', json_build_object('objectType', 'task', 'id', $2::uuid, 'action', 'update', 'ownerId', $5::uuid, 'teamId', NULL, 'driven', true)::jsonb FROM i
)
SELECT i.*, (SELECT name FROM process_definition d WHERE d.workspace_id = $1 AND d.id = i.definition_id) AS name FROM i`;

const MARKS_SQL = {
  definition: 'SELECT id FROM process_definition WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL',
  version: 'SELECT id FROM process_version WHERE workspace_id = $1 AND definition_id = $2 AND number = $3',
  marks: `SELECT element_id, sum(active)::int AS active, sum(failed)::int AS failed, sum(done)::int AS done, (sum(done_seconds) / nullif(sum(done), 0))::float8 AS mean_seconds
    FROM process_element_stat
    WHERE workspace_id = $1 AND version_id = $2
    GROUP BY element_id
    ORDER BY element_id`,
};

type Row = Record<string, unknown>;
const instanceJson = (row: Row) => ({
  id: row.id,
  definitionId: row.definition_id,
  definitionName: row.name,
  definitionVersion: row.version_number,
  state: row.state,
  record: null,
  recordTitle: null,
  error: null,
  ownerId: row.owner_id,
  parentInstanceId: null,
  startedAt: (row.started_at as Date).toISOString(),
  endedAt: row.ended_at ? (row.ended_at as Date).toISOString() : null,
  version: row.version,
});

app.post<{ Params: { id: string }; Body: { variables?: Record<string, unknown> } }>('/api/v1/process-definitions/:id/instances', async (request, reply) => {
  const principal = await sessionPrincipal(recorder(database), request.headers.cookie);
  if (!principal) return reply.status(401).send({ title: 'unauthenticated' });
  const userId = principal.user_id as string;
  const now = new Date();
  const { rows } = await database.executeSql(START_SQL, [
    principal.workspace_id,
    request.params.id,
    uuidv7(),
    JSON.stringify(request.body?.variables ?? {}),
    userId,
    principal.team_id,
    now,
    uuidv7(),
    uuidv7(),
    uuidv7(),
    uuidv7(),
    uuidv7(),
    uuidv7(),
    uuidv7(),
    request.id,
    uuidv7(),
  ]);
  const row = rows[0];
  return row ? reply.status(201).send(instanceJson(row)) : reply.status(404).send({ title: 'not found' });
});

app.post<{ Params: { id: string; taskId: string }; Body: { data?: Record<string, unknown> } }>('/api/v1/process-instances/:id/tasks/:taskId/complete', async (request, reply) => {
  const principal = await sessionPrincipal(recorder(database), request.headers.cookie);
  if (!principal) return reply.status(401).send({ title: 'unauthenticated' });
  const { rows } = await database.executeSql(COMPLETE_SQL, [principal.workspace_id, request.params.taskId, request.params.id, new Date(), principal.user_id, uuidv7(), uuidv7(), uuidv7(), uuidv7(), uuidv7(), request.id, uuidv7()]);
  const row = rows[0];
  return row ? instanceJson(row) : reply.status(409).send({ title: 'the task is not open' });
});

app.get<{ Params: { id: string; n: string } }>('/api/v1/process-definitions/:id/versions/:n/marks', async (request, reply) => {
  const db = recorder(database);
  const principal = await sessionPrincipal(db, request.headers.cookie);
  if (!principal) return reply.status(401).send({ title: 'unauthenticated' });
  const workspaceId = principal.workspace_id;
  const [definition] = await db.query(MARKS_SQL.definition, [workspaceId, request.params.id]);
  const [version] = definition ? await db.query(MARKS_SQL.version, [workspaceId, request.params.id, Number(request.params.n)]) : [];
  if (!version) return reply.status(404).send({ title: 'not found' });
  const items: Row[] = [];
  for (const row of await db.query(MARKS_SQL.marks, [workspaceId, version.id])) {
    const meanSeconds = row.mean_seconds === null ? null : Number(row.mean_seconds);
    for (const state of ['active', 'failed', 'done'] as const) if ((row[state] as number) > 0) items.push({ elementId: row.element_id, state, count: row[state], meanSeconds });
  }
  return { items };
});

await serveChild(app, port, () => database.close());
