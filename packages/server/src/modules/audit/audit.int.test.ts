import type { AuditEntry, Role } from '@rapport/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, anonymous, as, login, PASSWORD, roleByName, setupWorkspace, uniqueEmail, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

describe('audit log', () => {
  let t: TestApp;
  let admin: Session;

  const entries = async (query = '', session = admin): Promise<AuditEntry[]> => {
    const response = await as(t, session)('GET', `/api/v1/audit?limit=200${query}`);
    expect(response.statusCode).toBe(200);
    const page = response.json<{ items: AuditEntry[]; nextCursor: string | null }>();
    expect(page.nextCursor).toBeNull();
    return page.items;
  };
  const byRequest = async (requestId: string) => (await entries()).filter((e) => e.requestId === requestId);
  /** A few audited actions in separate requests (so at distinct instants), for tests that need a populated log. */
  const activity = async () => {
    for (let i = 0; i < 3; i += 1) {
      await anonymous(t, 'POST', '/api/v1/auth/login', { email: admin.email, password: 'wrong guess' });
      await as(t, await login(t, admin.email))('POST', '/api/v1/auth/logout');
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t, { workspaceName: 'Audited' });
  });
  afterAll(() => t.close());

  describe('what is recorded', () => {
    it('records a sign-in with actor, client address and request id', async () => {
      const response = await anonymous(t, 'POST', '/api/v1/auth/login', { email: admin.email, password: PASSWORD }, { ip: '198.51.100.10' });
      expect(response.statusCode).toBe(200);
      const [entry] = await byRequest(response.headers['x-request-id'] as string);
      expect(entry).toMatchObject({ action: 'auth.login', actorId: admin.userId, actorName: 'Ada Admin', objectType: 'user', objectId: admin.userId, ip: '198.51.100.10' });
    });

    it('records a failed sign-in against the account, with the reason', async () => {
      const response = await anonymous(t, 'POST', '/api/v1/auth/login', { email: admin.email, password: 'wrong guess' }, { ip: '198.51.100.11' });
      expect(response.statusCode).toBe(401);
      const [entry] = await byRequest(response.headers['x-request-id'] as string);
      expect(entry).toMatchObject({ action: 'auth.login_failed', actorId: admin.userId, objectId: admin.userId, ip: '198.51.100.11', meta: { reason: 'bad_password' } });
    });

    it('records a sign-out', async () => {
      const session = await login(t, admin.email);
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        remoteAddress: '198.51.100.12',
        headers: { cookie: `rapport_session=${session.cookie}`, 'x-csrf-token': session.csrf },
      });
      expect(response.statusCode).toBe(204);
      const [entry] = await byRequest(response.headers['x-request-id'] as string);
      expect(entry).toMatchObject({ action: 'auth.logout', actorId: admin.userId, ip: '198.51.100.12' });
    });

    it('records an invitation and a role change with their details', async () => {
      const rep = await roleByName(t, admin, 'Sales rep');
      const email = uniqueEmail('audited');
      const invite = await as(t, admin)('POST', '/api/v1/users/invite', { email, roleId: rep.id }, {});
      expect(invite.statusCode).toBe(201);
      const userId = invite.json<{ id: string }>().id;
      const [invited] = await byRequest(invite.headers['x-request-id'] as string);
      expect(invited).toMatchObject({ action: 'user.invite', actorId: admin.userId, objectType: 'user', objectId: userId, ip: '127.0.0.1', meta: { email, roleId: rep.id, teamId: null } });

      const change = await as(t, admin)('PATCH', `/api/v1/roles/${rep.id}`, { permissions: { ...rep.permissions, audit: { read: 'own' } }, version: rep.version });
      expect(change.statusCode).toBe(200);
      const [changed] = await byRequest(change.headers['x-request-id'] as string);
      expect(changed).toMatchObject({ action: 'role.permissions_change', actorId: admin.userId, objectType: 'role', objectId: rep.id });
      expect(changed!.changes?.permissions?.to).toMatchObject({ audit: { read: 'own' } });
      expect(changed!.changes?.permissions?.from).not.toHaveProperty('audit');
      // Put the default back for the other tests.
      const restored = await as(t, admin)('PATCH', `/api/v1/roles/${rep.id}`, { permissions: rep.permissions, version: rep.version + 1 });
      expect(restored.statusCode).toBe(200);
    });

    it('writes nothing for a change that failed', async () => {
      const role = (await as(t, admin)('POST', '/api/v1/roles', { name: 'Raced role', permissions: {} })).json<Role>();
      expect((await as(t, admin)('PATCH', `/api/v1/roles/${role.id}`, { description: 'first', version: 1 })).statusCode).toBe(200);
      const before = (await entries()).length;
      const response = await as(t, admin)('PATCH', `/api/v1/roles/${role.id}`, { name: 'Stale', version: 1 });
      expect(response.statusCode).toBe(409);
      expect((await entries()).length).toBe(before);
    });
  });

  describe('filters', () => {
    it('filters by actor', async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      await as(t, rep)('POST', '/api/v1/auth/logout');
      const mine = await entries(`&actorId=${rep.userId}`);
      expect(mine.length).toBeGreaterThanOrEqual(2);
      expect(new Set(mine.map((e) => e.actorId))).toEqual(new Set([rep.userId]));
      expect(mine.map((e) => e.action)).toEqual(expect.arrayContaining(['auth.login', 'auth.logout']));
    });

    it('filters by action prefix, treating wildcards literally', async () => {
      await activity();
      const auth = await entries('&action=auth.');
      expect(auth.length).toBeGreaterThan(3);
      expect(auth.every((e) => e.action.startsWith('auth.'))).toBe(true);
      expect(await entries('&action=auth.login_')).toSatisfy((items: AuditEntry[]) => items.length > 0 && items.every((e) => e.action === 'auth.login_failed'));
      expect(await entries('&action=%25')).toEqual([]);
      expect(await entries('&action=_uth')).toEqual([]);
    });

    it('filters by object type', async () => {
      const roles = await entries('&objectType=role');
      // The four default roles were created by the system at setup.
      expect(roles.filter((e) => e.action === 'role.create' && e.actorId === null)).toHaveLength(4);
      expect(roles.every((e) => e.objectType === 'role')).toBe(true);
    });

    it('filters by a date range: from inclusive, to exclusive', async () => {
      await activity();
      const all = await entries();
      const instants = [...new Set(all.map((e) => e.at))].sort();
      expect(instants.length).toBeGreaterThan(4);
      const from = instants[1]!;
      const to = instants[instants.length - 2]!;
      const expected = all.filter((e) => e.at >= from && e.at < to).map((e) => e.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all.length);
      const ranged = await entries(`&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
      expect(ranged.map((e) => e.id)).toEqual(expected);
    });

    it('rejects a date that is not ISO 8601 (400 /query/from)', async () => {
      const response = await as(t, admin)('GET', '/api/v1/audit?from=last%20week');
      expect(response.statusCode).toBe(400);
      expect(response.json<{ errors: { path: string }[] }>().errors[0]!.path).toBe('/query/from');
    });
  });

  describe('pagination', () => {
    it('returns every entry exactly once, newest first, whatever the page size', async () => {
      await activity();
      const all = (await entries()).map((e) => e.id);
      // Setup alone writes several entries in one transaction, so page edges fall inside groups sharing one timestamp.
      expect(all.length).toBeGreaterThan(12);
      for (const limit of [1, 2, 3, 7]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        for (let page = 0; page < 500; page += 1) {
          const response = await as(t, admin)('GET', `/api/v1/audit?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          expect(response.statusCode).toBe(200);
          const body = response.json<{ items: AuditEntry[]; nextCursor: string | null }>();
          seen.push(...body.items.map((e) => e.id));
          cursor = body.nextCursor;
          if (!cursor) break;
        }
        expect({ limit, ids: seen }).toEqual({ limit, ids: all });
      }
    });
  });

  describe('append-only', () => {
    it('is refused UPDATE and DELETE by the database itself', async () => {
      const before = await entries();
      await expect(sql`UPDATE audit_log SET action = 'tampered'`.execute(t.database.db)).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM audit_log WHERE action = 'user.create'`.execute(t.database.db)).rejects.toThrow(/append-only/);
      await expect(t.database.db.updateTable('audit_log').set({ ip: null }).where('workspace_id', '=', admin.workspaceId).execute()).rejects.toThrow(/append-only/);
      expect(await entries()).toEqual(before);
    });
  });

  describe('rights', () => {
    it('answers a rep (no audit right) with 403, and lets the head of sales read', async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      const response = await as(t, rep)('GET', '/api/v1/audit');
      expect(response.statusCode).toBe(403);
      expect(response.json<{ code: string }>().code).toBe('forbidden');
      const head = await addUser(t, admin, { role: 'Head of sales' });
      expect((await entries('', head)).length).toBeGreaterThan(0);
    });

    it('shows a role with audit read on "own" only its own actions, whatever actor it asks for', async () => {
      const created = await as(t, admin)('POST', '/api/v1/roles', { name: 'Self auditor', permissions: { audit: { read: 'own' } } });
      const self = await addUser(t, admin, { role: 'Sales rep' });
      await as(t, admin)('PATCH', `/api/v1/users/${self.userId}`, { roleId: created.json<Role>().id, version: 1 });
      const seen = await entries(`&actorId=${admin.userId}`, self);
      expect(seen.length).toBeGreaterThan(0);
      expect(new Set(seen.map((e) => e.actorId))).toEqual(new Set([self.userId]));
    });
  });
});
