import { executeRaw, type Executor } from '../../packages/server/src/infra/db.js';

/** Rows per bulk statement: a few MB of JSON, one round trip. */
export const BULK_ROWS = 5_000;

/** Loading at least this many rows into a table drops its secondary indexes first and rebuilds them after. */
export const REBUILD_INDEXES_FROM = 50_000;

/**
 * Inserts rows as one JSON parameter that json_populate_recordset expands server-side: one statement per few
 * thousand rows, typed by the table itself (arrays, jsonb, dates), and the same on PostgreSQL and PGlite.
 * `columns` lists what the rows carry; everything else takes its default (generated columns are computed).
 */
export async function insertJsonRows(ex: Executor, table: string, columns: readonly string[], rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const list = columns.map((column) => `"${column}"`).join(', ');
  await executeRaw(ex, `INSERT INTO "${table}" (${list}) SELECT ${list} FROM json_populate_recordset(NULL::"${table}", $1::json)`, [JSON.stringify(rows)]);
}

/**
 * Pipelines generation and loading: while the database inserts one batch, the next one is built, so the
 * generator (node) and the server (postgres) work at the same time on the two cores.
 */
export async function loadInBatches<B>(total: number, build: (start: number, end: number) => B, insert: (batch: B) => Promise<void>, progress?: (done: number) => void): Promise<void> {
  let pending: Promise<void> | undefined;
  for (let start = 0; start < total; start += BULK_ROWS) {
    const end = Math.min(total, start + BULK_ROWS);
    const batch = build(start, end);
    if (pending) await pending;
    pending = insert(batch).then(() => progress?.(end));
  }
  if (pending) await pending;
}

interface IndexDef {
  name: string;
  definition: string;
}

/**
 * Bulk loading into a table with trigram, tsvector and array GIN indexes is many times slower than building the
 * indexes once afterwards. Drops the secondary indexes of `tables` (those that back no constraint: primary keys
 * and foreign-key targets stay), runs `load`, and recreates them from their own definitions (pg_get_indexdef),
 * so the schema ends up exactly as the migrations made it. In the caller's transaction: a failed load restores them.
 */
export async function withIndexesRebuilt(ex: Executor, tables: readonly string[], load: () => Promise<void>, log?: (line: string) => void): Promise<{ indexes: number; rebuildMs: number }> {
  const { rows } = await executeRaw(
    ex,
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
     WHERE t.relname = ANY($1::text[]) AND t.relnamespace = current_schema()::regnamespace
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY t.relname, i.indexrelid`,
    [tables],
  );
  const indexes = rows as unknown as IndexDef[];
  for (const index of indexes) await executeRaw(ex, `DROP INDEX ${index.name}`, []);
  await load();
  const started = performance.now();
  for (const index of indexes) {
    const one = performance.now();
    await executeRaw(ex, index.definition, []);
    log?.(`index ${index.name} rebuilt in ${((performance.now() - one) / 1000).toFixed(1)} s`);
  }
  return { indexes: indexes.length, rebuildMs: performance.now() - started };
}
