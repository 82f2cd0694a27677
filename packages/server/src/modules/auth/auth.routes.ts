import { AcceptInviteBody, InviteInfo, LoginBody, Me, PasswordResetRequest, SetupBody, SetupStatus, TokenPasswordBody, UpdateProfileBody, User } from '@rapport/shared';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, metaOf, SESSION_COOKIE } from '../../http/access.js';
import type { App } from '../../http/app-types.js';
import type { Services } from '../../services.js';
import type { SessionTokens } from './auth.service.js';

const TAG = { tags: ['auth'] };
// Brute force and mail-bombing guard on the public forms; lockout per account is enforced in the service.
const PUBLIC_FORM_LIMIT = { max: 10, timeWindow: '1 minute' };
const SessionAnswer = Type.Object({ csrfToken: Type.String() });

export function authRoutes(app: App, services: Services, options: { secureCookies: boolean }): void {
  const setCookie = (reply: FastifyReply, tokens: SessionTokens) => {
    reply.setCookie(SESSION_COOKIE, tokens.token, { httpOnly: true, sameSite: 'lax', path: '/', secure: options.secureCookies, maxAge: 14 * 24 * 3600 });
    return { csrfToken: tokens.csrfToken };
  };

  app.get('/api/v1/setup', { config: { access: { public: 'the first-run screen asks whether to show itself' } }, schema: { ...TAG, response: { 200: SetupStatus } } }, () => services.setup.status());

  app.post(
    '/api/v1/setup',
    { config: { access: { public: 'creates the first workspace; refused once one exists' }, rateLimit: PUBLIC_FORM_LIMIT }, schema: { ...TAG, body: SetupBody, response: { 201: SessionAnswer } } },
    async (request, reply) => {
      const tokens = await services.setup.setup({ ...request.body, locale: request.body.locale ?? 'en' }, metaOf(request));
      return reply.status(201).send(setCookie(reply, tokens));
    },
  );

  app.post(
    '/api/v1/auth/login',
    { config: { access: { public: 'signing in' }, rateLimit: PUBLIC_FORM_LIMIT }, schema: { ...TAG, body: LoginBody, response: { 200: SessionAnswer } } },
    async (request, reply) => {
      const tokens = await services.auth.login(request.body.email, request.body.password, { ...metaOf(request), previousToken: request.cookies[SESSION_COOKIE] });
      return setCookie(reply, tokens);
    },
  );

  app.post('/api/v1/auth/logout', { config: { access: 'authenticated' }, schema: { ...TAG, response: { 204: Type.Null() } } }, async (request, reply) => {
    await services.auth.logout(request.principal!, metaOf(request));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/api/v1/auth/me', { config: { access: 'authenticated' }, schema: { ...TAG, response: { 200: Me } } }, (request) => services.auth.me(request.principal!));

  app.patch('/api/v1/auth/me', { config: { access: 'authenticated' }, schema: { ...TAG, body: UpdateProfileBody, response: { 200: User } } }, (request) =>
    services.user.updateProfile(ctxOf(request), request.body),
  );

  app.post(
    '/api/v1/auth/password-reset',
    { config: { access: { public: 'forgotten password; answers the same whether or not the address exists' }, rateLimit: PUBLIC_FORM_LIMIT }, schema: { ...TAG, body: PasswordResetRequest, response: { 202: Type.Null() } } },
    async (request, reply) => {
      await services.user.requestPasswordReset(request.body.email, metaOf(request));
      return reply.status(202).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password-reset/confirm',
    { config: { access: { public: 'holder of an e-mailed reset token' }, rateLimit: PUBLIC_FORM_LIMIT }, schema: { ...TAG, body: TokenPasswordBody, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await services.auth.resetPassword(request.body.token, request.body.password, metaOf(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/invite',
    {
      config: { access: { public: 'holder of an e-mailed invitation token' }, rateLimit: PUBLIC_FORM_LIMIT },
      schema: { ...TAG, querystring: Type.Object({ token: Type.String({ minLength: 20, maxLength: 200 }) }, { additionalProperties: false }), response: { 200: InviteInfo } },
    },
    (request) => services.auth.describeInvite(request.query.token),
  );

  app.post(
    '/api/v1/auth/invite/accept',
    { config: { access: { public: 'holder of an e-mailed invitation token' }, rateLimit: PUBLIC_FORM_LIMIT }, schema: { ...TAG, body: AcceptInviteBody, response: { 200: SessionAnswer } } },
    async (request, reply) => setCookie(reply, await services.auth.acceptInvite(request.body, metaOf(request))),
  );
}
