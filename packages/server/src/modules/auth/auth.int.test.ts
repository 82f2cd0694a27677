import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, anonymous, as, lastMailTo, login, nextIp, outbox, PASSWORD, setupWorkspace, tokenFrom, type Session } from '../../../test/factories.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';

const MINUTE = 60_000;

function expectProblem(response: LightMyRequestResponse, status: number, code: string): void {
  expect({ status: response.statusCode, code: response.json<{ code: string }>().code }).toEqual({ status, code });
  expect(response.headers['content-type']).toContain('application/problem+json');
}

const me = (t: TestApp, session: Session) => as(t, session)('GET', '/api/v1/auth/me');

describe('auth', () => {
  let t: TestApp;
  const clock = createTestClock();
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await setupWorkspace(t, { workspaceName: 'Auth Co' });
  });
  afterAll(() => t.close());

  describe('first-run setup', () => {
    it('creates the workspace and its administrator and signs the administrator in', async () => {
      expect((await anonymous(t, 'GET', '/api/v1/setup')).json()).toEqual({ setUp: true });
      const response = await me(t, admin);
      expect(response.statusCode).toBe(200);
      const body = response.json<{ user: { email: string; name: string }; workspace: { name: string }; permissions: Record<string, Record<string, string>>; csrfToken: string }>();
      expect(body.user).toMatchObject({ email: admin.email, name: 'Ada Admin' });
      expect(body.workspace.name).toBe('Auth Co');
      expect(body.permissions.role?.update).toBe('all');
      expect(body.csrfToken).toBe(admin.csrf);
    });

    it('refuses a second setup with 409 already_set_up', async () => {
      const response = await anonymous(t, 'POST', '/api/v1/setup', { workspaceName: 'Evil', name: 'Eve', email: 'eve@example.com', password: PASSWORD });
      expectProblem(response, 409, 'already_set_up');
      // Nobody was created: the intruder cannot sign in.
      expectProblem(await anonymous(t, 'POST', '/api/v1/auth/login', { email: 'eve@example.com', password: PASSWORD }), 401, 'invalid_credentials');
    });
  });

  describe('login', () => {
    it('answers a wrong password with 401 invalid_credentials as problem+json', async () => {
      const response = await anonymous(t, 'POST', '/api/v1/auth/login', { email: admin.email, password: 'not the password' });
      expectProblem(response, 401, 'invalid_credentials');
      expect(response.cookies.find((c) => c.name === 'rapport_session')).toBeUndefined();
    });

    it('answers an unknown e-mail exactly like a wrong password', async () => {
      expectProblem(await anonymous(t, 'POST', '/api/v1/auth/login', { email: 'nobody@example.com', password: PASSWORD }), 401, 'invalid_credentials');
    });

    it('accepts the e-mail in any letter case', async () => {
      const session = await login(t, admin.email.toUpperCase());
      expect((await me(t, session)).statusCode).toBe(200);
    });

    it('locks the account after 5 wrong passwords, even for the right one, and unlocks it after 15 minutes', async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      const attempt = (password: string) => anonymous(t, 'POST', '/api/v1/auth/login', { email: rep.email, password });
      for (let i = 0; i < 4; i += 1) expectProblem(await attempt('wrong password'), 401, 'invalid_credentials');
      expectProblem(await attempt('wrong password'), 423, 'account_locked');
      expectProblem(await attempt(PASSWORD), 423, 'account_locked');
      clock.advance(14 * MINUTE);
      expectProblem(await attempt(PASSWORD), 423, 'account_locked');
      clock.advance(1 * MINUTE + 1_000);
      const unlocked = await attempt(PASSWORD);
      expect(unlocked.statusCode).toBe(200);
      // The counter starts over: one more mistake does not lock again.
      expectProblem(await attempt('wrong password'), 401, 'invalid_credentials');
      expect((await attempt(PASSWORD)).statusCode).toBe(200);
    });

    it('counts wrong passwords sent in parallel: a burst cannot get past the lockout', async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      const burst = await Promise.all(Array.from({ length: 8 }, () => anonymous(t, 'POST', '/api/v1/auth/login', { email: rep.email, password: 'parallel guess' })));
      expect(burst.map((r) => r.statusCode).sort()).toContain(423);
      expectProblem(await anonymous(t, 'POST', '/api/v1/auth/login', { email: rep.email, password: PASSWORD }), 423, 'account_locked');
      clock.advance(15 * MINUTE + 1_000);
      expect((await anonymous(t, 'POST', '/api/v1/auth/login', { email: rep.email, password: PASSWORD })).statusCode).toBe(200);
    });

    it('rotates the session: the cookie a browser had before signing in stops working', async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      const relogin = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: nextIp(),
        payload: { email: rep.email, password: PASSWORD },
        headers: { cookie: `rapport_session=${rep.cookie}` },
      });
      expect(relogin.statusCode).toBe(200);
      const fresh = relogin.cookies.find((c) => c.name === 'rapport_session')!;
      expect(fresh.value).not.toBe(rep.cookie);
      expect(fresh.httpOnly).toBe(true);
      expect(fresh.sameSite?.toLowerCase()).toBe('lax');
      expectProblem(await me(t, rep), 401, 'unauthenticated');
      expect((await me(t, { ...rep, cookie: fresh.value, csrf: relogin.json<{ csrfToken: string }>().csrfToken })).statusCode).toBe(200);
    });
  });

  describe('logout', () => {
    it('ends the session on the server, not just in the browser', async () => {
      const session = await login(t, admin.email);
      const response = await as(t, session)('POST', '/api/v1/auth/logout');
      expect(response.statusCode).toBe(204);
      expectProblem(await me(t, session), 401, 'unauthenticated');
      // Other sessions of the same user live on.
      expect((await me(t, admin)).statusCode).toBe(200);
    });
  });

  describe('CSRF', () => {
    it('refuses an unsafe request without the X-CSRF-Token header', async () => {
      const session = await login(t, admin.email);
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: `rapport_session=${session.cookie}` } });
      expectProblem(response, 403, 'csrf');
      expect((await me(t, session)).statusCode).toBe(200);
    });

    it('refuses an unsafe request with a wrong token', async () => {
      const session = await login(t, admin.email);
      const response = await as(t, { ...session, csrf: admin.csrf })('POST', '/api/v1/auth/logout');
      expectProblem(response, 403, 'csrf');
      expect((await me(t, session)).statusCode).toBe(200);
    });

    it('does not ask for a token on safe requests', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `rapport_session=${admin.cookie}` } });
      expect(response.statusCode).toBe(200);
    });

    it('needs no token for API-key requests', async () => {
      const created = await as(t, admin)('POST', '/api/v1/api-keys', { name: 'CI', permissions: { team: { read: 'all', create: 'all' } } });
      expect(created.statusCode).toBe(201);
      const { secret } = created.json<{ secret: string }>();
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/teams', payload: { name: 'Made by a key' }, headers: { authorization: `Bearer ${secret}` } });
      expect(response.statusCode).toBe(201);
    });
  });

  describe('disabled users', () => {
    it("ends a disabled user's existing sessions at once", async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      expect((await me(t, rep)).statusCode).toBe(200);
      const disabled = await as(t, admin)('PATCH', `/api/v1/users/${rep.userId}`, { status: 'disabled', version: 1 });
      expect(disabled.statusCode).toBe(200);
      expectProblem(await me(t, rep), 401, 'unauthenticated');
      expectProblem(await anonymous(t, 'POST', '/api/v1/auth/login', { email: rep.email, password: PASSWORD }), 401, 'invalid_credentials');
    });
  });

  describe('password reset', () => {
    it('answers 202 for an unknown address and sends nothing', async () => {
      const before = (await outbox(t, admin)).length;
      const response = await anonymous(t, 'POST', '/api/v1/auth/password-reset', { email: 'stranger@example.com' });
      expect(response.statusCode).toBe(202);
      expect((await outbox(t, admin)).length).toBe(before);
    });

    it('mails a link to a known address; the token sets the new password, ends old sessions and works only once', async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      const response = await anonymous(t, 'POST', '/api/v1/auth/password-reset', { email: rep.email });
      expect(response.statusCode).toBe(202);
      const mail = await lastMailTo(t, admin, rep.email);
      expect(mail).toMatchObject({ status: 'held', subject: 'Reset your Rapport password' });
      expect(mail!.text).toContain('http://rapport.test/reset-password?token=');
      const token = tokenFrom(mail!.text);

      const newPassword = 'a brand new passphrase';
      expect((await anonymous(t, 'POST', '/api/v1/auth/password-reset/confirm', { token, password: newPassword })).statusCode).toBe(204);
      expectProblem(await me(t, rep), 401, 'unauthenticated');
      expectProblem(await anonymous(t, 'POST', '/api/v1/auth/login', { email: rep.email, password: PASSWORD }), 401, 'invalid_credentials');
      const again = await login(t, rep.email, newPassword);
      expect((await me(t, again)).statusCode).toBe(200);

      expectProblem(await anonymous(t, 'POST', '/api/v1/auth/password-reset/confirm', { token, password: 'yet another passphrase' }), 400, 'token_invalid');
      expect((await login(t, rep.email, newPassword)).userId).toBe(rep.userId);
    });

    it('rejects a token older than one hour', async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      await anonymous(t, 'POST', '/api/v1/auth/password-reset', { email: rep.email });
      const token = tokenFrom((await lastMailTo(t, admin, rep.email))!.text);
      clock.advance(61 * MINUTE);
      expectProblem(await anonymous(t, 'POST', '/api/v1/auth/password-reset/confirm', { token, password: 'too late passphrase' }), 400, 'token_invalid');
      // Nothing changed: the old password still works and the session is alive.
      expect((await me(t, rep)).statusCode).toBe(200);
      expect((await login(t, rep.email)).userId).toBe(rep.userId);
    });

    it('only honours the newest link when several were requested', async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      await anonymous(t, 'POST', '/api/v1/auth/password-reset', { email: rep.email });
      const first = tokenFrom((await lastMailTo(t, admin, rep.email))!.text);
      await anonymous(t, 'POST', '/api/v1/auth/password-reset', { email: rep.email });
      const second = tokenFrom((await lastMailTo(t, admin, rep.email))!.text);
      expect(second).not.toBe(first);
      expectProblem(await anonymous(t, 'POST', '/api/v1/auth/password-reset/confirm', { token: first, password: 'first link passphrase' }), 400, 'token_invalid');
      expect((await anonymous(t, 'POST', '/api/v1/auth/password-reset/confirm', { token: second, password: 'second link passphrase' })).statusCode).toBe(204);
    });
  });

  describe('rate limit', () => {
    it('answers the 11th login attempt from one address within a minute with 429 rate_limited', async () => {
      const ip = '192.0.2.77';
      const statuses: number[] = [];
      for (let i = 0; i < 10; i += 1) {
        statuses.push((await anonymous(t, 'POST', '/api/v1/auth/login', { email: 'nobody@example.com', password: 'whatever' }, { ip })).statusCode);
      }
      expect(statuses).toEqual(Array(10).fill(401));
      const limited = await anonymous(t, 'POST', '/api/v1/auth/login', { email: admin.email, password: PASSWORD }, { ip });
      expectProblem(limited, 429, 'rate_limited');
      expect(limited.headers['retry-after']).toBeDefined();
      expect(limited.cookies.find((c) => c.name === 'rapport_session')).toBeUndefined();
      // Other clients are not affected.
      expect((await anonymous(t, 'POST', '/api/v1/auth/login', { email: admin.email, password: PASSWORD })).statusCode).toBe(200);
    });
  });
});
