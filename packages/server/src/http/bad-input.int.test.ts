import type { Role, User } from '@rapport/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addUser, as, outbox, roleByName, setupWorkspace, uniqueEmail, type Session } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/test-app.js';

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  errors?: { path: string; message: string }[];
}

/** Every bad input gets a problem document with a stable code and the field it is about — never a 500. */
function expectProblem(response: LightMyRequestResponse, status: number, code: string, path?: string): ProblemBody {
  expect(response.headers['content-type']).toContain('application/problem+json');
  const body = response.json<ProblemBody>();
  expect({ status: response.statusCode, code: body.code }).toEqual({ status, code });
  expect(body.status).toBe(status);
  expect(body.type).toMatch(/^https:\/\/rapport\.dev\/problems\//);
  if (path !== undefined) expect(body.errors?.map((e) => e.path)).toContain(path);
  return body;
}

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

describe('bad input', () => {
  let t: TestApp;
  let admin: Session;
  let repRole: Role;
  let target: Session;
  let counts: { users: number; mail: number };

  const api = () => as(t, admin);
  const userCount = async () => (await api()('GET', '/api/v1/users?limit=200')).json<{ items: User[] }>().items.length;
  const raw = (method: 'POST' | 'PATCH', url: string, payload: string | Buffer, contentType: string) =>
    t.app.inject({ method, url, payload, headers: { cookie: `rapport_session=${admin.cookie}`, 'x-csrf-token': admin.csrf, 'content-type': contentType } });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
    repRole = await roleByName(t, admin, 'Sales rep');
    target = await addUser(t, admin, { role: 'Sales rep' });
  });
  afterAll(() => t.close());

  // Nothing half-written: no bad request below may leave a user or a mail behind.
  beforeEach(async () => {
    counts = { users: await userCount(), mail: (await outbox(t, admin)).length };
    return async () => {
      expect({ users: await userCount(), mail: (await outbox(t, admin)).length }).toEqual(counts);
      const user = (await api()('GET', `/api/v1/users/${target.userId}`)).json<User>();
      expect(user).toMatchObject({ name: 'Test Sales rep', version: 1 });
    };
  });

  describe('request bodies', () => {
    it('answers malformed JSON with 400 at /body', async () => {
      expectProblem(await raw('POST', '/api/v1/users/invite', '{"email": "x@example.com", ', 'application/json'), 400, 'validation', '/body');
      expectProblem(await raw('POST', '/api/v1/users/invite', '', 'application/json'), 400, 'validation', '/body');
    });

    it('names an unknown field instead of ignoring it', async () => {
      const body = expectProblem(await api()('POST', '/api/v1/users/invite', { email: uniqueEmail(), roleId: repRole.id, isAdmin: true }), 400, 'validation', '/body/isAdmin');
      expect(body.errors?.find((e) => e.path === '/body/isAdmin')?.message).toBe('unknown field');
    });

    it('names a missing required field', async () => {
      expectProblem(await api()('POST', '/api/v1/users/invite', { email: uniqueEmail() }), 400, 'validation', '/body/roleId');
    });

    it('does not coerce types in JSON bodies: a number for a string, or "5" for an integer, is an error naming the field', async () => {
      expectProblem(await api()('POST', '/api/v1/users/invite', { email: uniqueEmail(), roleId: repRole.id, name: 5 }), 400, 'validation', '/body/name');
      expectProblem(await api()('PATCH', `/api/v1/users/${target.userId}`, { name: 'Coerced', version: '1' }), 400, 'validation', '/body/version');
      expectProblem(await api()('PATCH', `/api/v1/users/${target.userId}`, { name: 'Coerced', version: 1.5 }), 400, 'validation', '/body/version');
      expectProblem(await api()('PATCH', `/api/v1/users/${target.userId}`, { status: true, version: 1 }), 400, 'validation', '/body/status');
      expectProblem(await api()('POST', '/api/v1/roles', { name: 'Typed', permissions: { contact: { read: 1 } } }), 400, 'validation', '/body/permissions/contact/read');
    });

    it('reports every bad field at once', async () => {
      const body = expectProblem(await api()('POST', '/api/v1/users/invite', { email: 'not-an-email', roleId: 'not-a-uuid', locale: 'de' }), 400, 'validation');
      expect(body.errors?.map((e) => e.path).sort()).toEqual(['/body/email', '/body/locale', '/body/roleId']);
    });

    it('answers values the database cannot hold with 400, not 500', async () => {
      const nul = await api()('POST', '/api/v1/users/invite', { email: uniqueEmail(), roleId: repRole.id, name: 'Null\u0000byte' });
      expectProblem(nul, 400, 'validation');
      const huge = await api()('PATCH', `/api/v1/users/${target.userId}`, { name: 'Overflow', version: 2 ** 40 });
      expectProblem(huge, 400, 'validation');
    });

    it('answers a body larger than the limit with 413 payload_too_large', async () => {
      const response = await api()('POST', '/api/v1/users/invite', { email: uniqueEmail(), roleId: repRole.id, name: 'x'.repeat(65 * 1024) });
      expectProblem(response, 413, 'payload_too_large');
    });

    it('answers a body that is not JSON with 415 unsupported_media_type', async () => {
      const form = `email=${encodeURIComponent(uniqueEmail())}&roleId=${repRole.id}`;
      expectProblem(await raw('POST', '/api/v1/users/invite', form, 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type');
      expectProblem(await raw('POST', '/api/v1/users/invite', `<invite><roleId>${repRole.id}</roleId></invite>`, 'application/xml'), 415, 'unsupported_media_type');
      expectProblem(await raw('POST', '/api/v1/users/invite', JSON.stringify({ email: uniqueEmail(), roleId: repRole.id }), 'text/plain'), 415, 'unsupported_media_type');
    });
  });

  describe('query strings', () => {
    it('answers a cursor this API did not issue with 400 bad_cursor at /query/cursor', async () => {
      expectProblem(await api()('GET', '/api/v1/users?cursor=definitely-not-a-cursor'), 400, 'bad_cursor', '/query/cursor');
      expectProblem(await api()('GET', `/api/v1/users?cursor=${cursorOf(['only one part'])}`), 400, 'bad_cursor', '/query/cursor');
      expectProblem(await api()('GET', `/api/v1/audit?cursor=${cursorOf({ at: 1 })}`), 400, 'bad_cursor', '/query/cursor');
      expectProblem(await api()('GET', '/api/v1/notifications?cursor=%E2%9C%93'), 400, 'bad_cursor', '/query/cursor');
    });

    it('answers a well-formed cursor holding values of the wrong kind with 400 bad_cursor', async () => {
      expectProblem(await api()('GET', `/api/v1/users?cursor=${cursorOf(['Ann', 'not-a-uuid'])}`), 400, 'bad_cursor', '/query/cursor');
      expectProblem(await api()('GET', `/api/v1/audit?cursor=${cursorOf(['last tuesday', '01a209ba-0fa0-7e22-806a-e925b03e7779'])}`), 400, 'bad_cursor', '/query/cursor');
      expectProblem(await api()('GET', `/api/v1/notifications?cursor=${cursorOf(['x'])}`), 400, 'bad_cursor', '/query/cursor');
      expectProblem(await api()('GET', `/api/v1/mail-outbox?cursor=${cursorOf([42])}`), 400, 'bad_cursor', '/query/cursor');
    });

    it('answers a filter that is not JSON, names an unknown field, a wrong operator and a wrong value', async () => {
      const filter = (value: unknown) => `/api/v1/users?filter=${encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value))}`;
      expectProblem(await api()('GET', filter('{"field":')), 400, 'bad_filter', '/query/filter');
      expectProblem(await api()('GET', filter({ field: 'salary', op: 'eq', value: 1 })), 400, 'bad_filter', '/query/filter/field');
      expectProblem(await api()('GET', filter({ field: 'name', op: 'gt', value: 'M' })), 400, 'bad_filter', '/query/filter/op');
      expectProblem(await api()('GET', filter({ field: 'status', op: 'eq', value: 'sleeping' })), 400, 'bad_filter', '/query/filter/value');
      expectProblem(await api()('GET', filter({ and: [{ field: 'name', op: 'eq', value: 'A' }, { field: 'roleId', op: 'in', value: ['nope'] }] })), 400, 'bad_filter', '/query/filter/and/1/value/0');
      expectProblem(await api()('GET', filter({ or: [] })), 400, 'bad_filter', '/query/filter/or');
    });

    it('never answers a filter value the database cannot read with a 500', async () => {
      const filter = (value: unknown) => `/api/v1/users?filter=${encodeURIComponent(JSON.stringify(value))}`;
      const date = await api()('GET', filter({ field: 'createdAt', op: 'gt', value: '12' }));
      expect(date.statusCode).toBe(400);
      expect(date.headers['content-type']).toContain('application/problem+json');
      const nul = await api()('GET', filter({ field: 'name', op: 'contains', value: 'a\u0000b' }));
      expect(nul.statusCode).toBe(400);
    });

    it('keeps limit between 1 and 200 (400 /query/limit)', async () => {
      expectProblem(await api()('GET', '/api/v1/users?limit=0'), 400, 'validation', '/query/limit');
      expectProblem(await api()('GET', '/api/v1/users?limit=201'), 400, 'validation', '/query/limit');
      expectProblem(await api()('GET', '/api/v1/users?limit=ten'), 400, 'validation', '/query/limit');
      expectProblem(await api()('GET', '/api/v1/audit?limit=-1'), 400, 'validation', '/query/limit');
      expect((await api()('GET', '/api/v1/users?limit=200')).statusCode).toBe(200);
    });

    it('names an unknown query parameter', async () => {
      expectProblem(await api()('GET', '/api/v1/users?sort=name'), 400, 'validation', '/query/sort');
    });
  });

  describe('paths and headers', () => {
    it('answers an id that is not a UUID with 400 at /params/id', async () => {
      expectProblem(await api()('GET', '/api/v1/users/42'), 400, 'validation', '/params/id');
      expectProblem(await api()('PATCH', '/api/v1/users/42', { name: 'x', version: 1 }), 400, 'validation', '/params/id');
      expectProblem(await api()('DELETE', "/api/v1/teams/1'%20OR%201=1"), 400, 'validation', '/params/id');
    });

    it('answers an If-Match that is not a version with 400 at /headers/if-match', async () => {
      expectProblem(await api()('PATCH', `/api/v1/users/${target.userId}`, { name: 'x' }, { 'if-match': 'yesterday' }), 400, 'validation', '/headers/if-match');
    });

    it('answers an unknown API route with a 404 problem', async () => {
      expectProblem(await api()('GET', '/api/v1/nothing-here'), 404, 'not_found');
    });
  });
});
