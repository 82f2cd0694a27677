import fs from 'node:fs';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { pipeline as pipe, Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { sql } from 'kysely';
import type { Database, Executor } from './db.js';

const FORMAT = 'rapport-backup';
const FORMAT_VERSION = 1;
const BATCH = 1000;

interface TableInfo {
  name: string;
  primaryKey: string[];
}

/**
 * Application tables in an order that satisfies foreign keys (self-references are deferrable). The search vocabulary is
 * left out: triggers rebuild it as the records are restored.
 */
async function tablesInOrder(ex: Executor): Promise<TableInfo[]> {
  const tables = await sql<{ name: string; pk: string[] }>`
    SELECT c.relname AS name,
           array_agg(a.attname::text ORDER BY array_position(i.indkey, a.attnum)) AS pk
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
    JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
    WHERE c.relkind = 'r' AND c.relname NOT IN ('schema_migration', 'search_word')
    GROUP BY c.relname`.execute(ex);
  const edges = await sql<{ child: string; parent: string }>`
    SELECT DISTINCT c.relname AS child, p.relname AS parent
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_class p ON p.oid = k.confrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
    WHERE k.contype = 'f' AND c.oid <> p.oid`.execute(ex);
  const byName = new Map(tables.rows.map((row) => [row.name, { name: row.name, primaryKey: row.pk }]));
  const ordered: TableInfo[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (visiting.has(name) || ordered.some((table) => table.name === name)) return;
    visiting.add(name);
    for (const edge of edges.rows) if (edge.child === name) visit(edge.parent);
    const table = byName.get(name);
    if (table) ordered.push(table);
  };
  for (const name of [...byName.keys()].sort()) visit(name);
  return ordered;
}

async function appliedMigrations(ex: Executor): Promise<string[]> {
  const result = await sql<{ name: string }>`SELECT name FROM schema_migration ORDER BY name`.execute(ex);
  return result.rows.map((row) => row.name);
}

/**
 * Writes a gzip'd JSON-lines logical backup of every application table. The same file restores
 * into either backend, so it also moves an embedded installation to PostgreSQL.
 */
export async function backupTo(database: Database, file: string, onProgress?: (table: string, rows: number) => void): Promise<{ tables: number; rows: number }> {
  let total = 0;
  let tableCount = 0;
  async function* lines(): AsyncGenerator<string> {
    // One repeatable-read snapshot: the backup is consistent even while Rapport keeps running.
    const trx = await database.db.startTransaction().setIsolationLevel('repeatable read').execute();
    try {
      const tables = await tablesInOrder(trx);
      yield `${JSON.stringify({ format: FORMAT, version: FORMAT_VERSION, migrations: await appliedMigrations(trx), createdAt: new Date().toISOString() })}\n`;
      for (const table of tables) {
        tableCount += 1;
        let after: unknown[] | undefined;
        let count = 0;
        for (;;) {
          const keys = sql.join(table.primaryKey.map((column) => sql.ref(column)));
          const where = after ? sql`WHERE (${keys}) > (${sql.join(after)})` : sql``;
          const batch = await sql<Record<string, unknown> & { __row: string }>`
            SELECT row_to_json(t)::text AS __row, ${keys} FROM ${sql.table(table.name)} t ${where} ORDER BY ${keys} LIMIT ${BATCH}`.execute(trx);
          for (const row of batch.rows) yield `{"table":${JSON.stringify(table.name)},"row":${row.__row}}\n`;
          count += batch.rows.length;
          const last = batch.rows.at(-1);
          if (!last || batch.rows.length < BATCH) break;
          after = table.primaryKey.map((column) => last[column]);
        }
        total += count;
        onProgress?.(table.name, count);
      }
      await trx.commit().execute();
    } catch (error) {
      await trx.rollback().execute();
      throw error;
    }
  }
  await pipeline(Readable.from(lines()), createGzip(), fs.createWriteStream(file));
  return { tables: tableCount, rows: total };
}

export class RestoreError extends Error {}

interface BackupHeader {
  format?: string;
  version?: number;
  migrations?: string[];
}

async function insertableColumns(ex: Executor, table: string): Promise<string[]> {
  const result = await sql<{ name: string }>`
    SELECT column_name AS name FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = ${table} AND is_generated = 'NEVER'
    ORDER BY ordinal_position`.execute(ex);
  return result.rows.map((row) => row.name);
}

/** Loads a backup into a migrated, empty database in one transaction: all of it or nothing. */
export async function restoreFrom(database: Database, file: string, onProgress?: (table: string, rows: number) => void): Promise<{ rows: number }> {
  let rows = 0;
  await database.db.transaction().execute(async (trx) => {
    const existing = await sql<{ n: number }>`SELECT count(*)::int AS n FROM workspace`.execute(trx);
    if ((existing.rows[0]?.n ?? 0) > 0) throw new RestoreError('The target database already holds data; restore needs an empty database.');
    await sql`SET CONSTRAINTS ALL DEFERRED`.execute(trx);
    let header: BackupHeader | undefined;
    let pending: { table: string; rows: string[] } | undefined;
    const columnsByTable = new Map<string, string[]>();
    const flush = async () => {
      if (!pending || pending.rows.length === 0) return;
      const table = sql.table(pending.table);
      // Generated columns (search vectors) are computed again, never inserted.
      let columns = columnsByTable.get(pending.table);
      if (!columns) {
        columns = await insertableColumns(trx, pending.table);
        columnsByTable.set(pending.table, columns);
      }
      const list = sql.join(columns.map((column) => sql.ref(column)));
      // The target starts empty, so a conflict can only be a row a trigger already derived from restored ones (a
      // workspace's birthday timer): the trigger's fresh row stands.
      await sql`INSERT INTO ${table} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${table}, ${`[${pending.rows.join(',')}]`}::json) ON CONFLICT DO NOTHING`.execute(trx);
      rows += pending.rows.length;
      onProgress?.(pending.table, pending.rows.length);
      pending.rows = [];
    };
    // Opened here and iterated at once: readline emits lines as soon as it is created, and lines emitted before the
    // `for await` starts are lost — after the awaits above (slow on PostgreSQL) a small file was gone and restore hung.
    // pipeline() also hands a read error (a missing file) on to readline instead of leaving it waiting.
    const stream = pipe(fs.createReadStream(file), createGunzip(), () => undefined);
    const input = readline.createInterface({ input: stream, crlfDelay: Infinity });
    try {
      for await (const line of input) {
        if (line.trim() === '') continue;
        if (!header) {
          header = JSON.parse(line) as BackupHeader;
          if (header.format !== FORMAT || header.version !== FORMAT_VERSION) throw new RestoreError('This file is not a Rapport backup.');
          const here = await appliedMigrations(trx);
          if (JSON.stringify(header.migrations) !== JSON.stringify(here)) throw new RestoreError(`The backup was made at schema ${header.migrations?.at(-1)}; this installation is at ${here.at(-1)}. Use the same Rapport version.`);
          continue;
        }
        const entry = JSON.parse(line) as { table: string; row: unknown };
        if (pending?.table !== entry.table) {
          await flush();
          pending = { table: entry.table, rows: [] };
        }
        pending.rows.push(JSON.stringify(entry.row));
        if (pending.rows.length >= BATCH) await flush();
      }
    } finally {
      input.close();
      stream.destroy();
    }
    await flush();
    if (!header) throw new RestoreError('The backup file is empty.');
  });
  return { rows };
}
