import type { Config } from './infra/config.js';
import { systemClock, type Clock } from './infra/clock.js';
import { lockDataDir } from './infra/data-lock.js';
import { openDatabase, type Database } from './infra/db.js';
import type { Logger } from './infra/logger.js';
import { createSmtpTransport, type MailTransport } from './infra/mail.js';
import { migrate } from './infra/migrations.js';
import { createLocalBus, createPgBus, type RealtimeBus } from './infra/realtime.js';
import { startDueScheduler, type DueScheduler } from './jobs/due-scheduler.js';
import { startOutboxDispatcher } from './jobs/outbox-dispatcher.js';
import { startJobQueue, type JobQueue } from './jobs/queue.js';
import { registerWorkers } from './jobs/workers.js';
import { birthdayReminders } from './modules/calendar/birthday-reminder.js';
import { createServices, type Services } from './services.js';

export interface Runtime {
  database: Database;
  services: Services;
  bus: RealtimeBus;
  jobs: JobQueue | undefined;
  dispatcher: ReturnType<typeof startOutboxDispatcher> | undefined;
  /** The due-timer loop (reminders, overdue notices, recurring tasks), where workers run. */
  dueScheduler: DueScheduler | undefined;
  /** Stops workers and the bus; the database stays open for its owner to close. */
  stop(): Promise<void>;
}

export interface AssembleOptions {
  logger: Logger;
  config: Pick<Config, 'publicUrl' | 'smtpUrl' | 'mailFrom' | 'databaseUrl' | 'filesDir' | 'attachmentMaxBytes'>;
  workers: boolean;
  clock?: Clock;
  transport?: MailTransport;
  /** Events stay in this process (tests) instead of travelling through PostgreSQL. */
  localBus?: boolean;
}

/** Wires services, the realtime bus and, with `workers`, pg-boss and the outbox dispatcher over an open, migrated database. */
export async function assembleRuntime(database: Database, options: AssembleOptions): Promise<Runtime> {
  const { config, logger } = options;
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const bus = config.databaseUrl && !options.localBus ? await createPgBus(config.databaseUrl) : createLocalBus();
    stops.push(() => bus.close());
    const transport = options.transport ?? (config.smtpUrl ? createSmtpTransport(config.smtpUrl) : undefined);
    const clock = options.clock ?? systemClock;
    const services = createServices({ db: database.db, clock, config, logger, transport, mailFrom: config.mailFrom });
    let jobs: JobQueue | undefined;
    let dispatcher: Runtime['dispatcher'];
    let dueScheduler: DueScheduler | undefined;
    if (options.workers) {
      const queue = await startJobQueue(database, config.databaseUrl, logger);
      jobs = queue;
      stops.unshift(() => queue.stop({ graceful: true, wait: true, timeout: 5_000 }));
      const wake = await registerWorkers({ jobs: queue, db: database.db, maintain: database.maintain, logger, mail: services.mail, auth: services.auth, automation: services.automation, imports: services.imports });
      const started = startOutboxDispatcher({ db: database.db, listen: (channel, onNotify) => database.listen(channel, onNotify), bus, jobs: queue, logger, automation: services.automation, process: services.process, wake });
      dispatcher = started;
      stops.unshift(() => started.stop());
      const scheduler = startDueScheduler({ db: database.db, clock, logger, signal: services.task.dueSignal, kinds: [...services.task.dueKinds(), birthdayReminders, services.leadDistribution.reassignDueKind, services.process.dueKind, services.process.startDueKind] });
      dueScheduler = scheduler;
      stops.unshift(() => scheduler.stop());
    }
    return {
      database,
      services,
      bus,
      jobs,
      dispatcher,
      dueScheduler,
      async stop() {
        for (const stop of stops) await stop().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
      },
    };
  } catch (error) {
    for (const stop of stops) await stop().catch(() => undefined);
    throw error;
  }
}

/**
 * Opens the configured database (locking the embedded data directory), applies migrations and assembles the runtime.
 * `close` stops everything and releases the database and the lock.
 */
export async function openRuntime(config: Config, logger: Logger, options: { workers: boolean }): Promise<Runtime & { config: Config; close(): Promise<void> }> {
  const unlock = config.databaseUrl ? undefined : await lockDataDir(config.dataDir);
  let database: Database | undefined;
  try {
    database = await openDatabase(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir }, {
      onConnectionError: (error) => logger.warn({ err: error }, 'a database connection was lost; the pool opens a new one'),
    });
    const applied = await migrate(database);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    const runtime = await assembleRuntime(database, { logger, config, workers: options.workers });
    const opened = database;
    return {
      ...runtime,
      config,
      async close() {
        await runtime.stop();
        await opened.close();
        await unlock?.();
      },
    };
  } catch (error) {
    await database?.close().catch(() => undefined);
    await unlock?.();
    throw error;
  }
}
