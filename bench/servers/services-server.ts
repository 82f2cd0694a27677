/**
 * Child process, diagnostic side of `api-overhead`: a bare Fastify app (no plugins, hooks or schemas) calling
 * Rapport's own services for GET /api/v1/auth/me: `auth.resolveSession` + `auth.me` over Kysely. Between the
 * ceiling (raw SQL) and Rapport (full plugin chain) it splits the overhead into data layer and HTTP layer.
 * GET /__statements runs resolveSession + me once more and answers the SQL they ran (compiled by Kysely),
 * which the benchmark compares with the ceiling's statements.
 * Config: BENCH_SERVICES_ENV = { "port": number, "target": DatabaseTarget }.
 */
import Fastify from 'fastify';
import { systemClock } from '../../packages/server/src/infra/clock.js';
import { openDatabase, type DatabaseTarget } from '../../packages/server/src/infra/db.js';
import { loadConfig } from '../../packages/server/src/infra/config.js';
import { createLogger } from '../../packages/server/src/infra/logger.js';
import { createServices } from '../../packages/server/src/services.js';
import { serveChild } from './child-server.js';

const { port, target } = JSON.parse(process.env.BENCH_SERVICES_ENV ?? '{}') as { port: number; target: DatabaseTarget };
const database = await openDatabase(target);
const config = loadConfig({ LOG_LEVEL: 'warn' });
const serviceDeps = { clock: systemClock, config, logger: createLogger('warn'), transport: undefined, mailFrom: config.mailFrom };
const services = createServices({ db: database.db, ...serviceDeps });

// A second set of services over a Kysely instance that records each statement's SQL (only for /__statements).
let captured: string[] = [];
const capturingDb = database.db.withPlugin({
  transformQuery(args) {
    captured.push(database.db.getExecutor().compileQuery(args.node, args.queryId).sql);
    return args.node;
  },
  transformResult: async (args) => args.result,
});
const capturingServices = createServices({ db: capturingDb, ...serviceDeps });

function sessionToken(cookieHeader: string | undefined): string | undefined {
  const match = cookieHeader ? /(?:^|;\s*)rapport_session=([^;]+)/.exec(cookieHeader) : null;
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

const app = Fastify({ logger: false });
app.get('/api/v1/auth/me', async (request, reply) => {
  const token = sessionToken(request.headers.cookie);
  const principal = token ? await services.auth.resolveSession(token) : undefined;
  if (!principal) return reply.status(401).send({ title: 'unauthenticated' });
  return services.auth.me(principal);
});
app.get('/__statements', async (request, reply) => {
  const token = sessionToken(request.headers.cookie);
  if (!token) return reply.status(401).send({ title: 'unauthenticated' });
  captured = [];
  const principal = await capturingServices.auth.resolveSession(token);
  if (principal) await capturingServices.auth.me(principal);
  return captured;
});
await serveChild(app, port, () => database.close());
