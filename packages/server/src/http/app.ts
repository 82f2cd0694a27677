import { activityRoutes } from '../modules/activity/activity.routes.js';
import { rotationRoutes } from '../modules/rotation/rotation.routes.js';
import { calendarRoutes } from '../modules/calendar/calendar.routes.js';
import { clientRecordRoutes } from '../modules/client-record/client-record.routes.js';
import { customFieldRoutes } from '../modules/custom-field/custom-field.routes.js';
import { savedViewRoutes } from '../modules/saved-view/saved-view.routes.js';
import { timelineRoutes } from '../modules/timeline/timeline.routes.js';
import { taskRoutes } from '../modules/task/task.routes.js';
import { attachmentRoutes } from '../modules/attachment/attachment.routes.js';
import { pipelineRoutes } from '../modules/pipeline/pipeline.routes.js';
import { productRoutes } from '../modules/product/product.routes.js';
import { priceListRoutes } from '../modules/price-list/price-list.routes.js';
import { workspaceRoutes } from '../modules/workspace/workspace.routes.js';
import { documentRoutes } from '../modules/document/document.routes.js';
import { dealRoutes } from '../modules/deal/deal.routes.js';
import { dealItemRoutes } from '../modules/deal/deal-item.routes.js';
import { reportRoutes } from '../modules/report/report.routes.js';
import { automationRoutes } from '../modules/automation/automation.routes.js';
import { processRoutes } from '../modules/process/process.routes.js';
import { importRoutes } from '../modules/import/import.routes.js';
import { exportRoutes } from '../modules/export/export.routes.js';
import { dataQualityRoutes } from '../modules/data-quality/data-quality.routes.js';
import { webFormRoutes } from '../modules/web-form/web-form.routes.js';
import { leadDistributionRoutes } from '../modules/lead-distribution/lead-distribution.routes.js';
import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import type { Config } from '../infra/config.js';
import type { Db } from '../infra/db.js';
import { newId } from '../infra/ids.js';
import type { Logger } from '../infra/logger.js';
import type { RealtimeBus } from '../infra/realtime.js';
import { apiKeyRoutes } from '../modules/api-key/api-key.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { mailRoutes } from '../modules/mail/mail.routes.js';
import { notificationRoutes } from '../modules/notification/notification.routes.js';
import { roleRoutes } from '../modules/role/role.routes.js';
import { teamRoutes } from '../modules/team/team.routes.js';
import { userRoutes } from '../modules/user/user.routes.js';
import type { Services } from '../services.js';
import { registerAccess, type Access } from './access.js';
import type { App } from './app-types.js';
import { registerIdempotency } from './idempotency.js';
import { opsRoutes } from './ops.routes.js';
import { registerProblemHandler, sendProblem } from './problem.js';
import { realtimeRoutes } from './realtime.routes.js';
import { validatorCompiler } from './validation.js';

export interface HttpDeps {
  config: Pick<Config, 'bodyLimit' | 'corsOrigins' | 'metricsToken' | 'webDist' | 'secureCookies'>;
  db: Db;
  services: Services;
  bus: RealtimeBus;
  logger: Logger | false;
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access | undefined;
}

/** Builds the HTTP app; `routes` lists every registered route with its access rule (the route-walk test reads it). */
export async function buildHttpApp(deps: HttpDeps): Promise<{ app: App; routes: RouteAccess[] }> {
  const options: FastifyServerOptions = {
    bodyLimit: deps.config.bodyLimit,
    genReqId: () => newId(),
    requestIdHeader: false,
    trustProxy: process.env.TRUST_PROXY === 'true',
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
  };
  const app = Fastify(options).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  app.setValidatorCompiler(validatorCompiler);
  // The API speaks JSON only; Fastify's built-in text/plain parser made a plain-text body a confusing 400 instead of a 415.
  app.removeContentTypeParser('text/plain');
  registerProblemHandler(app);

  const routes: RouteAccess[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...route.config, access: { public: 'rendered API documentation' } };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (method !== 'HEAD') routes.push({ method, url: route.url, access: route.config?.access });
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], scriptSrc: ["'self'"], connectSrc: ["'self'"] },
    },
  });
  if (deps.config.corsOrigins.length > 0) await app.register(fastifyCors, { origin: deps.config.corsOrigins, credentials: true });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Rapport API', version: '1', description: 'CRM + BPM. Errors are RFC 9457 problem+json; lists use cursor pagination.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'rapport_session' }, apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ session: [] }, { apiKey: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  registerAccess(app, deps.services.auth);
  registerIdempotency(app, deps.db);

  app.get('/api/openapi.json', { config: { access: { public: 'the API description' } }, schema: { hide: true } }, () => app.swagger());
  authRoutes(app, deps.services, { secureCookies: deps.config.secureCookies });
  userRoutes(app, deps.services);
  teamRoutes(app, deps.services);
  roleRoutes(app, deps.services);
  apiKeyRoutes(app, deps.services);
  auditRoutes(app, deps.services);
  notificationRoutes(app, deps.services);
  mailRoutes(app, deps.services);
  customFieldRoutes(app, deps.services);
  clientRecordRoutes(app, deps.services);
  dealRoutes(app, deps.services);
  dealItemRoutes(app, deps.services);
  reportRoutes(app, deps.services);
  timelineRoutes(app, deps.services);
  activityRoutes(app, deps.services);
  rotationRoutes(app, deps.services);
  calendarRoutes(app, deps.services);
  savedViewRoutes(app, deps.services);
  taskRoutes(app, deps.services);
  attachmentRoutes(app, deps.services);
  pipelineRoutes(app, deps.services);
  productRoutes(app, deps.services);
  priceListRoutes(app, deps.services);
  workspaceRoutes(app, deps.services);
  documentRoutes(app, deps.services);
  webFormRoutes(app, deps.services);
  leadDistributionRoutes(app, deps.services);
  importRoutes(app, deps.services);
  exportRoutes(app, deps.services);
  dataQualityRoutes(app, deps.services);
  automationRoutes(app, deps.services);
  processRoutes(app, deps.services);
  realtimeRoutes(app, deps.bus);
  opsRoutes(app, deps.db, deps.config.metricsToken);

  const indexHtml = path.join(deps.config.webDist, 'index.html');
  if (fs.existsSync(indexHtml)) {
    await app.register(fastifyStatic, { root: deps.config.webDist, wildcard: false, index: false });
  }
  app.setNotFoundHandler((request, reply) => {
    // The web app routes in the browser: any other GET outside /api gets its page. A missing build asset stays a 404,
    // or a stale browser tab would run HTML as a script.
    if (request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.startsWith('/assets/') && fs.existsSync(indexHtml)) {
      return reply.type('text/html').header('cache-control', 'no-cache').send(fs.createReadStream(indexHtml));
    }
    return sendProblem(reply, request, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}`);
  });

  return { app, routes };
}
