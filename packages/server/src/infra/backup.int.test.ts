import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { AuditEntry, User } from '@rapport/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, login, type Session } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { DEMO_PASSWORD, seedDemo, type DemoResult } from '../demo/seed-demo.js';
import { backupTo, RestoreError, restoreFrom } from './backup.js';
import type { Db } from './db.js';

/** Row count of every application table (migration bookkeeping included, since restore needs it to match). */
async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(name)}`.execute(db);
    counts[name] = result.rows[0]!.n;
  }
  return counts;
}

/** Every audit entry, exactly as stored (microseconds and JSON included). */
async function auditRows(db: Db): Promise<string[]> {
  const result = await sql<{ row: string }>`SELECT row_to_json(a)::text AS row FROM audit_log a ORDER BY workspace_id, id`.execute(db);
  return result.rows.map((r) => r.row);
}

describe('backup and restore', () => {
  let source: TestApp;
  let demo: DemoResult;
  let dir: string;
  let file: string;
  let admin: Session;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-backup-'));
    file = path.join(dir, 'rapport.backup.gz');
    source = await createTestApp();
    demo = await seedDemo(source.database.db, source.services);
    admin = await login(source, demo.logins[0]!.email, DEMO_PASSWORD);
    // Some activity to carry over: a role change (audited, notified) and more than one backup batch of rows.
    const rep = demo.logins.find((l) => l.role === 'rep')!;
    const repUser = (await as(source, admin)('GET', '/api/v1/users?limit=200')).json<{ items: User[] }>().items.find((u) => u.email === rep.email)!;
    const manager = (await as(source, admin)('GET', '/api/v1/roles')).json<{ items: { id: string; name: string }[] }>().items.find((r) => r.name === 'Sales manager')!;
    expect((await as(source, admin)('PATCH', `/api/v1/users/${repUser.id}`, { roleId: manager.id, version: repUser.version })).statusCode).toBe(200);
    await sql`
      INSERT INTO notification (workspace_id, id, user_id, kind, message_key, params)
      SELECT ${demo.workspaceId}::uuid, gen_random_uuid(), ${admin.userId}::uuid, 'bulk', 'notifications.bulk', jsonb_build_object('n', n)
      FROM generate_series(1, 2500) AS n`.execute(source.database.db);
  });
  afterAll(async () => {
    await source.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('round trip into a fresh database', () => {
    let target: TestApp;
    let restored: { rows: number };
    let written: { tables: number; rows: number };
    // Both sides as they were right after the restore, before any test signs in or writes.
    let before: Record<string, number>;
    let after: Record<string, number>;
    let trails: { source: string[]; target: string[] };

    beforeAll(async () => {
      before = await rowCounts(source.database.db);
      const sourceTrail = await auditRows(source.database.db);
      written = await backupTo(source.database, file);
      const database = await createTestDatabase();
      restored = await restoreFrom(database, file);
      after = await rowCounts(database.db);
      trails = { source: sourceTrail, target: await auditRows(database.db) };
      target = await createTestApp({ database });
    });
    afterAll(() => target?.close());

    it('restores every row of every table', () => {
      expect(after).toEqual(before);
      expect(before.notification).toBeGreaterThan(2500);
      expect(before.app_user).toBe(7);
      expect(written.rows).toBe(restored.rows);
      // The search vocabulary is not written: triggers rebuild it from the restored names (and `after` equals `before`).
      expect(written.rows).toBe(Object.entries(before).reduce((sum, [table, n]) => (table === 'schema_migration' || table === 'search_word' ? sum : sum + n), 0));
      expect(before.search_word).toBeGreaterThan(50);
    });

    it('keeps the audit trail exactly, and it stays append-only', async () => {
      expect(trails.target).toEqual(trails.source);
      expect(trails.target.some((row) => row.includes('"user.access_change"'))).toBe(true);
      await expect(sql`DELETE FROM audit_log`.execute(target.database.db)).rejects.toThrow(/append-only/);
    });

    it('lets people sign in with their old passwords on an app built over the restored database', async () => {
      const restoredAdmin = await login(target, demo.logins[0]!.email, DEMO_PASSWORD);
      expect(restoredAdmin.userId).toBe(admin.userId);
      const users = (await as(target, restoredAdmin)('GET', '/api/v1/users?limit=200')).json<{ items: User[] }>().items;
      expect(users.map((u) => u.email).sort()).toEqual(demo.logins.map((l) => l.email).sort());

      // Team hierarchy and scopes came along: a branch manager sees their branch only.
      const manager = demo.logins.find((l) => l.role === 'manager')!;
      const managerSession = await login(target, manager.email, DEMO_PASSWORD);
      const seen = (await as(target, managerSession)('GET', '/api/v1/users?limit=200')).json<{ items: User[] }>().items;
      expect(seen.length).toBeGreaterThan(1);
      expect(seen.length).toBeLessThan(users.length);

      const audit = (await as(target, restoredAdmin)('GET', '/api/v1/audit?action=user.access_change')).json<{ items: AuditEntry[] }>().items;
      expect(audit).toHaveLength(1);
      expect(audit[0]!.actorId).toBe(admin.userId);
    });

    it('accepts new writes after the restore', async () => {
      const restoredAdmin = await login(target, demo.logins[0]!.email, DEMO_PASSWORD);
      const team = await as(target, restoredAdmin)('POST', '/api/v1/teams', { name: 'After restore' });
      expect(team.statusCode).toBe(201);
    });
  });

  describe('refusals', () => {
    let own: string;
    beforeAll(async () => {
      own = path.join(dir, 'refusals.backup.gz');
      await backupTo(source.database, own);
    });

    it('refuses to restore into a database that holds data, and changes nothing', async () => {
      const before = await rowCounts(source.database.db);
      const trail = await auditRows(source.database.db);
      await expect(restoreFrom(source.database, own)).rejects.toThrow(RestoreError);
      await expect(restoreFrom(source.database, own)).rejects.toThrow(/already holds data/);
      expect(await rowCounts(source.database.db)).toEqual(before);
      expect(await auditRows(source.database.db)).toEqual(trail);
    });

    it('refuses files that are not a whole Rapport backup, leaving the target empty', async () => {
      const gz = async (name: string, lines: string[]) => {
        const target = path.join(dir, name);
        await pipeline(Readable.from(lines), createGzip(), fs.createWriteStream(target));
        return target;
      };
      const bogus = await gz('bogus.gz', ['{"format":"something-else","version":1}\n', '{"table":"workspace","row":{}}\n']);
      const empty = await gz('empty.gz', []);
      const backup = fs.readFileSync(own);
      const truncated = path.join(dir, 'truncated.gz');
      fs.writeFileSync(truncated, backup.subarray(0, Math.floor(backup.length / 2)));
      const notGzip = path.join(dir, 'plain.txt');
      fs.writeFileSync(notGzip, 'this is not a backup\n');

      const database: TestDatabase = await createTestDatabase();
      try {
        const before = await rowCounts(database.db);
        await expect(restoreFrom(database, bogus)).rejects.toThrow(/not a Rapport backup/);
        await expect(restoreFrom(database, empty)).rejects.toThrow(/empty/);
        await expect(restoreFrom(database, truncated)).rejects.toThrow();
        await expect(restoreFrom(database, notGzip)).rejects.toThrow();
        await expect(restoreFrom(database, path.join(dir, 'missing.gz'))).rejects.toThrow(/ENOENT/);
        expect(await rowCounts(database.db)).toEqual(before);
        // The database is still usable for a good restore afterwards.
        await restoreFrom(database, own);
        expect((await rowCounts(database.db)).app_user).toBe(7);
      } finally {
        await database.drop();
      }
    });
  });
});
