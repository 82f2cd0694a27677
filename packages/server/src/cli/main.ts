import { Command, InvalidArgumentError, Option } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';
import { CLIENT_OBJECTS, EXPORT_FORMATS, IMPORT_MODES, IMPORT_OBJECTS, type ExportFormat, type ImportMode, type Locale } from '@rapport/shared';
import { openRuntime } from '../app-runtime.js';
import { AppError } from '../core/app-error.js';
import { seedDemo } from '../demo/seed-demo.js';
import { backupTo, restoreFrom, RestoreError } from '../infra/backup.js';
import { loadConfig } from '../infra/config.js';
import { DataDirLockedError } from '../infra/data-lock.js';
import { createLogger } from '../infra/logger.js';
import { startServer } from '../main.js';
import { createAdmin } from './create-admin.js';
import { cliContext, exportToFile, importFile, objectArgument } from './data-transfer.js';

const program = new Command('rapport').description('Rapport CRM + BPM').showHelpAfterError();
const locale = new Option('--locale <locale>', 'language of the created data (en or ru)').choices(['en', 'ru']).default('en');

function fail(error: unknown): never {
  if (error instanceof DataDirLockedError || error instanceof RestoreError) console.error(error.message);
  else if (error instanceof AppError) console.error(`${error.message}${error.errors ? `: ${error.errors.map((e) => `${e.path} ${e.message}`).join('; ')}` : ''}`);
  else console.error(error);
  process.exit(1);
}

/** Runs a one-shot command against the database without HTTP or workers. */
async function withRuntime<T>(work: (runtime: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const runtime = await openRuntime(config, createLogger(process.env.LOG_LEVEL ?? 'warn'), { workers: false });
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

program
  .command('start')
  .description('serve the web app and API (and run jobs) on PORT, default 3000')
  .option('--demo', 'fill a demo workspace first if the database is empty')
  .addOption(locale)
  .action(async (options: { demo?: boolean; locale: Locale }) => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const server = await startServer(config, logger, { demo: options.demo ?? false, demoLocale: options.locale }).catch(fail);
    logger.info({ url: config.publicUrl, database: config.databaseUrl ? 'postgresql' : `embedded (${config.dataDir})` }, 'Rapport is running');
    const stop = async () => {
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program
  .command('worker')
  .description('run jobs and the outbox dispatcher without HTTP (PostgreSQL only)')
  .action(async () => {
    const config = loadConfig();
    if (!config.databaseUrl) fail(new Error('A separate worker needs PostgreSQL (DATABASE_URL); the embedded mode runs jobs inside `rapport start`.'));
    const logger = createLogger(config.logLevel);
    const runtime = await openRuntime(config, logger, { workers: true }).catch(fail);
    logger.info('Rapport worker is running');
    const stop = async () => {
      await runtime.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(() => withRuntime(async () => console.log('Database is up to date.')).catch(fail));

program
  .command('create-admin')
  .description('create an administrator (and the workspace, on an empty database)')
  .requiredOption('--email <email>', 'sign-in e-mail')
  .requiredOption('--password <password>', 'at least 10 characters')
  .option('--name <name>', 'display name', 'Administrator')
  .option('--workspace <name>', 'workspace name when none exists yet', 'Rapport')
  .addOption(locale)
  .action((options: { email: string; password: string; name: string; workspace: string; locale: Locale }) =>
    withRuntime(async (runtime) => {
      const result = await createAdmin(runtime.database.db, options);
      console.log(`Administrator ${options.email} created${result.createdWorkspace ? ` with workspace "${options.workspace}"` : ''}.`);
    }).catch(fail),
  );

program
  .command('seed-demo')
  .description('fill a demo workspace (only on an empty database)')
  .addOption(locale)
  .action((options: { locale: Locale }) =>
    withRuntime(async (runtime) => {
      const demo = await seedDemo(runtime.database.db, runtime.services, options.locale);
      console.log(`Demo workspace created. Password for every demo user: ${demo.password}`);
      for (const login of demo.logins) console.log(`  ${login.role.padEnd(8)} ${login.email}  (${login.name})`);
    }).catch(fail),
  );

const fileArgument = (value: string) => {
  if (value.trim() === '') throw new InvalidArgumentError('a file path is required');
  return value;
};

program
  .command('backup')
  .description('write a consistent logical backup (gzip JSON lines) that restores into either backend')
  .argument('<file>', 'output file, e.g. rapport-2026-11-23.backup.gz', fileArgument)
  .action((file: string) =>
    withRuntime(async (runtime) => {
      const result = await backupTo(runtime.database, file, (table, rows) => process.stderr.write(`  ${table}: ${rows}\n`));
      console.log(`Backup written to ${file}: ${result.rows} rows from ${result.tables} tables.`);
    }).catch(fail),
  );

program
  .command('restore')
  .description('load a backup into an empty database (all or nothing)')
  .argument('<file>', 'a file written by `rapport backup`', fileArgument)
  .action((file: string) =>
    withRuntime(async (runtime) => {
      const result = await restoreFrom(runtime.database, file, (table, rows) => process.stderr.write(`  ${table}: +${rows}\n`));
      console.log(`Restored ${result.rows} rows from ${file}.`);
    }).catch(fail),
  );

const asUser = new Option('--as <email>', 'act as this user (their rights apply); default: the workspace administrator');
const workspaceOption = new Option('--workspace <id>', 'workspace id; default: the only (first) workspace');

program
  .command('import')
  .description('import contacts, companies, leads, products or deals from a CSV, XLSX or vCard file, as the web wizard does (undo from the web)')
  .argument('<file>', 'the file to import', fileArgument)
  .requiredOption('--object <object>', 'contacts, companies, leads, products or deals')
  .option('--map <mapping.json>', 'column mapping: { "<header>": "<field>" } (unnamed columns left out); default: suggested from the headers')
  .addOption(new Option('--mode <mode>', 'a row matching an existing record (default skip; deals are only created)').choices([...IMPORT_MODES]))
  .option('--country <code>', 'country of phone numbers written without a code, e.g. RU')
  .addOption(new Option('--file-locale <locale>', 'how the file writes dates and decimals').choices(['en', 'ru']))
  .option('--rejected <file>', 'write the rejected rows (with row number and reason) to this CSV file')
  .addOption(workspaceOption)
  .addOption(asUser)
  .action((file: string, options: { object: string; map?: string; mode?: ImportMode; country?: string; fileLocale?: 'en' | 'ru'; rejected?: string; workspace?: string; as?: string }) =>
    withRuntime(async (runtime) => {
      const ctx = await cliContext(runtime.database.db, options);
      const mapping: unknown = options.map ? JSON.parse(await readFile(options.map, 'utf8')) : undefined;
      const job = await importFile(runtime.services, ctx, file, { object: objectArgument(IMPORT_OBJECTS, options.object), mapping, ...(options.mode ? { mode: options.mode } : {}), ...(options.country ? { country: options.country.toUpperCase() } : {}), ...(options.fileLocale ? { fileLocale: options.fileLocale } : {}) }, (line) => process.stderr.write(`  ${line}\n`));
      if (options.rejected && job.rejected > 0) await writeFile(options.rejected, (await runtime.services.imports.rejectedCsv(ctx, job.id)).csv);
      console.log(`Import ${job.id} ${job.status}: ${job.created} created, ${job.updated} updated, ${job.skipped} skipped, ${job.rejected} rejected of ${job.totalRows} rows.`);
      if (job.status !== 'done') process.exitCode = 1;
    }).catch(fail),
  );

program
  .command('export')
  .description('export a list (all records you may export, or a saved view) to a CSV or XLSX file')
  .requiredOption('--object <object>', 'contacts, companies, leads or deals')
  .requiredOption('--out <file>', 'the file to write')
  .option('--view <id>', 'a saved view: its filter, order and columns')
  .addOption(new Option('--format <format>', 'file format').choices([...EXPORT_FORMATS]).default('csv'))
  .addOption(workspaceOption)
  .addOption(asUser)
  .action((options: { object: string; out: string; view?: string; format: ExportFormat; workspace?: string; as?: string }) =>
    withRuntime(async (runtime) => {
      const ctx = await cliContext(runtime.database.db, options);
      const result = await exportToFile(runtime.services, ctx, options.out, { object: objectArgument(CLIENT_OBJECTS, options.object), format: options.format, ...(options.view ? { viewId: options.view } : {}) });
      console.log(`Exported ${result.rows} rows to ${options.out}.`);
    }).catch(fail),
  );

await program.parseAsync(process.argv);
