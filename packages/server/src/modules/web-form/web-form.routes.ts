import { LeadIntakeBody, LeadIntakeResult, Page, PageQuery, PublicWebForm, WebForm, WebFormBody, WebFormSubmission, WebFormSubmissionAnswer, WebFormSubmissionBody, WebFormUpdateBody } from '@rapport/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/app-error.js';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, NoContent, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';
import { EMBED_SCRIPT } from './web-form-embed.js';
import { originAllowed } from './web-form.service.js';

const TAG = { tags: ['web forms'] };
const ADMIN = { access: { object: 'settings', action: 'update' } } as const;
/** A person sends a form a few times at most; more from one address is a script. The per-form cap guards against floods from many addresses. */
const PER_ADDRESS = { max: 10, timeWindow: 60_000 };
const PER_FORM = { max: 300, timeWindow: 60_000 };
const URLENCODED_LIMIT = 64 * 1024;

export function webFormRoutes(app: App, services: Services): void {
  app.get('/api/v1/web-forms', { config: ADMIN, schema: { ...TAG, response: { 200: Type.Object({ items: Type.Array(WebForm) }) } } }, async (request) => ({ items: await services.webForm.list(ctxOf(request)) }));

  app.get('/api/v1/web-forms/:id', { config: ADMIN, schema: { ...TAG, params: IdParams, response: { 200: WebForm } } }, (request) => services.webForm.get(ctxOf(request), request.params.id));

  app.post('/api/v1/web-forms', { config: ADMIN, schema: { ...TAG, body: WebFormBody, response: { 201: WebForm } } }, async (request, reply) => reply.status(201).send(await services.webForm.create(ctxOf(request), request.body)));

  app.patch('/api/v1/web-forms/:id', { config: ADMIN, schema: { ...TAG, params: IdParams, body: WebFormUpdateBody, response: { 200: WebForm } } }, (request) => {
    const { version, ...patch } = request.body;
    return services.webForm.update(ctxOf(request), request.params.id, patch, expectedVersion(request, version));
  });

  app.delete('/api/v1/web-forms/:id', { config: ADMIN, schema: { ...TAG, params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await services.webForm.remove(ctxOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/web-forms/:id/submissions', { config: ADMIN, schema: { ...TAG, params: IdParams, querystring: PageQuery, response: { 200: Page(WebFormSubmission) } } }, (request) =>
    services.webForm.submissions(ctxOf(request), request.params.id, request.query),
  );

  // Other channels (chat bots, call tracking) hand in leads under a form's rules with an API key.
  app.post('/api/v1/leads/intake', { config: { access: { object: 'lead', action: 'create' } }, schema: { ...TAG, body: LeadIntakeBody, response: { 201: LeadIntakeResult } } }, async (request, reply) =>
    reply.status(201).send(await services.webForm.intake(ctxOf(request), request.body)),
  );

  app.get('/embed/forms.js', { config: { access: { public: 'the script websites embed to show a form' } }, schema: { hide: true } }, (_request, reply) =>
    reply.header('cross-origin-resource-policy', 'cross-origin').header('cache-control', 'public, max-age=300').type('text/javascript; charset=utf-8').send(EMBED_SCRIPT),
  );

  const perAddress = app.createRateLimit({ ...PER_ADDRESS, keyGenerator: (request) => `web-form|${request.ip}|${(request.params as { id: string }).id}` });
  const perForm = app.createRateLimit({ ...PER_FORM, keyGenerator: (request) => `web-form|${(request.params as { id: string }).id}` });
  /** 429 with Retry-After once either limit is passed; the count goes on even for refused requests. */
  const limit = async (request: FastifyRequest, reply: FastifyReply) => {
    for (const limiter of [perAddress, perForm]) {
      const result = await limiter(request);
      if (!result.isAllowed && result.isExceeded) {
        // The limit says nothing about the form, so any page may read it and tell its visitor to wait.
        if (request.headers.origin) reply.header('access-control-allow-origin', request.headers.origin);
        reply.header('retry-after', String(result.ttlInSeconds));
        throw new AppError('rate_limited', { message: `Too many submissions; try again in ${result.ttlInSeconds} s` });
      }
    }
  };

  /** CORS by the form's own list: its pages may read the answer; a page from elsewhere is refused. */
  const cors = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const origin = request.headers.origin;
    const allowed = await services.webForm.allowedOrigins(request.params.id);
    if (!originAllowed(allowed, origin)) throw new AppError('forbidden', { message: 'This site may not send this form' });
    reply.header('cross-origin-resource-policy', 'cross-origin').header('vary', 'origin');
    if (origin) reply.header('access-control-allow-origin', origin);
  };

  const Params = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

  app.get('/api/v1/public/forms/:id', { config: { access: { public: 'the embed script reads the form it draws' } }, schema: { ...TAG, params: Params, response: { 200: PublicWebForm } } }, async (request, reply) => {
    await cors(request, reply);
    return services.webForm.publicForm(request.params.id);
  });

  app.options('/api/v1/public/forms/:id/submissions', { config: { access: { public: 'CORS preflight of a form submission' } }, schema: { hide: true, params: Params } }, async (request, reply) => {
    await cors(request, reply);
    return reply.header('access-control-allow-methods', 'POST').header('access-control-allow-headers', 'content-type').header('access-control-max-age', '600').status(204).send();
  });

  // A plain HTML form posts form-encoded text; only this route reads it (the rest of the API stays JSON-only).
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: URLENCODED_LIMIT }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    (scope as unknown as App).post(
      '/api/v1/public/forms/:id/submissions',
      { config: { access: { public: 'website visitors send the form; honeypot and rate limits guard it' } }, onRequest: limit, schema: { ...TAG, params: Params, body: WebFormSubmissionBody, response: { 200: WebFormSubmissionAnswer } } },
      async (request, reply) => {
        await cors(request, reply);
        return services.webForm.submit(request.params.id, request.body, { ip: request.ip, requestId: request.id });
      },
    );
  });
}
