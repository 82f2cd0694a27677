import { scopeOf, type PermissionAction, type PermissionObject } from '@rapport/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../core/app-error.js';
import type { Ctx } from '../core/context.js';
import { safeEqual } from '../infra/crypto.js';
import type { AuthService, Principal } from '../modules/auth/auth.service.js';
import { sendProblem } from './problem.js';

/**
 * Every route states who may call it. `public` carries the reason it is open; routes without
 * an access rule are refused (and a test walks all routes to make sure none is missing).
 */
export type Access = { public: string } | 'authenticated' | { object: PermissionObject; action: PermissionAction };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const SESSION_COOKIE = 'rapport_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function registerAccess(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) {
      // Static files and the SPA fallback are not API routes; anything under /api must declare its access.
      if (request.url.startsWith('/api/') && request.routeOptions.url !== undefined) return sendProblem(reply, request, 'forbidden', 'This route declares no access rule');
      return;
    }
    if (typeof access === 'object' && 'public' in access) return;
    const principal = await resolvePrincipal(request, auth);
    if (!principal) return sendProblem(reply, request, 'unauthenticated', 'Sign in or send an API key');
    if (principal.session && UNSAFE.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, principal.session.csrfToken)) return sendProblem(reply, request, 'csrf', 'Send the X-CSRF-Token header from /api/v1/auth/me');
    }
    if (typeof access === 'object' && scopeOf(principal.actor.permissions, access.object, access.action) === 'none') {
      return sendProblem(reply, request, 'forbidden', `Your role does not allow ${access.action} on ${access.object}`);
    }
    request.principal = principal;
  });
}

async function resolvePrincipal(request: FastifyRequest, auth: AuthService): Promise<Principal | undefined> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return auth.resolveApiKey(header.slice('Bearer '.length).trim());
  const token = request.cookies[SESSION_COOKIE];
  return token ? auth.resolveSession(token) : undefined;
}

/** The acting user and request metadata for a service call. */
export function ctxOf(request: FastifyRequest): Ctx {
  if (!request.principal) throw new AppError('unauthenticated');
  return { actor: request.principal.actor, meta: metaOf(request) };
}

export function metaOf(request: FastifyRequest): { ip: string | null; requestId: string; userAgent: string | null } {
  return { ip: request.ip, requestId: request.id, userAgent: request.headers['user-agent'] ?? null };
}

/** The version a write is based on: the If-Match header (ETag form) or the body's `version`. */
export function expectedVersion(request: FastifyRequest, bodyVersion: number | undefined): number | undefined {
  const header = request.headers['if-match'];
  if (typeof header === 'string') {
    const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
    if (!match) throw new AppError('validation', { errors: [{ path: '/headers/if-match', message: 'expected a version such as "3"' }] });
    return Number(match[1]);
  }
  return bodyVersion;
}
