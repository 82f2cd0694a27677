import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/infra/db.js';
import { migrate } from '../src/infra/migrations.js';

const MIGRATIONS = path.join(import.meta.dirname, '../migrations');

function schemaHash(): string {
  const hash = createHash('sha256');
  for (const name of fs.readdirSync(MIGRATIONS).sort()) hash.update(name).update(fs.readFileSync(path.join(MIGRATIONS, name)));
  return hash.digest('hex').slice(0, 12);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
  }
}

/**
 * Migrates one template database per run; every test file then starts from a copy of it
 * (a PGlite data-dir dump, or CREATE DATABASE … TEMPLATE on PostgreSQL), so files never share state.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const hash = schemaHash();
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `rapport_tpl_${hash}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${template}`);
      const target = new URL(url);
      target.pathname = `/${template}`;
      const database = await openDatabase({ kind: 'postgres', url: target.toString(), max: 1 });
      await migrate(database);
      await database.close();
    }
    await admin.end();
    project.provide('pgTemplate', template);
    project.provide('pgliteTemplate', '');
    return async () => undefined;
  }
  const file = path.join(os.tmpdir(), `rapport-pglite-template-${hash}.tar.gz`);
  if (!fs.existsSync(file)) {
    const database = await openDatabase({ kind: 'pglite', dataDir: undefined });
    await migrate(database);
    const dump = await database.dumpDataDir!();
    await database.close();
    const partial = `${file}.${process.pid}`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
  }
  project.provide('pgliteTemplate', file);
  project.provide('pgTemplate', '');
  return async () => undefined;
}
