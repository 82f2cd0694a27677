import type { Team, User } from '@rapport/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

function expectProblem(response: LightMyRequestResponse, status: number, code: string, path?: string): void {
  const body = response.json<{ code: string; errors?: { path: string }[] }>();
  expect({ status: response.statusCode, code: body.code }).toEqual({ status, code });
  if (path) expect(body.errors?.map((e) => e.path)).toContain(path);
}

describe('teams', () => {
  let t: TestApp;
  let admin: Session;

  const create = async (name: string, parentId?: string, kind?: Team['kind']): Promise<Team> => {
    const response = await as(t, admin)('POST', '/api/v1/teams', { name, ...(parentId ? { parentId } : {}), ...(kind ? { kind } : {}) });
    expect(response.statusCode).toBe(201);
    return response.json<Team>();
  };
  const list = async () => (await as(t, admin)('GET', '/api/v1/teams')).json<{ items: Team[] }>().items;
  const visibleUsers = async (session: Session) => (await as(t, session)('GET', '/api/v1/users?limit=200')).json<{ items: User[] }>().items.map((u) => u.id).sort();

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
  });
  afterAll(() => t.close());

  describe('hierarchy', () => {
    it('builds departments, branches and teams below each other', async () => {
      const sales = await create('Sales', undefined, 'department');
      const east = await create('East', sales.id, 'branch');
      const desk = await create('East desk', east.id);
      expect(sales).toMatchObject({ name: 'Sales', kind: 'department', parentId: null, version: 1 });
      expect(east).toMatchObject({ kind: 'branch', parentId: sales.id });
      expect(desk).toMatchObject({ kind: 'team', parentId: east.id });
      expect((await list()).map((team) => team.id)).toEqual(expect.arrayContaining([sales.id, east.id, desk.id]));
    });

    it('refuses a parent that does not exist (400 /body/parentId)', async () => {
      expectProblem(await as(t, admin)('POST', '/api/v1/teams', { name: 'Orphan', parentId: '00000000-0000-7000-8000-000000000000' }), 400, 'validation', '/body/parentId');
      expect((await list()).some((team) => team.name === 'Orphan')).toBe(false);
    });

    it('does not let a team move below its own descendant, or below itself (400 /body/parentId)', async () => {
      const top = await create('Top');
      const middle = await create('Middle', top.id);
      const bottom = await create('Bottom', middle.id);
      expectProblem(await as(t, admin)('PATCH', `/api/v1/teams/${top.id}`, { parentId: bottom.id, version: top.version }), 400, 'validation', '/body/parentId');
      expectProblem(await as(t, admin)('PATCH', `/api/v1/teams/${top.id}`, { parentId: middle.id, version: top.version }), 400, 'validation', '/body/parentId');
      expectProblem(await as(t, admin)('PATCH', `/api/v1/teams/${top.id}`, { parentId: top.id, version: top.version }), 400, 'validation', '/body/parentId');
      expect((await list()).find((team) => team.id === top.id)).toMatchObject({ parentId: null, version: 1 });

      // Moving a leaf somewhere legal works.
      const moved = await as(t, admin)('PATCH', `/api/v1/teams/${bottom.id}`, { parentId: top.id, version: bottom.version });
      expect(moved.statusCode).toBe(200);
      expect(moved.json<Team>()).toMatchObject({ parentId: top.id, version: 2 });
    });

    it('answers a stale version with 409 version_conflict', async () => {
      const team = await create('Versioned');
      expect((await as(t, admin)('PATCH', `/api/v1/teams/${team.id}`, { name: 'Versioned 2', version: 1 })).statusCode).toBe(200);
      expectProblem(await as(t, admin)('PATCH', `/api/v1/teams/${team.id}`, { name: 'Lost update', version: 1 }), 409, 'version_conflict');
      expectProblem(await as(t, admin)('PATCH', `/api/v1/teams/${team.id}`, { name: 'No version' }), 428, 'version_required');
    });
  });

  describe('deletion', () => {
    it('refuses to delete a team while it has members (409), and deletes it once empty', async () => {
      const team = await create('Staffed');
      const member = await addUser(t, admin, { role: 'Sales rep', teamId: team.id });
      expectProblem(await as(t, admin)('DELETE', `/api/v1/teams/${team.id}`), 409, 'conflict');
      expect((await list()).some((x) => x.id === team.id)).toBe(true);

      expect((await as(t, admin)('PATCH', `/api/v1/users/${member.userId}`, { teamId: null, version: 1 })).statusCode).toBe(200);
      expect((await as(t, admin)('DELETE', `/api/v1/teams/${team.id}`)).statusCode).toBe(204);
      expect((await list()).some((x) => x.id === team.id)).toBe(false);
      expectProblem(await as(t, admin)('DELETE', `/api/v1/teams/${team.id}`), 404, 'not_found');
    });

    it('refuses to delete a team while it has sub-teams (409)', async () => {
      const parent = await create('Parent');
      const child = await create('Child', parent.id);
      expectProblem(await as(t, admin)('DELETE', `/api/v1/teams/${parent.id}`), 409, 'conflict');
      expect((await as(t, admin)('DELETE', `/api/v1/teams/${child.id}`)).statusCode).toBe(204);
      expect((await as(t, admin)('DELETE', `/api/v1/teams/${parent.id}`)).statusCode).toBe(204);
    });
  });

  describe('team_sub scope', () => {
    it("lets a 'Sales manager' in a parent team see sub-team users, but not the other way round", async () => {
      const region = await create('Region');
      const city = await create('City', region.id);
      const street = await create('Street', city.id);
      const sibling = await create('Sibling region');

      const regionManager = await addUser(t, admin, { role: 'Sales manager', teamId: region.id });
      const regionRep = await addUser(t, admin, { role: 'Sales rep', teamId: region.id });
      const cityManager = await addUser(t, admin, { role: 'Sales manager', teamId: city.id });
      const cityRep = await addUser(t, admin, { role: 'Sales rep', teamId: city.id });
      const streetRep = await addUser(t, admin, { role: 'Sales rep', teamId: street.id });
      const outsider = await addUser(t, admin, { role: 'Sales rep', teamId: sibling.id });

      expect(await visibleUsers(regionManager)).toEqual([regionManager, regionRep, cityManager, cityRep, streetRep].map((s) => s.userId).sort());
      expect(await visibleUsers(cityManager)).toEqual([cityManager, cityRep, streetRep].map((s) => s.userId).sort());
      expect((await as(t, cityManager)('GET', `/api/v1/users/${streetRep.userId}`)).statusCode).toBe(200);
      expectProblem(await as(t, cityManager)('GET', `/api/v1/users/${regionRep.userId}`), 404, 'not_found');
      expectProblem(await as(t, regionManager)('GET', `/api/v1/users/${outsider.userId}`), 404, 'not_found');

      // The reach follows the hierarchy as it changes: a team moved under City is seen by City's manager at once.
      const moved = await as(t, admin)('PATCH', `/api/v1/teams/${sibling.id}`, { parentId: city.id, version: sibling.version });
      expect(moved.statusCode).toBe(200);
      expect(await visibleUsers(cityManager)).toContain(outsider.userId);
    });
  });

  describe('rights', () => {
    it('lets a rep read teams but not create, change or delete them', async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      const team = await create('Guarded');
      expect((await as(t, rep)('GET', '/api/v1/teams')).statusCode).toBe(200);
      expectProblem(await as(t, rep)('POST', '/api/v1/teams', { name: 'Rogue' }), 403, 'forbidden');
      expectProblem(await as(t, rep)('PATCH', `/api/v1/teams/${team.id}`, { name: 'Rogue', version: 1 }), 403, 'forbidden');
      expectProblem(await as(t, rep)('DELETE', `/api/v1/teams/${team.id}`), 403, 'forbidden');
      expect((await list()).find((x) => x.id === team.id)?.name).toBe('Guarded');
    });
  });
});
