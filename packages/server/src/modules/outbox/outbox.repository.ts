import { sql } from 'kysely';
import type { Executor } from '../../infra/db.js';

export async function insertOutbox(ex: Executor, rows: { workspace_id: string; id: string; topic: string; payload: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await ex.insertInto('outbox').values(rows).execute();
}

/** Claims a batch of undelivered events; SKIP LOCKED lets several dispatchers share the table. */
export async function claimPending(ex: Executor, limit: number) {
  return ex
    .selectFrom('outbox')
    .select(['workspace_id', 'id', 'topic', 'payload', 'attempts'])
    .where('dispatched_at', 'is', null)
    .where('attempts', '<', 10)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Marks a batch's delivered events in one statement. */
export async function markDispatched(ex: Executor, rows: { workspace_id: string; id: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    UPDATE outbox SET dispatched_at = now()
    WHERE (workspace_id, id) IN (SELECT * FROM unnest(${rows.map((row) => row.workspace_id)}::uuid[], ${rows.map((row) => row.id)}::uuid[]))`.execute(ex);
}

export async function markFailed(ex: Executor, workspaceId: string, id: string, error: string): Promise<void> {
  await ex
    .updateTable('outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function deleteDispatchedBefore(ex: Executor, before: Date): Promise<void> {
  await ex.deleteFrom('outbox').where('dispatched_at', '<', before).execute();
}
