import type { Locale, Role } from '@rapport/shared';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createActiveUser } from '../src/modules/user/user.service.js';
import type { TestApp } from './test-app.js';

export const PASSWORD = 'correct horse battery';

export interface Session {
  cookie: string;
  csrf: string;
  userId: string;
  workspaceId: string;
  email: string;
}

let counter = 0;
/** A unique e-mail per call: factories, not fixtures. */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}.${process.pid}.${counter}@example.com`;
}

export type Request = (method: InjectOptions['method'], url: string, body?: unknown, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;

/** Requests as a signed-in browser would send them: session cookie plus CSRF header. */
export function as(t: TestApp, session: Session | null): Request {
  return (method, url, body, headers = {}) =>
    t.app.inject({
      method,
      url,
      ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
      headers: { ...(session ? { cookie: `rapport_session=${session.cookie}`, 'x-csrf-token': session.csrf } : {}), ...headers },
    });
}

function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'rapport_session');
  if (!cookie) throw new Error(`no session cookie (status ${response.statusCode}: ${response.body})`);
  return cookie.value;
}

async function complete(t: TestApp, cookie: string, csrf: string, email: string): Promise<Session> {
  const me = await as(t, { cookie, csrf, userId: '', workspaceId: '', email })('GET', '/api/v1/auth/me');
  const body = me.json<{ user: { id: string }; workspace: { id: string } }>();
  return { cookie, csrf, userId: body.user.id, workspaceId: body.workspace.id, email };
}

/** First run through the API: a workspace and its administrator, signed in. */
export async function setupWorkspace(t: TestApp, input: { locale?: Locale; workspaceName?: string } = {}): Promise<Session> {
  const email = uniqueEmail('admin');
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/setup',
    remoteAddress: nextIp(),
    payload: { workspaceName: input.workspaceName ?? 'Acme', name: 'Ada Admin', email, password: PASSWORD, locale: input.locale ?? 'en' },
  });
  if (response.statusCode !== 201) throw new Error(`setup failed: ${response.statusCode} ${response.body}`);
  return complete(t, sessionCookie(response), response.json<{ csrfToken: string }>().csrfToken, email);
}

let ipCounter = 0;
/**
 * A distinct client address per call. The public forms are rate limited per IP (10 a minute), so factories that sign
 * people in use one each, as separate browsers would; tests of the limit itself pin one address.
 */
export function nextIp(): string {
  ipCounter += 1;
  return `10.${(process.pid >> 8) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

/** A request without credentials (public forms), from its own client address unless `ip` is given. */
export function anonymous(t: TestApp, method: InjectOptions['method'], url: string, body?: unknown, options: { ip?: string; headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
  return t.app.inject({ method, url, remoteAddress: options.ip ?? nextIp(), ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }), headers: options.headers ?? {} });
}

export async function login(t: TestApp, email: string, password = PASSWORD, ip = nextIp()): Promise<Session> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return complete(t, sessionCookie(response), response.json<{ csrfToken: string }>().csrfToken, email);
}

export async function roleByName(t: TestApp, admin: Session, name: string): Promise<Role> {
  const roles = (await as(t, admin)('GET', '/api/v1/roles')).json<{ items: Role[] }>().items;
  const role = roles.find((r) => r.name === name);
  if (!role) throw new Error(`no role ${name} among ${roles.map((r) => r.name).join(', ')}`);
  return role;
}

/** An active user with the given role (created directly, as `rapport create-admin` does), signed in. */
export async function addUser(t: TestApp, admin: Session, input: { role: string; teamId?: string | null; managerId?: string | null; name?: string }): Promise<Session> {
  const role = await roleByName(t, admin, input.role);
  const email = uniqueEmail(input.role.toLowerCase().replace(/\W+/g, '-'));
  await t.database.db.transaction().execute((trx) =>
    createActiveUser(trx, { workspaceId: admin.workspaceId, actorId: admin.userId, actorType: 'user', ip: null, requestId: 'test' }, {
      workspaceId: admin.workspaceId,
      email,
      name: input.name ?? `Test ${input.role}`,
      password: PASSWORD,
      roleId: role.id,
      teamId: input.teamId ?? null,
      managerId: input.managerId ?? null,
      locale: 'en',
    }),
  );
  return login(t, email);
}

/** Polls `check` until it returns something other than undefined/false; fails after `timeoutMs` (jobs, SSE, dispatch). */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? 'a condition'}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}

export interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  status: string;
  error: string | null;
}

/** Mail in the workspace's outbox (newest first), as an administrator sees it. */
export async function outbox(t: TestApp, admin: Session): Promise<OutboxMail[]> {
  const response = await as(t, admin)('GET', '/api/v1/mail-outbox?limit=200');
  if (response.statusCode !== 200) throw new Error(`mail-outbox: ${response.statusCode} ${response.body}`);
  return response.json<{ items: OutboxMail[] }>().items;
}

/** The newest mail to an address. */
export async function lastMailTo(t: TestApp, admin: Session, to: string): Promise<OutboxMail | undefined> {
  return (await outbox(t, admin)).find((mail) => mail.to === to.toLowerCase());
}

/** The `token` query parameter of the link in an e-mail's text. */
export function tokenFrom(text: string): string {
  const match = /[?&]token=([^\s&]+)/.exec(text);
  if (!match) throw new Error(`no token link in: ${text}`);
  return decodeURIComponent(match[1]!);
}

/** Invites a user through the API and accepts the invitation from the held e-mail: an active, signed-in user. */
export async function inviteAndAccept(t: TestApp, admin: Session, input: { role: string; teamId?: string | null; name?: string }): Promise<Session & { inviteToken: string }> {
  const role = await roleByName(t, admin, input.role);
  const email = uniqueEmail('invited');
  const invited = await as(t, admin)('POST', '/api/v1/users/invite', { email, roleId: role.id, ...(input.teamId ? { teamId: input.teamId } : {}) });
  if (invited.statusCode !== 201) throw new Error(`invite failed: ${invited.statusCode} ${invited.body}`);
  const mail = await lastMailTo(t, admin, email);
  if (!mail) throw new Error(`no invitation mail to ${email}`);
  const inviteToken = tokenFrom(mail.text);
  const accepted = await anonymous(t, 'POST', '/api/v1/auth/invite/accept', { token: inviteToken, name: input.name ?? 'Invited Person', password: PASSWORD });
  if (accepted.statusCode !== 200) throw new Error(`accept failed: ${accepted.statusCode} ${accepted.body}`);
  return { ...(await complete(t, sessionCookie(accepted), accepted.json<{ csrfToken: string }>().csrfToken, email)), inviteToken };
}
