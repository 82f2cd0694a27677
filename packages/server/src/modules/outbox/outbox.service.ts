import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { insertOutbox } from './outbox.repository.js';

/** Topics the dispatcher knows; payloads are JSON objects. */
export type OutboxTopic = 'notification.created' | 'mail.queued' | 'record.changed' | 'deal.stage_entered' | 'import.queued';

/** Writes an event in the caller's transaction: it is delivered only if the change commits, and never lost if the process dies. */
export async function emit(ex: Executor, workspaceId: string, topic: OutboxTopic, payload: Record<string, unknown>): Promise<void> {
  await emitAll(ex, workspaceId, topic, [payload]);
}

/** Events of one topic for a batch of changes, in one statement. */
export async function emitAll(ex: Executor, workspaceId: string, topic: OutboxTopic, payloads: Record<string, unknown>[]): Promise<void> {
  await insertOutbox(ex, payloads.map((payload) => ({ workspace_id: workspaceId, id: newId(), topic, payload: JSON.stringify(payload) })));
}
