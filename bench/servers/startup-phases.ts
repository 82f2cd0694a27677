/**
 * Diagnostic child for the `startup` benchmark: replays what `rapport start` does (startServer → openRuntime
 * → buildHttpApp → listen) step by step and reports how long each step took, as JSON on the last stdout line.
 * It mirrors app-runtime.ts; if that changes, the phase names here may drift (the benchmark's value does not,
 * it always spawns the real CLI). Env: the usual Rapport variables (PORT, DATA_DIR / DATABASE_URL, ...).
 */
const phases: Record<string, number> = { 'node + tsx bootstrap': performance.now() };
let mark = performance.now();
const step = <T>(name: string, value: T): T => {
  const now = performance.now();
  phases[name] = now - mark;
  mark = now;
  return value;
};

const [{ loadConfig }, { createLogger }] = await Promise.all([import('../../packages/server/src/infra/config.js'), import('../../packages/server/src/infra/logger.js')]);
const modules = await Promise.all([
  import('../../packages/server/src/infra/data-lock.js'),
  import('../../packages/server/src/infra/db.js'),
  import('../../packages/server/src/infra/migrations.js'),
  import('../../packages/server/src/infra/realtime.js'),
  import('../../packages/server/src/services.js'),
  import('../../packages/server/src/jobs/queue.js'),
  import('../../packages/server/src/jobs/workers.js'),
  import('../../packages/server/src/jobs/outbox-dispatcher.js'),
  import('../../packages/server/src/http/app.js'),
  import('../../packages/server/src/infra/clock.js'),
]);
const [{ lockDataDir }, { openDatabase }, { migrate }, { createLocalBus, createPgBus }, { createServices }, { startJobQueue }, { registerWorkers }, { startOutboxDispatcher }, { buildHttpApp }, { systemClock }] = modules;
step('import server modules', 0);

const config = loadConfig();
const logger = createLogger(config.logLevel);
const unlock = config.databaseUrl ? undefined : await lockDataDir(config.dataDir);
step('lock data dir', 0);
const database = await openDatabase(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir });
await database.executeSql('SELECT 1');
step('open database', 0);
await migrate(database);
step('migrate (nothing to apply)', 0);
const bus = config.databaseUrl ? await createPgBus(config.databaseUrl) : createLocalBus();
const services = createServices({ db: database.db, clock: systemClock, config, logger, transport: undefined, mailFrom: config.mailFrom });
step('bus + services', 0);
const workers = config.runWorkers || !config.databaseUrl;
const jobs = workers ? await startJobQueue(database, config.databaseUrl, logger) : undefined;
step('pg-boss start', 0);
const wake = jobs ? await registerWorkers({ jobs, db: database.db, maintain: database.maintain, logger, mail: services.mail, auth: services.auth, automation: services.automation, imports: services.imports }) : undefined;
const dispatcher = jobs && wake ? startOutboxDispatcher({ db: database.db, listen: (channel, onNotify) => database.listen(channel, onNotify), bus, jobs, logger, automation: services.automation, process: services.process, wake }) : undefined;
step('workers + outbox dispatcher', 0);
const { app } = await buildHttpApp({ config, db: database.db, services, bus, logger });
step('build HTTP app', 0);
await app.listen({ port: config.port, host: config.host });
step('listen', 0);
const response = await app.inject({ method: 'GET', url: '/health' });
step('first GET /health (in process)', response.statusCode);
const total = performance.now();

await app.close();
await dispatcher?.stop();
await jobs?.stop({ graceful: true, wait: true, timeout: 5_000 });
await bus.close();
await database.close();
await unlock?.();
console.log(JSON.stringify({ phases, totalMs: total, status: response.statusCode }));
process.exit(0);
