import type { ApiKey, PermissionMatrix, Role, User } from '@rapport/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';

function expectProblem(response: LightMyRequestResponse, status: number, code: string): void {
  expect({ status: response.statusCode, code: response.json<{ code: string }>().code }).toEqual({ status, code });
  expect(response.headers['content-type']).toContain('application/problem+json');
}

describe('API keys', () => {
  let t: TestApp;
  const clock = createTestClock();
  let admin: Session;
  /** A rep's rights plus managing their own keys. */
  let integratorRole: Role;

  const createKey = async (session: Session, permissions: PermissionMatrix, extra: Record<string, unknown> = {}) => {
    const response = await as(t, session)('POST', '/api/v1/api-keys', { name: 'Integration', permissions, ...extra });
    expect(response.statusCode).toBe(201);
    return response.json<{ apiKey: ApiKey; secret: string }>();
  };
  /** A request with only the bearer key: no cookie, no CSRF token. */
  const withKey = (secret: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${secret}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const integrator = async (teamId?: string) => {
    const rep = await addUser(t, admin, { role: 'Sales rep', ...(teamId ? { teamId } : {}) });
    expect((await as(t, admin)('PATCH', `/api/v1/users/${rep.userId}`, { roleId: integratorRole.id, version: 1 })).statusCode).toBe(200);
    return rep;
  };

  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await setupWorkspace(t);
    const role = await as(t, admin)('POST', '/api/v1/roles', {
      name: 'Integrator rep',
      permissions: { user: { read: 'team' }, team: { read: 'all' }, api_key: { read: 'own', create: 'own', delete: 'own' } },
    });
    expect(role.statusCode).toBe(201);
    integratorRole = role.json<Role>();
  });
  afterAll(() => t.close());

  describe('secrets', () => {
    it('shows the secret once, on creation; lists never carry it', async () => {
      const { apiKey, secret } = await createKey(admin, { user: { read: 'all' } });
      expect(secret).toMatch(/^rk_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
      expect(secret.startsWith(apiKey.prefix)).toBe(true);
      expect(apiKey).toMatchObject({ name: 'Integration', userId: admin.userId, permissions: { user: { read: 'all' } }, revokedAt: null, lastUsedAt: null });

      const list = await as(t, admin)('GET', '/api/v1/api-keys');
      expect(list.statusCode).toBe(200);
      const listed = list.json<{ items: Record<string, unknown>[] }>().items.find((k) => k.id === apiKey.id);
      expect(listed).toBeDefined();
      expect(Object.keys(listed!).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'permissions', 'prefix', 'revokedAt', 'userId']);
      expect(list.body).not.toContain(secret.slice(apiKey.prefix.length + 1));
    });

    it('works as a bearer token without cookie or CSRF token, and records when it was used', async () => {
      const { apiKey, secret } = await createKey(admin, { user: { read: 'all', create: 'all' }, role: { read: 'all' } });
      const users = await withKey(secret, 'GET', '/api/v1/users');
      expect(users.statusCode).toBe(200);
      expect(users.json<{ items: User[] }>().items.map((u) => u.id)).toContain(admin.userId);
      const listed = (await as(t, admin)('GET', '/api/v1/api-keys')).json<{ items: ApiKey[] }>().items.find((k) => k.id === apiKey.id);
      expect(listed?.lastUsedAt).not.toBeNull();
    });

    it('rejects a made-up or mangled key with 401', async () => {
      const { secret } = await createKey(admin, { user: { read: 'all' } });
      expectProblem(await withKey('rk_AAAAAAAAAAAA_' + 'a'.repeat(43), 'GET', '/api/v1/users'), 401, 'unauthenticated');
      expectProblem(await withKey(secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a'), 'GET', '/api/v1/users'), 401, 'unauthenticated');
      expectProblem(await withKey('not-a-key', 'GET', '/api/v1/users'), 401, 'unauthenticated');
    });
  });

  describe('rights', () => {
    it("never reaches beyond the owner's role: a key granting user.read all for a rep sees the rep's team only", async () => {
      const team = (await as(t, admin)('POST', '/api/v1/teams', { name: 'Key team' })).json<{ id: string }>().id;
      const rep = await integrator(team);
      const mate = await addUser(t, admin, { role: 'Sales rep', teamId: team });
      await addUser(t, admin, { role: 'Sales rep' });
      const { secret } = await createKey(rep, { user: { read: 'all' } });
      const seen = (await withKey(secret, 'GET', '/api/v1/users?limit=200')).json<{ items: User[] }>().items.map((u) => u.id).sort();
      expect(seen).toEqual([rep.userId, mate.userId].sort());
      expectProblem(await withKey(secret, 'GET', `/api/v1/users/${admin.userId}`), 404, 'not_found');
      // Rights the key names but the role lacks are not granted either.
      const { secret: greedy } = await createKey(rep, { user: { read: 'all', create: 'all' }, role: { read: 'all' } });
      expectProblem(await withKey(greedy, 'GET', '/api/v1/roles'), 403, 'forbidden');
    });

    it('limits even an administrator to what the key grants', async () => {
      const { secret } = await createKey(admin, { user: { read: 'all' } });
      expect((await withKey(secret, 'GET', '/api/v1/users')).statusCode).toBe(200);
      expectProblem(await withKey(secret, 'GET', '/api/v1/roles'), 403, 'forbidden');
      expectProblem(await withKey(secret, 'GET', '/api/v1/audit'), 403, 'forbidden');
      expectProblem(await withKey(secret, 'POST', '/api/v1/teams', { name: 'Not allowed' }), 403, 'forbidden');
    });

    it('cannot create API keys with an API key (403)', async () => {
      const { secret } = await createKey(admin, { api_key: { read: 'all', create: 'all' } });
      expectProblem(await withKey(secret, 'POST', '/api/v1/api-keys', { name: 'Child', permissions: { user: { read: 'all' } } }), 403, 'forbidden');
      expect((await withKey(secret, 'GET', '/api/v1/api-keys')).json<{ items: ApiKey[] }>().items.some((k) => k.name === 'Child')).toBe(false);
    });

    it('stops working when its owner is disabled', async () => {
      const rep = await integrator();
      const { secret } = await createKey(rep, { user: { read: 'team' } });
      expect((await withKey(secret, 'GET', '/api/v1/users')).statusCode).toBe(200);
      const version = (await as(t, admin)('GET', `/api/v1/users/${rep.userId}`)).json<User>().version;
      expect((await as(t, admin)('PATCH', `/api/v1/users/${rep.userId}`, { status: 'disabled', version })).statusCode).toBe(200);
      expectProblem(await withKey(secret, 'GET', '/api/v1/users'), 401, 'unauthenticated');
    });
  });

  describe('revocation and expiry', () => {
    it('answers a revoked key with 401', async () => {
      const { apiKey, secret } = await createKey(admin, { user: { read: 'all' } });
      expect((await withKey(secret, 'GET', '/api/v1/users')).statusCode).toBe(200);
      expect((await as(t, admin)('DELETE', `/api/v1/api-keys/${apiKey.id}`)).statusCode).toBe(204);
      expectProblem(await withKey(secret, 'GET', '/api/v1/users'), 401, 'unauthenticated');
      const listed = (await as(t, admin)('GET', '/api/v1/api-keys')).json<{ items: ApiKey[] }>().items.find((k) => k.id === apiKey.id);
      expect(listed?.revokedAt).not.toBeNull();
    });

    it('answers an expired key with 401', async () => {
      const expiresAt = new Date(clock.now().getTime() + 3600_000).toISOString();
      const { secret } = await createKey(admin, { user: { read: 'all' } }, { expiresAt });
      expect((await withKey(secret, 'GET', '/api/v1/users')).statusCode).toBe(200);
      clock.advance(3600_000 + 1_000);
      expectProblem(await withKey(secret, 'GET', '/api/v1/users'), 401, 'unauthenticated');
    });

    it('refuses an expiry in the past (400 /body/expiresAt)', async () => {
      const response = await as(t, admin)('POST', '/api/v1/api-keys', { name: 'Stale', permissions: {}, expiresAt: new Date(clock.now().getTime() - 1_000).toISOString() });
      expect(response.statusCode).toBe(400);
      expect(response.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain('/body/expiresAt');
    });

    it("does not let a rep see or revoke an administrator's key (404), and a plain rep has no key rights at all (403)", async () => {
      const { apiKey, secret } = await createKey(admin, { user: { read: 'all' } });
      const rep = await integrator();
      const own = await createKey(rep, { user: { read: 'team' } });
      const visible = (await as(t, rep)('GET', '/api/v1/api-keys')).json<{ items: ApiKey[] }>().items.map((k) => k.id);
      expect(visible).toEqual([own.apiKey.id]);
      expectProblem(await as(t, rep)('DELETE', `/api/v1/api-keys/${apiKey.id}`), 404, 'not_found');
      expect((await withKey(secret, 'GET', '/api/v1/users')).statusCode).toBe(200);

      const plain = await addUser(t, admin, { role: 'Sales rep' });
      expectProblem(await as(t, plain)('DELETE', `/api/v1/api-keys/${apiKey.id}`), 403, 'forbidden');
      expectProblem(await as(t, plain)('POST', '/api/v1/api-keys', { name: 'Nope', permissions: {} }), 403, 'forbidden');
      expect((await withKey(secret, 'GET', '/api/v1/users')).statusCode).toBe(200);

      // The rep can revoke their own key.
      expect((await as(t, rep)('DELETE', `/api/v1/api-keys/${own.apiKey.id}`)).statusCode).toBe(204);
      expectProblem(await withKey(own.secret, 'GET', '/api/v1/users'), 401, 'unauthenticated');
    });
  });
});
