import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { PREPARED } from './db.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe('statements marked PREPARED', () => {
  it('answer with their own values each time, and on PostgreSQL are parsed once per connection under a name', async () => {
    const prepared = await database.db.transaction().execute(async (trx) => {
      const answers: number[] = [];
      for (const value of [41, 1, -3]) answers.push((await sql<{ n: number }>`${sql.raw(PREPARED)} SELECT ${value}::int + 1 AS n`.execute(trx)).rows[0]!.n);
      expect(answers).toEqual([42, 2, -2]);
      if (database.backend !== 'postgres') return [];
      // One connection inside the transaction: what it has prepared is what this test sent.
      const rows = await sql<{ name: string; statement: string }>`SELECT name, statement FROM pg_prepared_statements`.execute(trx);
      return rows.rows;
    });
    if (database.backend === 'postgres') {
      expect(prepared).toHaveLength(1);
      expect(prepared[0]?.statement).toContain('SELECT $1::int + 1 AS n');
      expect(prepared[0]?.name).toMatch(/^rapport_\d+$/);
    }
  });

  it('leaves unmarked statements unnamed', async () => {
    const prepared = await database.db.transaction().execute(async (trx) => {
      await sql`SELECT ${7}::int AS n`.execute(trx);
      return database.backend === 'postgres' ? (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(trx)).rows : [];
    });
    expect(prepared.filter((row) => row.statement.includes('$1::int AS n'))).toEqual([]);
  });
});
