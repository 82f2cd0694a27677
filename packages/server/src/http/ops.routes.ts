import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { Type } from 'typebox';
import { safeEqual } from '../infra/crypto.js';
import { ping, type Db } from '../infra/db.js';
import type { App } from './app-types.js';
import { sendProblem } from './problem.js';

/** /health for load balancers and /metrics for Prometheus. */
export function opsRoutes(app: App, db: Db, metricsToken: string | undefined): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'rapport_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route) duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get(
    '/health',
    { config: { access: { public: 'load balancer health check' } }, schema: { tags: ['ops'], response: { 200: Type.Object({ status: Type.String(), database: Type.String() }), 503: Type.Object({ status: Type.String(), database: Type.String() }) } } },
    async (_request, reply) => {
      try {
        await ping(db);
        return { status: 'ok', database: 'ok' };
      } catch {
        return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
      }
    },
  );

  app.get('/metrics', { config: { access: { public: 'Prometheus scrape; set METRICS_TOKEN to require a bearer token' } }, schema: { tags: ['ops'] } }, async (request, reply) => {
    if (metricsToken && !safeEqual(request.headers.authorization ?? '', `Bearer ${metricsToken}`)) return sendProblem(reply, request, 'unauthenticated', 'Send the metrics bearer token');
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
