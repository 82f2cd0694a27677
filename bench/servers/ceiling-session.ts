/**
 * The session lookup every authenticated Rapport request starts with, as bare SQL for the ceiling servers:
 * session.repository.ts findSessionPrincipal (+ touchSession when the session was last seen > 5 min ago).
 * Benchmarks compare these statements with the ones Rapport runs and flag drift.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteGenericInterface } from 'fastify';
import { sha256 } from '../../packages/server/src/infra/crypto.js';
import { PREPARED, type Database } from '../../packages/server/src/infra/db.js';

const SESSION_TOUCH_MS = 5 * 60_000;
const SESSION_IDLE_MS = 14 * 24 * 3600_000;

export const SESSION_SQL = {
  principal: `${PREPARED}
    SELECT s.id, s.csrf_token, s.expires_at, s.last_seen_at,
           u.workspace_id, u.id AS user_id, u.name, u.email, u.locale, u.role_id, u.team_id,
           r.permissions, r.field_rules, tree.ids AS team_tree
    FROM session s
    JOIN app_user u ON u.workspace_id = s.workspace_id AND u.id = s.user_id AND u.deleted_at IS NULL AND u.status = 'active'
    JOIN role r ON r.workspace_id = u.workspace_id AND r.id = u.role_id AND r.deleted_at IS NULL
    LEFT JOIN LATERAL (
      WITH RECURSIVE sub (id) AS (
        SELECT t.id FROM team t WHERE t.workspace_id = u.workspace_id AND t.id = u.team_id AND t.deleted_at IS NULL
        UNION
        SELECT c.id FROM team c JOIN sub ON c.parent_id = sub.id WHERE c.workspace_id = u.workspace_id AND c.deleted_at IS NULL
      )
      SELECT array_agg(sub.id) AS ids FROM sub
    ) tree ON true
    WHERE s.id = $1`,
  touch: 'update "session" set "last_seen_at" = $1, "expires_at" = $2 where "id" = $3',
};

export type Row = Record<string, unknown>;

/** Runs SQL and remembers the statement text (for the drift check). */
export interface Recorder {
  statements: string[];
  query(text: string, values: unknown[]): Promise<Row[]>;
}

export function recorder(database: Database): Recorder {
  const statements: string[] = [];
  return {
    statements,
    async query(text, values) {
      statements.push(text);
      return (await database.executeSql(text, values)).rows;
    },
  };
}

export function sessionToken(cookieHeader: string | undefined): string | undefined {
  const match = cookieHeader ? /(?:^|;\s*)rapport_session=([^;]+)/.exec(cookieHeader) : null;
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/** The signed-in principal's row (user, role, team subtree), or undefined when the session is unknown or expired. */
export async function sessionPrincipal(db: Recorder, cookieHeader: string | undefined): Promise<Row | undefined> {
  const token = sessionToken(cookieHeader);
  if (!token) return undefined;
  const id = sha256(token);
  const principal = (await db.query(SESSION_SQL.principal, [id]))[0];
  const now = new Date();
  if (!principal || (principal.expires_at as Date) <= now) return undefined;
  if (now.getTime() - (principal.last_seen_at as Date).getTime() > SESSION_TOUCH_MS) await db.query(SESSION_SQL.touch, [now, new Date(now.getTime() + SESSION_IDLE_MS), id]);
  return principal;
}

/**
 * A ceiling's authenticated GET routes: each request resolves the session, runs `work` and keeps its statements, which
 * GET /__statements answers (the last request's) for the drift check; `work` answering undefined is a 404.
 */
export function statementRoutes(app: FastifyInstance, database: Database) {
  let lastStatements: string[] = [];
  app.get('/__statements', () => lastStatements);
  return function route<R extends RouteGenericInterface>(work: (db: Recorder, principal: Row, request: FastifyRequest<R>) => Promise<unknown>) {
    return async (request: FastifyRequest<R>, reply: FastifyReply) => {
      const db = recorder(database);
      try {
        const principal = await sessionPrincipal(db, request.headers.cookie);
        if (!principal) return reply.status(401).send({ title: 'unauthenticated' });
        return (await work(db, principal, request)) ?? reply.status(404).send({ title: 'not found' });
      } finally {
        lastStatements = db.statements;
      }
    };
  };
}
