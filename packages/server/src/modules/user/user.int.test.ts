import type { Role, User } from '@rapport/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, anonymous, as, lastMailTo, login, PASSWORD, roleByName, setupWorkspace, tokenFrom, uniqueEmail, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

interface ProblemBody {
  code: string;
  errors?: { path: string; message: string }[];
}

function expectProblem(response: LightMyRequestResponse, status: number, code: string, path?: string): void {
  const body = response.json<ProblemBody>();
  expect({ status: response.statusCode, code: body.code }).toEqual({ status, code });
  expect(response.headers['content-type']).toContain('application/problem+json');
  if (path) expect(body.errors?.map((e) => e.path)).toContain(path);
}

describe('users', () => {
  let t: TestApp;
  let admin: Session;
  let repRole: Role;

  const teamOf = async (name: string, parentId?: string) => {
    const response = await as(t, admin)('POST', '/api/v1/teams', { name, ...(parentId ? { parentId } : {}) });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: string }>().id;
  };
  const userIds = async (session: Session) => {
    const response = await as(t, session)('GET', '/api/v1/users?limit=200');
    expect(response.statusCode).toBe(200);
    return response.json<{ items: User[] }>().items.map((u) => u.id).sort();
  };
  const getUser = async (id: string) => (await as(t, admin)('GET', `/api/v1/users/${id}`)).json<User>();

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t, { workspaceName: 'People Inc' });
    repRole = await roleByName(t, admin, 'Sales rep');
  });
  afterAll(() => t.close());

  describe('invitations', () => {
    it("creates an invited user and holds an invitation mail in the invitee's language", async () => {
      const email = uniqueEmail('ivan');
      const response = await as(t, admin)('POST', '/api/v1/users/invite', { email, name: 'Иван', roleId: repRole.id, locale: 'ru' });
      expect(response.statusCode).toBe(201);
      expect(response.json<User>()).toMatchObject({ email, name: 'Иван', status: 'invited', roleId: repRole.id, locale: 'ru' });
      const mail = await lastMailTo(t, admin, email);
      expect(mail?.status).toBe('held');
      expect(mail?.subject).toBe('Приглашение в People Inc в Rapport');
      expect(mail?.text).toContain('Ada Admin приглашает вас');
      expect(mail?.text).toContain('http://rapport.test/accept-invite?token=');
      // Invited users cannot sign in before accepting.
      expectProblem(await anonymous(t, 'POST', '/api/v1/auth/login', { email, password: PASSWORD }), 401, 'invalid_credentials');
    });

    it('writes the invitation in English by default', async () => {
      const email = uniqueEmail('english');
      expect((await as(t, admin)('POST', '/api/v1/users/invite', { email, roleId: repRole.id })).statusCode).toBe(201);
      expect((await lastMailTo(t, admin, email))?.subject).toBe('You are invited to People Inc on Rapport');
    });

    it('shows the invitation, signs the invitee in on accepting, activates them and tells the inviter', async () => {
      const email = uniqueEmail('newcomer');
      const invited = (await as(t, admin)('POST', '/api/v1/users/invite', { email, roleId: repRole.id })).json<User>();
      const token = tokenFrom((await lastMailTo(t, admin, email))!.text);

      const info = await anonymous(t, 'GET', `/api/v1/auth/invite?token=${encodeURIComponent(token)}`);
      expect(info.statusCode).toBe(200);
      expect(info.json()).toEqual({ email, workspaceName: 'People Inc' });

      const accepted = await anonymous(t, 'POST', '/api/v1/auth/invite/accept', { token, name: 'Nora Newcomer', password: PASSWORD });
      expect(accepted.statusCode).toBe(200);
      const cookie = accepted.cookies.find((c) => c.name === 'rapport_session')!.value;
      const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `rapport_session=${cookie}` } });
      expect(me.json<{ user: { id: string; name: string } }>().user).toMatchObject({ id: invited.id, name: 'Nora Newcomer' });
      expect((await getUser(invited.id)).status).toBe('active');
      // Accepting is the first sign-in: the users list must not show "never signed in".
      expect((await getUser(invited.id)).lastLoginAt).not.toBeNull();

      const notifications = (await as(t, admin)('GET', '/api/v1/notifications')).json<{ items: { messageKey: string; params: Record<string, unknown>; link: string | null }[] }>();
      expect(notifications.items).toContainEqual(expect.objectContaining({ messageKey: 'notifications.inviteAccepted', params: { name: 'Nora Newcomer' }, link: `/settings/users/${invited.id}` }));

      // The token is used up: neither the page nor a second accept work, and the password stays the invitee's.
      expectProblem(await anonymous(t, 'GET', `/api/v1/auth/invite?token=${encodeURIComponent(token)}`), 400, 'token_invalid');
      expectProblem(await anonymous(t, 'POST', '/api/v1/auth/invite/accept', { token, name: 'Hijacker', password: 'hijacker password' }), 400, 'token_invalid');
      expect((await login(t, email)).userId).toBe(invited.id);
      expect((await getUser(invited.id)).name).toBe('Nora Newcomer');
    });

    it('resends an invitation with a fresh link and retires the old one', async () => {
      const email = uniqueEmail('resend');
      const invited = (await as(t, admin)('POST', '/api/v1/users/invite', { email, roleId: repRole.id })).json<User>();
      const oldToken = tokenFrom((await lastMailTo(t, admin, email))!.text);
      expect((await as(t, admin)('POST', `/api/v1/users/${invited.id}/resend-invite`)).statusCode).toBe(204);
      const newToken = tokenFrom((await lastMailTo(t, admin, email))!.text);
      expect(newToken).not.toBe(oldToken);
      expectProblem(await anonymous(t, 'POST', '/api/v1/auth/invite/accept', { token: oldToken, name: 'Old link', password: PASSWORD }), 400, 'token_invalid');
      expect((await anonymous(t, 'POST', '/api/v1/auth/invite/accept', { token: newToken, name: 'New link', password: PASSWORD })).statusCode).toBe(200);
      // Once accepted, there is nothing to resend.
      expectProblem(await as(t, admin)('POST', `/api/v1/users/${invited.id}/resend-invite`), 409, 'conflict');
    });

    it('answers a made-up token with 400 token_invalid', async () => {
      expectProblem(await anonymous(t, 'GET', `/api/v1/auth/invite?token=${'x'.repeat(43)}`), 400, 'token_invalid');
    });

    it('refuses a duplicate e-mail with 409 naming /body/email, whatever the letter case', async () => {
      const count = (await userIds(admin)).length;
      expectProblem(await as(t, admin)('POST', '/api/v1/users/invite', { email: admin.email.toUpperCase(), roleId: repRole.id }), 409, 'conflict', '/body/email');
      expect((await userIds(admin)).length).toBe(count);
    });

    it('refuses a role that does not exist with 400 naming /body/roleId', async () => {
      const count = (await userIds(admin)).length;
      const response = await as(t, admin)('POST', '/api/v1/users/invite', { email: uniqueEmail('ghost'), roleId: '00000000-0000-7000-8000-000000000000' });
      expectProblem(response, 400, 'validation', '/body/roleId');
      expect((await userIds(admin)).length).toBe(count);
    });
  });

  describe('visibility by role scope', () => {
    it("shows a 'Sales rep' (user.read = team) the users of their team and themselves only", async () => {
      const north = await teamOf('North');
      const south = await teamOf('South');
      const rep = await addUser(t, admin, { role: 'Sales rep', teamId: north });
      const colleague = await addUser(t, admin, { role: 'Sales manager', teamId: north });
      const other = await addUser(t, admin, { role: 'Sales rep', teamId: south });
      expect(await userIds(rep)).toEqual([rep.userId, colleague.userId].sort());
      expect((await as(t, rep)('GET', `/api/v1/users/${colleague.userId}`)).statusCode).toBe(200);
      // Out of scope answers exactly like a missing user.
      expectProblem(await as(t, rep)('GET', `/api/v1/users/${other.userId}`), 404, 'not_found');
      expectProblem(await as(t, rep)('GET', `/api/v1/users/${admin.userId}`), 404, 'not_found');
      expectProblem(await as(t, rep)('GET', '/api/v1/users/00000000-0000-7000-8000-000000000000'), 404, 'not_found');
    });

    it('shows a rep without a team only themselves', async () => {
      const loner = await addUser(t, admin, { role: 'Sales rep' });
      expect(await userIds(loner)).toEqual([loner.userId]);
      expect((await as(t, loner)('GET', `/api/v1/users/${loner.userId}`)).statusCode).toBe(200);
    });

    it('keeps the scope when a filter asks for someone outside it', async () => {
      const team = await teamOf('Filtered');
      const rep = await addUser(t, admin, { role: 'Sales rep', teamId: team });
      const filter = encodeURIComponent(JSON.stringify({ field: 'email', op: 'eq', value: admin.email }));
      expect((await as(t, rep)('GET', `/api/v1/users?filter=${filter}`)).json<{ items: User[] }>().items).toEqual([]);
    });

    it('names the people a picker holds by id, within the scope', async () => {
      const team = await teamOf('Named by id');
      const rep = await addUser(t, admin, { role: 'Sales rep', teamId: team, name: 'Ida Picked' });
      const mate = await addUser(t, admin, { role: 'Sales rep', teamId: team, name: 'Ole Picked' });
      const byIds = (ids: string[]) => `/api/v1/users?filter=${encodeURIComponent(JSON.stringify({ field: 'id', op: 'in', value: ids }))}`;
      const names = (response: { json: <T>() => T }) => response.json<{ items: User[] }>().items.map((user) => user.name);
      expect(names(await as(t, admin)('GET', byIds([rep.userId, mate.userId])))).toEqual(['Ida Picked', 'Ole Picked']);
      // The rep reads their team, not the admin: the admin's id names no one for them.
      expect(names(await as(t, rep)('GET', byIds([mate.userId, admin.userId])))).toEqual(['Ole Picked']);
      expectProblem(await as(t, admin)('GET', byIds(['not-a-uuid'])), 400, 'bad_filter');
    });
  });

  describe('rights', () => {
    it('forbids a rep to invite (403)', async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      const email = uniqueEmail('by-rep');
      expectProblem(await as(t, rep)('POST', '/api/v1/users/invite', { email, roleId: repRole.id }), 403, 'forbidden');
      expect(await lastMailTo(t, admin, email)).toBeUndefined();
    });

    it('forbids a rep to change another user (403 from the route rule)', async () => {
      const team = await teamOf('Rights');
      const rep = await addUser(t, admin, { role: 'Sales rep', teamId: team });
      const mate = await addUser(t, admin, { role: 'Sales rep', teamId: team });
      const response = await as(t, rep)('PATCH', `/api/v1/users/${mate.userId}`, { name: 'Renamed by a rep', version: 1 });
      expectProblem(response, 403, 'forbidden');
      expect(response.json<{ detail: string }>().detail).toBe('Your role does not allow update on user');
      expect((await getUser(mate.userId)).name).toBe('Test Sales rep');
    });
  });

  describe('optimistic locking', () => {
    it('answers a stale body version with 409 version_conflict, a stale If-Match with 412, and no version with 428', async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      const first = await as(t, admin)('PATCH', `/api/v1/users/${rep.userId}`, { name: 'First edit', version: 1 });
      expect(first.statusCode).toBe(200);
      expect(first.json<User>().version).toBe(2);

      expectProblem(await as(t, admin)('PATCH', `/api/v1/users/${rep.userId}`, { name: 'Stale edit', version: 1 }), 409, 'version_conflict');
      expectProblem(await as(t, admin)('PATCH', `/api/v1/users/${rep.userId}`, { name: 'Stale edit' }, { 'if-match': '"1"' }), 412, 'precondition_failed');
      expectProblem(await as(t, admin)('PATCH', `/api/v1/users/${rep.userId}`, { name: 'Blind edit' }), 428, 'version_required');
      expect((await getUser(rep.userId)).name).toBe('First edit');

      // The ETag of GET is what If-Match expects.
      const current = await as(t, admin)('GET', `/api/v1/users/${rep.userId}`);
      expect(current.headers.etag).toBe('"2"');
      const matched = await as(t, admin)('PATCH', `/api/v1/users/${rep.userId}`, { name: 'Second edit' }, { 'if-match': current.headers.etag as string });
      expect(matched.statusCode).toBe(200);
      expect(matched.json<User>()).toMatchObject({ name: 'Second edit', version: 3 });
    });
  });

  describe('changes', () => {
    it('does not let the administrator disable themselves', async () => {
      const me = await getUser(admin.userId);
      expectProblem(await as(t, admin)('PATCH', `/api/v1/users/${admin.userId}`, { status: 'disabled', version: me.version }), 403, 'forbidden');
      expect((await getUser(admin.userId)).status).toBe('active');
    });

    it('audits a role change as user.access_change with the role diff and notifies the user', async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      const managerRole = await roleByName(t, admin, 'Sales manager');
      const response = await as(t, admin)('PATCH', `/api/v1/users/${rep.userId}`, { roleId: managerRole.id, version: 1 });
      expect(response.statusCode).toBe(200);
      expect(response.json<User>().roleId).toBe(managerRole.id);

      const audit = (await as(t, admin)('GET', `/api/v1/audit?objectId=${rep.userId}&action=user.`)).json<{ items: { action: string; actorId: string; changes: unknown }[] }>();
      expect(audit.items[0]).toMatchObject({ action: 'user.access_change', actorId: admin.userId, changes: { role_id: { from: repRole.id, to: managerRole.id } } });

      const notifications = (await as(t, rep)('GET', '/api/v1/notifications')).json<{ unread: number; items: { messageKey: string; params: Record<string, unknown> }[] }>();
      expect(notifications.unread).toBe(1);
      expect(notifications.items[0]).toMatchObject({ messageKey: 'notifications.accessChanged', params: { by: 'Ada Admin' } });
      // The new rights apply to the user's next request.
      expect((await as(t, rep)('GET', '/api/v1/auth/me')).json<{ permissions: { user: { read: string } } }>().permissions.user.read).toBe('team_sub');
    });

    it('audits a rename as user.update without notifying anyone', async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      await as(t, admin)('PATCH', `/api/v1/users/${rep.userId}`, { name: 'Renamed', version: 1 });
      const audit = (await as(t, admin)('GET', `/api/v1/audit?objectId=${rep.userId}&action=user.`)).json<{ items: { action: string; changes: unknown }[] }>();
      expect(audit.items[0]).toMatchObject({ action: 'user.update', changes: { name: { from: 'Test Sales rep', to: 'Renamed' } } });
      expect((await as(t, rep)('GET', '/api/v1/notifications')).json<{ unread: number }>().unread).toBe(0);
    });
  });

  describe('field rules', () => {
    it('leaves hidden fields out of every answer for a role that hides them', async () => {
      const created = await as(t, admin)('POST', '/api/v1/roles', {
        name: 'Discreet viewer',
        permissions: { user: { read: 'all', update: 'all' } },
        fieldRules: { user: { email: 'hidden' } },
      });
      expect(created.statusCode).toBe(201);
      const viewer = await addUser(t, admin, { role: 'Sales rep' });
      const assigned = await as(t, admin)('PATCH', `/api/v1/users/${viewer.userId}`, { roleId: created.json<Role>().id, version: 1 });
      expect(assigned.statusCode).toBe(200);

      const list = await as(t, viewer)('GET', '/api/v1/users?limit=200');
      expect(list.statusCode).toBe(200);
      const items = list.json<{ items: Partial<User>[] }>().items;
      expect(items.length).toBeGreaterThanOrEqual(2);
      for (const item of items) {
        expect(item).not.toHaveProperty('email');
        expect(item.id).toBeDefined();
        expect(item.name).toBeDefined();
      }
      expect(list.body).not.toContain(admin.email);

      const one = await as(t, viewer)('GET', `/api/v1/users/${admin.userId}`);
      expect(one.statusCode).toBe(200);
      expect(one.json()).not.toHaveProperty('email');

      // A write does not reveal it either, and the hidden field itself cannot be written.
      const other = await addUser(t, admin, { role: 'Sales rep' });
      const renamed = await as(t, viewer)('PATCH', `/api/v1/users/${other.userId}`, { name: 'Renamed by viewer', version: 1 });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json()).not.toHaveProperty('email');
      expect(renamed.body).not.toContain(other.email);

      // Administrators still see the address.
      expect((await getUser(admin.userId)).email).toBe(admin.email);
    });
  });
});
