import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Database } from './db.js';

const MIGRATIONS_DIR = path.join(import.meta.dirname, '../../migrations');
// Any constant shared by all Rapport processes: serialises concurrent starts on one PostgreSQL.
const MIGRATION_LOCK = 724_311_001;

/** Applies the numbered SQL files that have not run yet, each in its own transaction. Forward-only. */
export async function migrate(database: Database): Promise<string[]> {
  const files = fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name))
    .sort();
  await sql`CREATE TABLE IF NOT EXISTS schema_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(database.db);
  const applied: string[] = [];
  for (const name of files) {
    const ran = await database.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
      const done = await sql`SELECT 1 FROM schema_migration WHERE name = ${name}`.execute(trx);
      if (done.rows.length > 0) return false;
      // A raw, parameterless statement goes over the simple protocol, which accepts a whole file.
      await sql.raw(fs.readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8')).execute(trx);
      await sql`INSERT INTO schema_migration (name) VALUES (${name})`.execute(trx);
      return true;
    });
    if (ran) applied.push(name);
  }
  return applied;
}
