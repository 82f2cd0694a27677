import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';

// Every route that is open to anonymous callers, with nothing else slipping in unnoticed.
const PUBLIC_ROUTES = [
  'GET /api/v1/setup',
  'POST /api/v1/setup',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/password-reset',
  'POST /api/v1/auth/password-reset/confirm',
  'GET /api/v1/auth/invite',
  'POST /api/v1/auth/invite/accept',
  'GET /api/openapi.json',
  'GET /health',
  'GET /metrics',
  // A user's private calendar feed: the secret token in the address is the credential.
  'GET /ical/:token.ics',
  // Lead capture: websites draw and send web forms (honeypot, rate limits and the form's allowed origins guard them).
  'GET /embed/forms.js',
  'GET /api/v1/public/forms/:id',
  'OPTIONS /api/v1/public/forms/:id/submissions',
  'POST /api/v1/public/forms/:id/submissions',
];

describe('route access', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('gives every registered route an access rule', () => {
    const missing = t.routes.filter((route) => route.access === undefined).map((route) => `${route.method} ${route.url}`);
    expect(missing).toEqual([]);
  });

  it('opens only the known public routes (plus the rendered API docs)', () => {
    const open = t.routes
      .filter((route) => typeof route.access === 'object' && 'public' in route.access && !route.url.startsWith('/api/docs'))
      .map((route) => `${route.method} ${route.url}`)
      .sort();
    expect(open).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('answers 401 problem+json to every protected route called without credentials', async () => {
    const protectedRoutes = t.routes.filter((route) => !(typeof route.access === 'object' && 'public' in route.access));
    expect(protectedRoutes.length).toBeGreaterThan(15);
    for (const route of protectedRoutes) {
      const url = route.url.replace(/:id\b/g, '00000000-0000-7000-8000-000000000000');
      const response = await t.app.inject({ method: route.method as 'GET', url, payload: route.method === 'GET' ? undefined : {} });
      expect({ route: `${route.method} ${route.url}`, status: response.statusCode }).toEqual({ route: `${route.method} ${route.url}`, status: 401 });
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });
});
