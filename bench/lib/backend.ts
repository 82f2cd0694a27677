import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Installed version of a dependency (read from disk: some packages do not export package.json). */
export function packageVersion(name: string): string {
  try {
    return String((JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version?: unknown }).version ?? '?');
  } catch {
    return '?';
  }
}

export type BackendKind = 'pglite' | 'postgres';

/** Where one benchmark's database lives: a fresh PostgreSQL database or a fresh embedded data directory. */
export type Target = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; database: string };

export interface Backend {
  kind: BackendKind;
  /** e.g. "PostgreSQL 15.20" or "PGlite (embedded)" */
  version: string;
  /** A new, empty database (PostgreSQL) or an empty temp directory (PGlite), removed by `cleanup`. */
  fresh(label: string): Promise<Target>;
  /** A scratch directory removed by `cleanup`. */
  tempDir(label: string): string;
  cleanup(): Promise<void>;
}

/** Environment for a Rapport process (config.ts names) pointing at `target`; never inherits DATABASE_URL. */
export function targetEnv(target: Target, scratchDir: string): Record<string, string> {
  return target.kind === 'postgres' ? { DATABASE_URL: target.url, DATA_DIR: scratchDir } : { DATA_DIR: target.dataDir };
}

/** PostgreSQL when DATABASE_URL is set (each benchmark gets its own database, dropped afterwards), else PGlite. */
export async function openBackend(databaseUrl: string | undefined): Promise<Backend> {
  const dirs: string[] = [];
  const tempDir = (label: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rapport-bench-${label}-`));
    dirs.push(dir);
    return dir;
  };
  const removeDirs = () => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  };

  if (!databaseUrl) {
    return {
      kind: 'pglite',
      version: `PGlite ${packageVersion('@electric-sql/pglite')} (embedded)`,
      fresh: async (label) => ({ kind: 'pglite', dataDir: path.join(tempDir(label), 'data') }),
      tempDir,
      cleanup: async () => removeDirs(),
    };
  }

  // The admin connection uses the given URL (e.g. .../test or .../postgres) only to CREATE/DROP DATABASE.
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  // The buffer cache decides whether a benchmark reads its pages from PostgreSQL or from the OS: part of the setup.
  const settings = (await admin.query<{ v: string; b: string }>("SELECT current_setting('server_version') AS v, current_setting('shared_buffers') AS b")).rows[0];
  const version = `${settings?.v ?? '?'}, shared_buffers ${settings?.b ?? '?'}`;
  const created: string[] = [];
  return {
    kind: 'postgres',
    version: `PostgreSQL ${version}`,
    async fresh(label) {
      const database = `rapport_bench_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE "${database}"`);
      created.push(database);
      const url = new URL(databaseUrl);
      url.pathname = `/${database}`;
      return { kind: 'postgres', url: url.toString(), database };
    },
    tempDir,
    async cleanup() {
      for (const database of created.splice(0)) {
        await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch((error: unknown) => console.error(`could not drop ${database}:`, error));
      }
      await admin.end();
      removeDirs();
    },
  };
}
