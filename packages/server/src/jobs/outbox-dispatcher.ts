import { PROCESS_RECORD_TYPES, type PermissionObject, type ProcessRecordType } from '@rapport/shared';
import { executeRaw, type Database, type Db, type Tx } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { RealtimeBus } from '../infra/realtime.js';
import { claimPending, markDispatched, markFailed } from '../modules/outbox/outbox.repository.js';
import type { AutomationService } from '../modules/automation/automation.service.js';
import type { ProcessService } from '../modules/process/process.service.js';
import { IMPORT_EXPIRE_SECONDS, QUEUES, robotRunQueue, type JobQueue } from './queue.js';
import type { RobotWake } from './workers.js';

const BATCH = 100;
/**
 * How long an idle dispatcher waits before looking again when nothing wakes it. On PostgreSQL a committed outbox row
 * wakes it at once (NOTIFY from migration 0034); the embedded database has no notices, so this is its pace.
 */
const IDLE_MS = 250;
export const OUTBOX_CHANNEL = 'rapport_outbox';

/**
 * Delivers outbox events written by business transactions: realtime pushes and job hand-offs.
 * Rows are claimed with SKIP LOCKED, so several processes can dispatch without doubles.
 */
export function startOutboxDispatcher(deps: {
  db: Db;
  listen: Database['listen'];
  bus: RealtimeBus;
  jobs: JobQueue;
  logger: Logger;
  automation: AutomationService;
  process: ProcessService;
  wake: RobotWake;
}): { stop(): Promise<void>; drain(): Promise<number> } {
  let stopped = false;
  /** Ends the idle wait early; a notice that comes while a batch runs makes the next wait end at once. */
  let nudged = false;
  let endWait: (() => void) | undefined;
  const nudge = () => {
    nudged = true;
    endWait?.();
  };
  const unlisten = deps.listen(OUTBOX_CHANNEL, nudge).catch((error: unknown) => {
    deps.logger.warn({ err: error }, 'outbox notices unavailable: the dispatcher polls');
    return async () => undefined;
  });
  let running: Promise<number> = Promise.resolve(0);
  const robotRuns = robotRunQueue(deps.jobs);

  async function handle(trx: Tx, topic: string, workspaceId: string, payload: Record<string, unknown>): Promise<void> {
    switch (topic) {
      case 'notification.created':
        await deps.bus.publish({ workspaceId, userId: String(payload.userId), type: 'notification', data: { id: payload.notificationId } });
        return;
      case 'mail.queued':
        // Enqueued in the dispatcher's transaction: on the embedded database it is also the only connection.
        await deps.jobs.send(QUEUES.mailSend, { workspaceId, mailId: payload.mailId }, { retryLimit: 5, retryDelay: 30, retryBackoff: true, db: { executeSql: (text, values) => executeRaw(trx, text, values) } });
        return;
      case 'record.changed': {
        if (Array.isArray(payload.records)) return createdTogether(trx, workspaceId, String(payload.objectType), payload.records as { id: string; ownerId: string; teamId: string | null }[]);
        // Field values stay off the live stream: a role may not be allowed to read every changed field.
        const { changes, ...data } = payload;
        await deps.bus.publish({ workspaceId, userId: null, type: 'record.changed', data, record: { object: payload.objectType as PermissionObject, ownerId: (payload.ownerId as string | null | undefined) ?? null, teamId: (payload.teamId as string | null | undefined) ?? null } });
        // Processes: a user task closed in the task list moves its token; a new or changed record may start a process.
        // A new or commented task is open as it was, and one a process drove (its own step) needs no handing back.
        if (payload.objectType === 'task') {
          if (payload.action !== 'create' && payload.action !== 'comment' && payload.driven !== true) await deps.process.taskChanged(trx, workspaceId, String(payload.id));
        } else if ((PROCESS_RECORD_TYPES as readonly unknown[]).includes(payload.objectType)) {
          const object = payload.objectType as ProcessRecordType;
          if (payload.action === 'create') await deps.process.crmEvent(trx, workspaceId, { event: 'record_created', object, recordId: String(payload.id) });
          else if (payload.action === 'update' && changes) await deps.process.crmEvent(trx, workspaceId, { event: 'field_changed', object, recordId: String(payload.id), changes: changes as Record<string, { from: unknown; to: unknown }> });
        }
        return;
      }
      case 'import.queued':
        await deps.jobs.send(QUEUES.importRun, { workspaceId, importId: payload.importId }, { retryLimit: 3, retryDelay: 30, expireInSeconds: IMPORT_EXPIRE_SECONDS, db: { executeSql: (text, values) => executeRaw(trx, text, values) } });
        return;
      case 'deal.stage_entered':
        await deps.automation.stageEntered(trx, workspaceId, { dealId: String(payload.dealId), stageId: String(payload.stageId), entryId: String(payload.entryId) }, robotRuns);
        await deps.process.crmEvent(trx, workspaceId, { event: 'stage_changed', object: 'deal', recordId: String(payload.dealId), stageId: String(payload.stageId) });
        return;
      default:
        throw new Error(`no handler for outbox topic ${topic}`);
    }
  }

  /**
   * Records created together (an import's batch): one push per owner and team, without ids (nobody has a new record's
   * card open; lists refresh), and the processes that start on a created record, their definitions read once.
   */
  async function createdTogether(trx: Tx, workspaceId: string, objectType: string, records: { id: string; ownerId: string; teamId: string | null }[]): Promise<void> {
    const owners = new Map(records.map((record) => [`${record.ownerId}:${record.teamId ?? ''}`, record]));
    for (const { ownerId, teamId } of owners.values()) {
      await deps.bus.publish({ workspaceId, userId: null, type: 'record.changed', data: { objectType, action: 'create' }, record: { object: objectType as PermissionObject, ownerId, teamId } });
    }
    if ((PROCESS_RECORD_TYPES as readonly string[]).includes(objectType)) {
      await deps.process.recordsCreated(trx, workspaceId, objectType as ProcessRecordType, records.map((record) => record.id));
    }
  }

  async function drainOnce(): Promise<number> {
    let robotsQueued = false;
    const count = await deps.db.transaction().execute(async (trx) => {
      const rows = await claimPending(trx, BATCH);
      robotsQueued = rows.some((row) => row.topic === 'deal.stage_entered');
      const delivered: typeof rows = [];
      for (const row of rows) {
        try {
          await handle(trx, row.topic, row.workspace_id, row.payload);
          delivered.push(row);
        } catch (error) {
          deps.logger.error({ err: error, topic: row.topic, id: row.id }, 'outbox event failed');
          await markFailed(trx, row.workspace_id, row.id, (error as Error).message);
        }
      }
      await markDispatched(trx, delivered);
      return rows.length;
    });
    // The runs are committed now: the worker finds them at once.
    if (robotsQueued) deps.wake.robots();
    return count;
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      running = drainOnce().catch((error: unknown) => {
        deps.logger.error({ err: error }, 'outbox dispatch failed');
        return 0;
      });
      nudged = false;
      const count = await running;
      if (count < BATCH && !nudged && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, IDLE_MS);
          endWait = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        endWait = undefined;
      }
    }
  }
  void loop();

  return {
    async stop() {
      stopped = true;
      endWait?.();
      await (await unlisten)();
      await running;
    },
    /** Delivers everything pending now (tests and shutdown). */
    async drain() {
      let total = 0;
      for (let count = await drainOnce(); count > 0; count = await drainOnce()) total += count;
      return total;
    },
  };
}
