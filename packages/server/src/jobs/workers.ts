import type { Db } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import { deleteKeysBefore } from '../infra/idempotency.repository.js';
import type { AuthService } from '../modules/auth/auth.service.js';
import type { AutomationService } from '../modules/automation/automation.service.js';
import type { ImportService } from '../modules/import/import.service.js';
import type { MailService } from '../modules/mail/mail.service.js';
import { deleteDispatchedBefore } from '../modules/outbox/outbox.repository.js';
import { IMPORT_EXPIRE_SECONDS, QUEUES, robotRunQueue, type JobQueue } from './queue.js';

const DAY_MS = 24 * 3600_000;

/** Wakes this process's robot worker at once, instead of at its next poll. */
export interface RobotWake {
  robots(): void;
}

/** Registers the job handlers and the recurring housekeeping schedule. */
export async function registerWorkers(deps: { jobs: JobQueue; db: Db; maintain: (() => Promise<void>) | undefined; logger: Logger; mail: MailService; auth: AuthService; automation: AutomationService; imports: ImportService }): Promise<RobotWake> {
  const { jobs } = deps;
  await jobs.work<{ workspaceId: string; mailId: string }>(QUEUES.mailSend, async ([job]) => {
    if (job) await deps.mail.deliver(job.data.workspaceId, job.data.mailId);
  });
  const robotRuns = robotRunQueue(jobs);
  // A stage change should show its robot's task within a second: the worker polls twice a second, and the dispatcher
  // of this process wakes it as soon as it has queued runs (another process's worker finds them at its next poll).
  const robotWorker = await jobs.work<{ workspaceId: string; runId: string }>(QUEUES.robotAction, { pollingIntervalSeconds: 0.5 }, async ([job]) => {
    if (job) await deps.automation.runAction(job.data.workspaceId, job.data.runId, robotRuns);
  });
  await jobs.work<{ workspaceId: string; importId: string }>(QUEUES.importRun, async ([job]) => {
    if (job) await deps.imports.run(job.data.workspaceId, job.data.importId);
  });
  // Imports a stopped process left running continue from their last committed batch (a second run of the same import
  // waits on its row lock and finds the batch already done).
  for (const pending of await deps.imports.pending()) {
    await jobs.send(QUEUES.importRun, { workspaceId: pending.workspaceId, importId: pending.id }, { retryLimit: 3, retryDelay: 30, expireInSeconds: IMPORT_EXPIRE_SECONDS });
  }
  await jobs.work(QUEUES.robotIdleScan, async () => {
    await deps.automation.idleScan(robotRuns);
  });
  // Idle robots run at most a minute late: pg-boss schedules by the minute.
  await jobs.schedule(QUEUES.robotIdleScan, '* * * * *');
  await jobs.work(QUEUES.housekeeping, async () => {
    const now = Date.now();
    const sessions = await deps.auth.pruneSessions();
    await deleteKeysBefore(deps.db, new Date(now - DAY_MS));
    await deleteDispatchedBefore(deps.db, new Date(now - 7 * DAY_MS));
    deps.logger.info({ sessions }, 'housekeeping done');
  });
  await jobs.schedule(QUEUES.housekeeping, '17 * * * *');
  // The embedded database has no autovacuum: it is vacuumed and analyzed nightly (PostgreSQL does this itself).
  const { maintain } = deps;
  if (maintain) {
    await jobs.work(QUEUES.maintenance, async () => {
      await maintain();
      deps.logger.info('database vacuumed and analyzed');
    });
    await jobs.schedule(QUEUES.maintenance, '43 3 * * *');
  }
  return { robots: () => jobs.notifyWorker(robotWorker) };
}
