import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, setupWorkspace, waitFor, type Session } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/test-app.js';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
}

describe('operations endpoints', () => {
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
  });
  afterAll(() => t.close());

  it('answers /health with 200 and status ok while the database is reachable', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('exposes Prometheus metrics including the request-duration histogram by route', async () => {
    await t.app.inject({ method: 'GET', url: '/health' });
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('# TYPE rapport_http_request_duration_seconds histogram');
    expect(response.body).toMatch(/rapport_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} [1-9]/);
    expect(response.body).toContain('process_cpu_user_seconds_total');
  });

  it('serves an OpenAPI 3.1 description of the API', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json<OpenApiDocument>();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.paths['/api/v1/users']).toHaveProperty('get');
    expect(doc.paths['/api/v1/auth/login']).toHaveProperty('post');
    expect(doc.paths['/api/v1/users/{id}']).toHaveProperty('patch');
  });

  it('sends security headers on a normal API answer', async () => {
    const response = await as(t, admin)('GET', '/api/v1/auth/me');
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const csp = String(response.headers['content-security-policy'] ?? '');
    expect(csp).toContain("default-src 'self'");
    const framing = response.headers['x-frame-options'] !== undefined || /frame-ancestors/.test(csp);
    expect(framing).toBe(true);
    expect(response.headers['strict-transport-security']).toBeDefined();
  });

  it('does not answer cross-origin requests with CORS headers (CORS is off by default)', async () => {
    const simple = await t.app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } });
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    expect(simple.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/users/invite',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-csrf-token' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('gives every answer a request id, and problems carry the same one', async () => {
    const ok = await t.app.inject({ method: 'GET', url: '/health' });
    const problem = await t.app.inject({ method: 'GET', url: '/api/v1/users' });
    expect(ok.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(problem.statusCode).toBe(401);
    expect(problem.json<{ requestId: string }>().requestId).toBe(problem.headers['x-request-id']);
    expect(problem.headers['x-request-id']).not.toBe(ok.headers['x-request-id']);
  });

  it('keeps serving when the database closes idle connections (restart, pooler timeout, administrator)', async () => {
    // Fill the pool with idle connections, then have the server end all of them but the one asking.
    await Promise.all(Array.from({ length: 8 }, () => as(t, admin)('GET', '/api/v1/users')));
    const others = 'FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()';
    await t.database.executeSql(`SELECT pg_terminate_backend(pid) ${others}`);
    await waitFor(async () => (await t.database.executeSql(`SELECT count(*)::int AS n ${others}`)).rows[0]!.n === 0, { what: 'the connections to be gone' });
    // Requests that draw a dead connection fail with a problem document; the process must not crash, and the pool
    // replaces the dead connections, so all requests soon succeed again.
    await waitFor(
      async () => {
        const results = await Promise.all(Array.from({ length: 8 }, () => as(t, admin)('GET', '/api/v1/users')));
        for (const result of results) expect(result.headers['content-type']).toMatch(/^application\/(problem\+)?json/);
        return results.every((r) => r.statusCode === 200);
      },
      { what: 'every request to succeed again' },
    );
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('does not trust a request id sent by the client', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'forged-id' } });
    expect(response.headers['x-request-id']).not.toBe('forged-id');
  });
});
