import PgBoss from 'pg-boss';
import { executeRaw, type Database } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { RunQueue } from '../modules/automation/automation.service.js';

/** Durable jobs and timers on pg-boss, over the same database on both backends. */
export type JobQueue = PgBoss;

export const QUEUES = {
  mailSend: 'mail.send',
  robotAction: 'robot.action',
  robotIdleScan: 'robot.idle-scan',
  housekeeping: 'housekeeping',
  maintenance: 'maintenance',
  importRun: 'import.run',
} as const;

/** A large import runs for minutes; a worker that died mid-way is retried after this, and resumes at its last batch. */
export const IMPORT_EXPIRE_SECONDS = 3600;

export async function startJobQueue(database: Database, databaseUrl: string | undefined, logger: Logger): Promise<JobQueue> {
  const boss = databaseUrl
    ? new PgBoss({ connectionString: databaseUrl, max: 4 })
    : new PgBoss({ db: { executeSql: (text, values) => database.executeSql(text, values) } });
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  await boss.start();
  for (const name of Object.values(QUEUES)) await boss.createQueue(name);
  return boss;
}

/**
 * Robot actions as jobs, sent in the caller's transaction (on the embedded database it is also the only connection).
 * The run row counts attempts and schedules retries itself; pg-boss's own retry covers a worker that died mid-job.
 */
export function robotRunQueue(jobs: JobQueue): RunQueue {
  return async (ex, job, startAfterSeconds) => {
    await jobs.send(QUEUES.robotAction, job, { retryLimit: 1, retryDelay: 60, ...(startAfterSeconds ? { startAfter: startAfterSeconds } : {}), db: { executeSql: (text, values) => executeRaw(ex, text, values ?? []) } });
  };
}
