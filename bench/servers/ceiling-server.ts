/**
 * Child process: the ceiling for `api-overhead`: a bare Fastify app (no plugins, hooks or schemas) running
 * the statements GET /api/v1/auth/me runs in Rapport, through `openDatabase(...).executeSql` (pg.Pool on
 * PostgreSQL, the PGlite pg-pool path on the embedded backend), and answering the same JSON.
 *
 * The SQL is copied from Rapport's repositories (session.repository.ts findSessionPrincipal, kept in
 * ceiling-session.ts, + findMeView as Kysely compiles it). The benchmark compares it with the statements Rapport
 * actually runs (captured through services-server.ts) and flags the result when they drift apart: then update the SQL.
 *
 * GET /__statements answers the statements the last /me request ran.
 * Config: BENCH_CEILING_ENV = { "port": number, "target": DatabaseTarget }.
 */
import { effectiveEmailPrefs, type NotifyEmailPrefs } from '@rapport/shared';
import Fastify from 'fastify';
import { sha256 } from '../../packages/server/src/infra/crypto.js';
import { openDatabase, type Database, type DatabaseTarget } from '../../packages/server/src/infra/db.js';
import { SESSION_SQL } from './ceiling-session.js';
import { serveChild } from './child-server.js';

const { port, target } = JSON.parse(process.env.BENCH_CEILING_ENV ?? '{}') as { port: number; target: DatabaseTarget };
const SESSION_TOUCH_MS = 5 * 60_000;
const SESSION_IDLE_MS = 14 * 24 * 3600_000;

const SQL = {
  ...SESSION_SQL,
  meView:
    'select "u"."email", "u"."locale", "u"."notify_email", "r"."name" as "role_name", "t"."name" as "team_name", "w"."id" as "workspace_id", "w"."name" as "workspace_name", "w"."currency", "w"."timezone" ' +
    'from "app_user" as "u" inner join "workspace" as "w" on "w"."id" = "u"."workspace_id" ' +
    'inner join "role" as "r" on "r"."workspace_id" = "u"."workspace_id" and "r"."id" = "u"."role_id" ' +
    'left join "team" as "t" on "t"."workspace_id" = "u"."workspace_id" and "t"."id" = "u"."team_id" ' +
    'where "u"."workspace_id" = $1 and "u"."id" = $2',
};

type Row = Record<string, unknown>;
let lastStatements: string[] = [];

function sessionToken(cookieHeader: string | undefined): string | undefined {
  const match = cookieHeader ? /(?:^|;\s*)rapport_session=([^;]+)/.exec(cookieHeader) : null;
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

async function me(database: Database, token: string): Promise<Row | undefined> {
  const statements: string[] = [];
  const first = async (text: string, values: unknown[]) => {
    statements.push(text);
    return (await database.executeSql(text, values)).rows[0];
  };
  const id = sha256(token);
  const principal = await first(SQL.principal, [id]);
  const now = new Date();
  if (!principal || (principal.expires_at as Date) <= now) return undefined;
  if (now.getTime() - (principal.last_seen_at as Date).getTime() > SESSION_TOUCH_MS) await first(SQL.touch, [now, new Date(now.getTime() + SESSION_IDLE_MS), id]);
  const view = await first(SQL.meView, [principal.workspace_id, principal.user_id]);
  lastStatements = statements;
  if (!view) return undefined;
  return {
    user: {
      id: principal.user_id,
      name: principal.name,
      email: view.email,
      locale: view.locale,
      roleId: principal.role_id,
      roleName: view.role_name,
      teamId: principal.team_id,
      teamName: view.team_name,
      notifyEmail: effectiveEmailPrefs(view.notify_email as NotifyEmailPrefs),
    },
    workspace: { id: view.workspace_id, name: view.workspace_name, currency: view.currency, timezone: view.timezone },
    permissions: principal.permissions,
    fieldRules: principal.field_rules,
    csrfToken: principal.csrf_token,
  };
}

const database = await openDatabase(target);
const app = Fastify({ logger: false });
app.get('/api/v1/auth/me', async (request, reply) => {
  const token = sessionToken(request.headers.cookie);
  const body = token ? await me(database, token) : undefined;
  if (!body) return reply.status(401).send({ title: 'unauthenticated' });
  return body;
});
app.get('/__statements', () => lastStatements);
await serveChild(app, port, () => database.close());
