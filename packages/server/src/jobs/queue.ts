import PgBoss from 'pg-boss';
import type { Database } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';

/** Durable jobs and timers on pg-boss, over the same database on both backends. */
export type JobQueue = PgBoss;

export const QUEUES = {
  mailSend: 'mail.send',
  housekeeping: 'housekeeping',
} as const;

export async function startJobQueue(database: Database, databaseUrl: string | undefined, logger: Logger): Promise<JobQueue> {
  const boss = databaseUrl
    ? new PgBoss({ connectionString: databaseUrl, max: 4 })
    : new PgBoss({ db: { executeSql: (text, values) => database.executeSql(text, values) } });
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  await boss.start();
  for (const name of Object.values(QUEUES)) await boss.createQueue(name);
  return boss;
}
