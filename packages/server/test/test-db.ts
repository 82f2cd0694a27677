import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../src/infra/db.js';

export interface TestDatabase extends Database {
  backend: Database['backend'];
  url: string | undefined;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file: PGlite in-process, or a new PostgreSQL database when DATABASE_URL is set. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `rapport_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
    await admin.end();
    const target = new URL(url);
    target.pathname = `/${name}`;
    const database = await openDatabase({ kind: 'postgres', url: target.toString(), max: 5 });
    return {
      ...database,
      url: target.toString(),
      async drop() {
        await database.close();
        const cleaner = new pg.Client({ connectionString: url });
        await cleaner.connect();
        await cleaner.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await cleaner.end();
      },
    };
  }
  const template = new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
  const database = await openDatabase({ kind: 'pglite', dataDir: undefined, loadDataDir: template });
  return { ...database, url: undefined, drop: () => database.close() };
}
