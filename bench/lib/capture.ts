import type { Ctx } from '../../packages/server/src/core/context.js';
import { systemClock } from '../../packages/server/src/infra/clock.js';
import { loadConfig } from '../../packages/server/src/infra/config.js';
import { openDatabase, type DatabaseTarget } from '../../packages/server/src/infra/db.js';
import { createLogger } from '../../packages/server/src/infra/logger.js';
import { createServices, type Services } from '../../packages/server/src/services.js';

export const normalizeSql = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Transaction control is not a query Kysely compiles; the ceilings record it, the comparison ignores it. */
export const isTransactionControl = (text: string) => /^(begin|commit|rollback)$/i.test(normalizeSql(text));

export interface StatementCapture {
  /** Rapport's services over a Kysely instance that records the SQL of every statement it compiles. */
  services: Services;
  /** The request context of a signed-in session, resolved like the access hook does (its statements count). */
  ctx(sessionToken: string): Promise<Ctx>;
  /** Runs `work` and answers the statements it ran, whitespace collapsed. */
  record(work: () => Promise<unknown>): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The ceilings' SQL is copied by hand; this tells what Rapport really runs for a request, so each run can check the
 * copy (as services-server.ts does for api-overhead). It calls the services a route calls, in this process, on the
 * benchmark's database (on PGlite, on a copy: a data directory has one owner at a time).
 */
export async function openStatementCapture(target: DatabaseTarget): Promise<StatementCapture> {
  const database = await openDatabase(target.kind === 'postgres' ? { ...target, max: 2 } : target);
  let captured: string[] = [];
  const db = database.db.withPlugin({
    transformQuery(args) {
      captured.push(normalizeSql(database.db.getExecutor().compileQuery(args.node, args.queryId).sql));
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  const config = loadConfig({ LOG_LEVEL: 'warn' });
  const services = createServices({ db, clock: systemClock, config, logger: createLogger('warn'), transport: undefined, mailFrom: config.mailFrom });
  return {
    services,
    async ctx(sessionToken) {
      const principal = await services.auth.resolveSession(sessionToken);
      if (!principal) throw new Error('the benchmark session does not resolve');
      return { actor: principal.actor, meta: { ip: '127.0.0.1', requestId: 'bench-capture' } };
    },
    async record(work) {
      captured = [];
      await work();
      return captured;
    },
    close: () => database.close(),
  };
}
