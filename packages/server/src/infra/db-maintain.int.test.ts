import { describe, expect, it } from 'vitest';
import { openDatabase } from './db.js';

describe("the embedded database's nightly maintenance", () => {
  it('vacuums and analyzes: the planner learns how many rows a table holds and its pages become all-visible', async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir: undefined });
    try {
      await database.executeSql('CREATE TABLE maintained (id int PRIMARY KEY, name text)');
      await database.executeSql("INSERT INTO maintained SELECT g, 'name ' || g FROM generate_series(1, 5000) g");
      await database.executeSql('DELETE FROM maintained WHERE id % 2 = 0');
      const stats = async () => (await database.executeSql("SELECT reltuples::int AS tuples, relallvisible::int AS visible FROM pg_class WHERE relname = 'maintained'")).rows[0];
      expect(await stats()).toEqual({ tuples: -1, visible: 0 });

      await database.maintain?.();
      const after = await stats();
      expect(after?.tuples).toBe(2500);
      expect(after?.visible).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  });
});
