import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { assembleRuntime, type Runtime } from '../src/app-runtime.js';
import { buildHttpApp, type RouteAccess } from '../src/http/app.js';
import type { App } from '../src/http/app-types.js';
import type { Clock } from '../src/infra/clock.js';
import type { MailTransport } from '../src/infra/mail.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

export const PUBLIC_URL = 'http://rapport.test';
/** Small, so a test can send a file over the limit cheaply. */
export const TEST_ATTACHMENT_MAX_BYTES = 256 * 1024;

/** A clock tests move by hand. */
export function createTestClock(start = new Date()): Clock & { advance(ms: number): void; set(date: Date): void } {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
    set: (date) => {
      now = date.getTime();
    },
  };
}

export interface TestApp extends Omit<Runtime, 'database' | 'stop'> {
  app: App;
  routes: RouteAccess[];
  database: TestDatabase;
  close(): Promise<void>;
}

/** The real HTTP app over a fresh database, driven with app.inject (or listen for streaming tests). */
export async function createTestApp(options: { clock?: Clock; transport?: MailTransport; workers?: boolean; database?: TestDatabase } = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const logger = pino({ level: 'silent' });
  const filesDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-files-'));
  const runtime = await assembleRuntime(database, {
    logger,
    config: { publicUrl: PUBLIC_URL, smtpUrl: undefined, mailFrom: 'Rapport <test@rapport.test>', databaseUrl: database.url, filesDir, attachmentMaxBytes: TEST_ATTACHMENT_MAX_BYTES },
    workers: options.workers ?? false,
    localBus: true,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.transport ? { transport: options.transport } : {}),
  });
  const { app, routes } = await buildHttpApp({
    config: { bodyLimit: 64 * 1024, corsOrigins: [], metricsToken: undefined, webDist: '/nonexistent', secureCookies: false },
    db: database.db,
    services: runtime.services,
    bus: runtime.bus,
    logger: false,
  });
  await app.ready();
  return {
    ...runtime,
    app,
    routes,
    database,
    async close() {
      await app.close();
      await runtime.stop();
      await database.drop();
      await rm(filesDir, { recursive: true, force: true });
    },
  };
}
