/**
 * Dataset generator: `npm run bench:data -- --scale N [--contacts C] [--companies K] [--activities A] [--deals D] [--locale en|ru] [--seed S] [--fresh]`.
 * Writes one bench workspace (N × 10 teams, N × 50 users + admin, optionally C contacts and K companies — by
 * default 30 % of C — and A activities with the users' tasks) into PostgreSQL when DATABASE_URL is set, else into the
 * embedded data directory DATA_DIR (default bench/.data). Migrations are applied first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Locale } from '@rapport/shared';
import { openRuntime } from '../packages/server/src/app-runtime.js';
import { loadConfig } from '../packages/server/src/infra/config.js';
import { createLogger } from '../packages/server/src/infra/logger.js';
import { describeDataset, generateDataset, scaleForActivities } from './dataset/index.js';
import { ROOT } from './lib/backend.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string' },
    contacts: { type: 'string', default: '0' },
    companies: { type: 'string' },
    activities: { type: 'string', default: '0' },
    deals: { type: 'string', default: '0' },
    locale: { type: 'string', default: 'en' },
    seed: { type: 'string', default: '2026' },
    fresh: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(
    [
      'usage: npm run bench:data -- --scale N [--contacts C] [--companies K] [--activities A] [--deals D] [--locale en|ru] [--seed S] [--fresh]',
      '  --scale      sales regions of 10 teams and 50 people (default 1, or one per million activities)',
      '  --contacts   contacts to generate (default 0), e.g. 1000000 for the client-base benchmarks\' dataset',
      '  --companies  companies to generate (default 30 % of --contacts)',
      '  --activities activities over two years on the contacts, plus the users\' tasks (default 0), e.g. 10000000',
      '  --deals      deals over three pipelines, with stage history and contact people (default 0), e.g. 1000000',
      '  --fresh      embedded only: delete DATA_DIR (default bench/.data) first',
    ].join('\n'),
  );
  process.exit(0);
}
const wholeNumber = (name: string, raw: string) => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number ≥ 0, got "${raw}"`);
  return value;
};
const contacts = wholeNumber('contacts', values.contacts);
const companies = values.companies === undefined ? undefined : wholeNumber('companies', values.companies);
const activities = wholeNumber('activities', values.activities);
const deals = wholeNumber('deals', values.deals);
const scale = values.scale === undefined ? scaleForActivities(activities) : Number(values.scale);
if (!Number.isInteger(scale) || scale < 1) throw new Error(`--scale must be a whole number ≥ 1, got "${values.scale}"`);
if (values.locale !== 'en' && values.locale !== 'ru') throw new Error(`--locale must be en or ru, got "${values.locale}"`);
const locale: Locale = values.locale;

const databaseUrl = process.env.DATABASE_URL || undefined;
const dataDir = path.resolve(ROOT, process.env.DATA_DIR ?? 'bench/.data');
if (values.fresh) {
  if (databaseUrl) throw new Error('--fresh only wipes an embedded DATA_DIR; on PostgreSQL create a new database instead');
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const config = loadConfig({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
const started = performance.now();
const runtime = await openRuntime(config, createLogger(config.logLevel), { workers: false });
const opened = performance.now();
try {
  const summary = await generateDataset(runtime.database.db, { scale, locale, seed: Number(values.seed), contacts, companies, activities, deals, log: (line) => console.log(`  ${line}`) });
  const where = databaseUrl ? `PostgreSQL ${new URL(databaseUrl).pathname.slice(1)}` : `PGlite ${path.relative(ROOT, dataDir) || dataDir}`;
  console.log(`${describeDataset(summary)} → ${where} in ${Math.round(summary.ms)} ms (open + migrate ${Math.round(opened - started)} ms)`);
  if (summary.clientBase) {
    const cb = summary.clientBase;
    console.log(`  client base: load ${Math.round(cb.loadMs / 1000)} s, ${cb.indexes} indexes rebuilt in ${Math.round(cb.indexRebuildMs / 1000)} s, vacuum + analyze ${Math.round(cb.vacuumMs / 1000)} s; phones refused by normalisation: ${cb.droppedPhones}`);
  }
  console.log(`  workspace ${summary.workspaceId}; password for every user: ${summary.password}`);
  for (const [role, email] of Object.entries(summary.logins)) console.log(`  ${role.padEnd(8)} ${email}`);
} finally {
  await runtime.close();
}
