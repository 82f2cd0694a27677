/**
 * Child process: the ceiling of the robot-latency benchmark. A bare Fastify app answering POST /api/v1/deals/:id/move
 * with the database work a stage robot "on enter → create the owner's task" comes to, done at once in the request's own
 * transaction, in bare SQL through `openDatabase(...)` (a pg.Pool of 10 on PostgreSQL; PGlite's pg pool on the embedded
 * backend): the deal moved (version checked), its stay closed and the new one opened, the stage's on-enter rules read,
 * and a task on the deal for its owner per create_task action. When it answers, the task exists: its latency is the
 * bare stage change → task time, with no outbox, queue or worker between them.
 * Config: BENCH_CLIENT_BASE_CEILING_ENV = { "port": number, "target": DatabaseTarget }.
 */
import Fastify from 'fastify';
import { uuidv7 } from 'uuidv7';
import { executeRaw, openDatabase, type DatabaseTarget } from '../../packages/server/src/infra/db.js';
import { recorder, sessionPrincipal } from './ceiling-session.js';
import { serveChild } from './child-server.js';

const { port, target } = JSON.parse(process.env.BENCH_CLIENT_BASE_CEILING_ENV ?? '{}') as { port: number; target: DatabaseTarget };

const database = await openDatabase(target);
const app = Fastify({ logger: false });

app.post<{ Params: { id: string }; Body: { stageId: string; version: number } }>('/api/v1/deals/:id/move', async (request, reply) => {
  const principal = await sessionPrincipal(recorder(database), request.headers.cookie);
  if (!principal) return reply.status(401).send({ title: 'unauthenticated' });
  const workspaceId = principal.workspace_id as string;
  const { stageId, version } = request.body;
  const moved = await database.db.transaction().execute(async (ex) => {
    const sql = async (text: string, values: unknown[]) => (await executeRaw(ex, text, values)).rows;
    const now = new Date();
    const [deal] = await sql(
      'UPDATE deal SET stage_id = $3, stage_entered_at = $4, version = version + 1, updated_at = now(), updated_by = $5 WHERE workspace_id = $1 AND id = $2 AND version = $6 AND deleted_at IS NULL RETURNING id, title, owner_id, team_id, version',
      [workspaceId, request.params.id, stageId, now, principal.user_id, version],
    );
    if (!deal) return undefined;
    await sql('UPDATE deal_stage_history SET left_at = $3 WHERE workspace_id = $1 AND deal_id = $2 AND left_at IS NULL', [workspaceId, deal.id, now]);
    await sql('INSERT INTO deal_stage_history (workspace_id, id, deal_id, to_stage_id, entered_at, by_user_id) VALUES ($1, $2, $3, $4, $5, $6)', [workspaceId, uuidv7(), deal.id, stageId, now, principal.user_id]);
    const rules = await sql("SELECT actions FROM stage_rule WHERE workspace_id = $1 AND stage_id = $2 AND trigger = 'on_enter' AND deleted_at IS NULL ORDER BY position, id", [workspaceId, stageId]);
    for (const rule of rules) {
      for (const action of rule.actions as { type: string; config: { title: string; priority?: string } }[]) {
        if (action.type !== 'create_task') continue;
        await sql('INSERT INTO task (workspace_id, id, title, owner_id, team_id, priority, subject_type, subject_id, created_by, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $4, $4)', [
          workspaceId,
          uuidv7(),
          action.config.title.replace('{{title}}', deal.title as string).slice(0, 300),
          deal.owner_id,
          deal.team_id,
          action.config.priority ?? 'normal',
          'deal',
          deal.id,
        ]);
      }
    }
    return deal;
  });
  return moved ? { id: moved.id, version: moved.version } : reply.status(409).send({ title: 'stale' });
});
await serveChild(app, port, () => database.close());
