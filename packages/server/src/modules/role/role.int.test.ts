import { fullMatrix, type AuditEntry, type Role } from '@rapport/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, roleByName, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

function expectProblem(response: LightMyRequestResponse, status: number, code: string, path?: string): void {
  const body = response.json<{ code: string; errors?: { path: string }[] }>();
  expect({ status: response.statusCode, code: body.code }).toEqual({ status, code });
  expect(response.headers['content-type']).toContain('application/problem+json');
  if (path) expect(body.errors?.map((e) => e.path)).toContain(path);
}

describe('roles', () => {
  let t: TestApp;
  let admin: Session;

  const roles = async () => (await as(t, admin)('GET', '/api/v1/roles')).json<{ items: Role[] }>().items;
  const create = async (name: string, permissions: Role['permissions'] = { contact: { read: 'own' } }): Promise<Role> => {
    const response = await as(t, admin)('POST', '/api/v1/roles', { name, permissions });
    expect(response.statusCode).toBe(201);
    return response.json<Role>();
  };
  const auditOf = async (roleId: string) =>
    (await as(t, admin)('GET', `/api/v1/audit?objectType=role&objectId=${roleId}`)).json<{ items: AuditEntry[] }>().items;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
  });
  afterAll(() => t.close());

  describe('defaults', () => {
    it('starts a workspace with the administrator (system) role and three sales roles', async () => {
      // Oldest first: the defaults lead the list, whatever was added since.
      const list = (await roles()).slice(0, 4);
      expect(list.map((r) => r.name)).toEqual(['Administrator', 'Head of sales', 'Sales manager', 'Sales rep']);
      expect(list.filter((r) => r.isSystem).map((r) => r.name)).toEqual(['Administrator']);
      expect(list[0]!.permissions).toEqual(fullMatrix('all'));
    });
  });

  describe('create, update, delete', () => {
    it('creates a role, renames it, changes its rights and deletes it', async () => {
      const role = await create('Analyst', { report: { read: 'all' } });
      expect(role).toMatchObject({ name: 'Analyst', description: '', isSystem: false, permissions: { report: { read: 'all' } }, fieldRules: {}, version: 1 });
      expect((await as(t, admin)('GET', `/api/v1/roles/${role.id}`)).json<Role>().name).toBe('Analyst');

      const renamed = await as(t, admin)('PATCH', `/api/v1/roles/${role.id}`, { name: 'Report analyst', description: 'Reads reports', version: 1 });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json<Role>()).toMatchObject({ name: 'Report analyst', description: 'Reads reports', version: 2 });
      expect((await auditOf(role.id))[0]).toMatchObject({ action: 'role.update', changes: { name: { from: 'Analyst', to: 'Report analyst' }, description: { from: '', to: 'Reads reports' } } });

      expect((await as(t, admin)('DELETE', `/api/v1/roles/${role.id}`)).statusCode).toBe(204);
      expect((await roles()).some((r) => r.id === role.id)).toBe(false);
      expectProblem(await as(t, admin)('GET', `/api/v1/roles/${role.id}`), 404, 'not_found');
      expect((await auditOf(role.id))[0]).toMatchObject({ action: 'role.delete', actorId: admin.userId });
      // The name is free again.
      await create('Analyst');
    });

    it('audits a rights change as role.permissions_change with the before and after matrices', async () => {
      const role = await create('Auditor', { audit: { read: 'own' } });
      const response = await as(t, admin)('PATCH', `/api/v1/roles/${role.id}`, { permissions: { audit: { read: 'all' }, report: { read: 'team' } }, version: 1 });
      expect(response.statusCode).toBe(200);
      const [entry] = await auditOf(role.id);
      expect(entry).toMatchObject({
        action: 'role.permissions_change',
        actorId: admin.userId,
        changes: { permissions: { from: { audit: { read: 'own' } }, to: { audit: { read: 'all' }, report: { read: 'team' } } } },
      });
      expect(entry!.changes).not.toHaveProperty('name');
    });

    it('applies changed rights to the holders on their next request', async () => {
      const role = await create('Temp viewers', { user: { read: 'own' } });
      const holder = await addUser(t, admin, { role: 'Sales rep' });
      expect((await as(t, admin)('PATCH', `/api/v1/users/${holder.userId}`, { roleId: role.id, version: 1 })).statusCode).toBe(200);
      expectProblem(await as(t, holder)('GET', '/api/v1/teams'), 403, 'forbidden');
      expect((await as(t, admin)('PATCH', `/api/v1/roles/${role.id}`, { permissions: { user: { read: 'own' }, team: { read: 'all' } }, version: 1 })).statusCode).toBe(200);
      expect((await as(t, holder)('GET', '/api/v1/teams')).statusCode).toBe(200);
    });

    it('answers a stale version with 409 version_conflict', async () => {
      const role = await create('Raced');
      expect((await as(t, admin)('PATCH', `/api/v1/roles/${role.id}`, { description: 'one', version: 1 })).statusCode).toBe(200);
      expectProblem(await as(t, admin)('PATCH', `/api/v1/roles/${role.id}`, { description: 'two', version: 1 }), 409, 'version_conflict');
      expect((await as(t, admin)('GET', `/api/v1/roles/${role.id}`)).json<Role>().description).toBe('one');
    });
  });

  describe('the administrator role', () => {
    it('cannot lose rights (403) nor be deleted (403), but can be renamed', async () => {
      const system = await roleByName(t, admin, 'Administrator');
      expectProblem(await as(t, admin)('PATCH', `/api/v1/roles/${system.id}`, { permissions: { user: { read: 'all' } }, version: system.version }), 403, 'forbidden', '/body/permissions');
      expectProblem(await as(t, admin)('PATCH', `/api/v1/roles/${system.id}`, { fieldRules: { user: { email: 'hidden' } }, version: system.version }), 403, 'forbidden');
      expectProblem(await as(t, admin)('DELETE', `/api/v1/roles/${system.id}`), 403, 'forbidden');
      const after = await roleByName(t, admin, 'Administrator');
      expect(after.permissions).toEqual(fullMatrix('all'));
      expect(after.fieldRules).toEqual({});

      const renamed = await as(t, admin)('PATCH', `/api/v1/roles/${system.id}`, { name: 'Owners', version: system.version });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json<Role>()).toMatchObject({ name: 'Owners', isSystem: true, permissions: fullMatrix('all') });
      await as(t, admin)('PATCH', `/api/v1/roles/${system.id}`, { name: 'Administrator', version: system.version + 1 });
    });
  });

  describe('conflicts', () => {
    it('refuses to delete a role that users still have (409)', async () => {
      const role = await create('Occupied');
      const holder = await addUser(t, admin, { role: 'Sales rep' });
      await as(t, admin)('PATCH', `/api/v1/users/${holder.userId}`, { roleId: role.id, version: 1 });
      expectProblem(await as(t, admin)('DELETE', `/api/v1/roles/${role.id}`), 409, 'conflict');
      expect((await roles()).some((r) => r.id === role.id)).toBe(true);
      // The holder keeps working.
      expect((await as(t, holder)('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    });

    it('refuses a duplicate name, whatever the letter case (409 /body/name)', async () => {
      const count = (await roles()).length;
      expectProblem(await as(t, admin)('POST', '/api/v1/roles', { name: 'sales REP', permissions: {} }), 409, 'conflict', '/body/name');
      expect((await roles()).length).toBe(count);
      const other = await create('Unique name');
      expectProblem(await as(t, admin)('PATCH', `/api/v1/roles/${other.id}`, { name: 'Sales rep', version: 1 }), 409, 'conflict', '/body/name');
      expect((await as(t, admin)('GET', `/api/v1/roles/${other.id}`)).json<Role>().name).toBe('Unique name');
    });
  });

  describe('validation of the matrix', () => {
    it('names an unknown object, an unknown action and an unknown scope by their paths', async () => {
      const count = (await roles()).length;
      expectProblem(await as(t, admin)('POST', '/api/v1/roles', { name: 'Bad object', permissions: { spaceship: { read: 'all' } } }), 400, 'validation', '/body/permissions/spaceship');
      expectProblem(await as(t, admin)('POST', '/api/v1/roles', { name: 'Bad action', permissions: { contact: { fly: 'all' } } }), 400, 'validation', '/body/permissions/contact/fly');
      expectProblem(await as(t, admin)('POST', '/api/v1/roles', { name: 'Bad scope', permissions: { contact: { read: 'everyone' } } }), 400, 'validation', '/body/permissions/contact/read');
      expectProblem(await as(t, admin)('POST', '/api/v1/roles', { name: 'Bad rule', permissions: {}, fieldRules: { user: { email: 'secret' } } }), 400, 'validation', '/body/fieldRules/user/email');
      expect((await roles()).length).toBe(count);

      const role = await create('Patched badly');
      expectProblem(await as(t, admin)('PATCH', `/api/v1/roles/${role.id}`, { permissions: { contact: { fly: 'all' } }, version: 1 }), 400, 'validation', '/body/permissions/contact/fly');
    });
  });

  describe('rights', () => {
    it("answers a 'Sales rep' with 403 on listing, reading, creating, changing and deleting roles", async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      const target = await roleByName(t, admin, 'Sales rep');
      expectProblem(await as(t, rep)('GET', '/api/v1/roles'), 403, 'forbidden');
      expectProblem(await as(t, rep)('GET', `/api/v1/roles/${target.id}`), 403, 'forbidden');
      expectProblem(await as(t, rep)('POST', '/api/v1/roles', { name: 'Self-made', permissions: fullMatrix('all') }), 403, 'forbidden');
      expectProblem(await as(t, rep)('PATCH', `/api/v1/roles/${target.id}`, { permissions: fullMatrix('all'), version: target.version }), 403, 'forbidden');
      expectProblem(await as(t, rep)('DELETE', `/api/v1/roles/${target.id}`), 403, 'forbidden');
      expect((await roles()).some((r) => r.name === 'Self-made')).toBe(false);
      expect((await roleByName(t, admin, 'Sales rep')).version).toBe(target.version);
    });
  });
});
