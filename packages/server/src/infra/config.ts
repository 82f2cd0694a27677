import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** Embedded PGlite data directory; unused when `databaseUrl` is set. */
  dataDir: string;
  databaseUrl: string | undefined;
  /** Attached files, content-addressed (default `<dataDir>/files`, also with PostgreSQL). */
  filesDir: string;
  /** The largest attachment, bytes (ATTACHMENT_MAX_MB, default 25). */
  attachmentMaxBytes: number;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: string;
  corsOrigins: string[];
  bodyLimit: number;
  metricsToken: string | undefined;
  /** Run pg-boss workers and the outbox dispatcher in this process. */
  runWorkers: boolean;
  webDist: string;
  secureCookies: boolean;
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return parsed;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = intFrom(env.PORT, 3000, 'PORT');
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  const dataDir = path.resolve(env.DATA_DIR ?? 'data');
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    filesDir: path.resolve(env.FILES_DIR ?? path.join(dataDir, 'files')),
    attachmentMaxBytes: intFrom(env.ATTACHMENT_MAX_MB, 25, 'ATTACHMENT_MAX_MB') * 1024 * 1024,
    databaseUrl: env.DATABASE_URL || undefined,
    publicUrl,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM ?? 'Rapport <no-reply@localhost>',
    logLevel: env.LOG_LEVEL ?? 'info',
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
    bodyLimit: intFrom(env.BODY_LIMIT, 1024 * 1024, 'BODY_LIMIT'),
    metricsToken: env.METRICS_TOKEN || undefined,
    runWorkers: env.WORKERS !== 'off',
    webDist: path.resolve(env.WEB_DIST ?? path.join(import.meta.dirname, '../../../web/dist')),
    secureCookies: publicUrl.startsWith('https://'),
  };
}
