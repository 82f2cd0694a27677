import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { CompiledQuery, Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from './db-schema.js';

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Anything queries can run on: the pool or an open transaction. */
export type Executor = Db | Tx;
export type Backend = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  backend: Backend;
  /** Run raw, parameterised SQL (pg-boss, COPY-less backup) on the same connections Kysely uses. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /**
   * Hears NOTIFY on `channel` (sent by any process, delivered when the sending transaction commits) until the returned
   * function is called, on a connection of its own. PostgreSQL only: on the embedded database it hears nothing.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  /**
   * Embedded only: vacuums and analyzes every table. PGlite has no autovacuum, so without this dead rows would pile up
   * and the planner would never learn a table's size or values (nor index-only scans find pages all-visible).
   */
  maintain?: () => Promise<void>;
  /** Embedded only: the whole data directory as a tarball (test templates). */
  dumpDataDir?: () => Promise<Blob>;
  close(): Promise<void>;
}

// Keep timestamps as Date and bigint counts as numbers on both backends.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; max?: number }
  /** `loadDataDir` starts from a dumped data directory (tests clone a migrated template this way). */
  | { kind: 'pglite'; dataDir: string | undefined; loadDataDir?: Blob };

export interface OpenOptions {
  /** A pooled connection was lost (server restart, pooler timeout, terminated backend); the pool replaces it. */
  onConnectionError?: (error: Error) => void;
}

/**
 * Settings of Rapport's own PostgreSQL sessions (a DATABASE_URL with its own `options` replaces them), for short
 * reads and writes under concurrent requests:
 * - JIT off: PostgreSQL compiles any statement whose estimated cost passes jit_above_cost, and for short reads that
 *   span many rows of estimate (the calendar's week of a team: 25–60 ms of compilation for a 50 ms statement) the
 *   compile costs more than it saves.
 * - A parallel worker only for statements estimated far above PostgreSQL's default: starting one took ~20 ms on a
 *   2-core server, and the calendar's week of a team (participants' meetings, a 12 ms statement) took 37 ms with one.
 */
export const SESSION_OPTIONS = '-c jit=off -c parallel_setup_cost=100000';

/**
 * A statement whose text begins with this comment runs as a named prepared statement on PostgreSQL: parsed once per
 * connection, and planned once for good when its generic plan costs no more than the custom ones. Only for hot
 * statements whose text does not vary with their values (no IN lists, which would make one statement per list length):
 * the session lookup of every request and the calendar's. Parsing and planning the calendar's week of a team took
 * ~5 ms of its ~25 ms in the database.
 */
export const PREPARED = '/* prepared */';
const statementNames = new Map<string, string>();

/** Sends `client`'s PREPARED statements by name (the pg client remembers which names its connection has parsed). */
export function prepareMarked(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const marked = (...args: unknown[]) => {
    const [text, ...rest] = args;
    if (typeof text !== 'string' || !text.startsWith(PREPARED)) return query(...args);
    let name = statementNames.get(text);
    if (name === undefined) {
      name = `rapport_${statementNames.size + 1}`;
      statementNames.set(text, name);
    }
    const [values, callback] = typeof rest[0] === 'function' ? [undefined, rest[0]] : rest;
    return callback === undefined ? query({ name, text, values }) : query({ name, text, values }, callback);
  };
  client.query = marked as typeof client.query;
}

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  let pool: pg.Pool;
  let pglite: PGlite | undefined;
  if (target.kind === 'postgres') {
    pool = new pg.Pool({ connectionString: target.url, max: target.max ?? 10, options: SESSION_OPTIONS });
    pool.on('connect', prepareMarked);
  } else {
    // One PGlite instance behind a single-connection pg pool: Kysely transactions stay isolated.
    pglite = await PGlite.create(target.dataDir ?? 'memory://', { extensions: { pg_trgm }, ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}) });
    pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  }
  // A connection the server ends (restart, pooler timeout, terminated backend) emits 'error' — on the client while it
  // is checked out, through the pool while idle — and an unheard 'error' event crashes the process. The query running
  // on it fails on its own; the pool drops the dead connection when it comes back and opens a new one.
  pool.on('connect', (client) => client.on('error', (error) => options.onConnectionError?.(error)));
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    backend: target.kind,
    async executeSql(text, values = []) {
      const result = await pool.query(text, values);
      return { rows: result.rows as Record<string, unknown>[] };
    },
    async listen(channel, onNotify) {
      // Embedded: no notices. PGlite delivers a notice with the next statement's answer, and through its pg pool that
      // answer then lost its rows (pg-boss read a job completion with none). Listeners fall back to their polling.
      if (target.kind === 'pglite') return async () => undefined;
      const client = new pg.Client({ connectionString: target.url });
      // A lost listening connection only costs the wake-ups: the listeners' own polling goes on.
      client.on('error', (error) => options.onConnectionError?.(error));
      client.on('notification', (message) => {
        if (message.channel === channel) onNotify();
      });
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        await client.end().catch(() => undefined);
      };
    },
    ...(pglite
      ? {
          // Through the pool: its one connection is handed over between transactions, never inside one.
          maintain: async () => void (await pool.query('VACUUM (ANALYZE)')),
          dumpDataDir: async () => (await pglite.dumpDataDir('gzip')) as Blob,
        }
      : {}),
    async close() {
      await db.destroy();
      await pglite?.close();
    },
  };
}

/** Runs raw parameterised SQL inside a Kysely executor (used to enqueue jobs in the caller's transaction). */
export async function executeRaw(executor: Executor, text: string, values: unknown[]): Promise<{ rows: Record<string, unknown>[] }> {
  const result = await executor.executeQuery(CompiledQuery.raw(text, values));
  return { rows: result.rows as Record<string, unknown>[] };
}

/** Health check: one round trip to the database. */
export async function ping(executor: Executor): Promise<void> {
  await executor.executeQuery(CompiledQuery.raw('SELECT 1'));
}
