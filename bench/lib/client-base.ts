import fs from 'node:fs';
import pg from 'pg';
import { openRuntime } from '../../packages/server/src/app-runtime.js';
import { loadConfig } from '../../packages/server/src/infra/config.js';
import type { DatabaseTarget } from '../../packages/server/src/infra/db.js';
import { createLogger } from '../../packages/server/src/infra/logger.js';
import { BENCH_PASSWORD, defaultCompanies, describeCounts, describeDataset, generateDataset, scaleForActivities } from '../dataset/index.js';
import { targetEnv, type Backend, type BackendKind, type Target } from './backend.js';
import { childEnv, type BenchContext } from './benchmark.js';
import { openStatementCapture, type StatementCapture } from './capture.js';
import { freePort, startServedChild, stopChild, type ServedChild } from './processes.js';

/** Sizes of the client base the card-open, list-filter, search and create-contact benchmarks run on. */
export interface ClientBaseSize {
  contacts: number;
  companies: number;
  /** Activities (with the users' tasks) of the activity benchmarks' base; absent on the plain client base. */
  activities?: number;
  /** Deals (three pipelines, stage history) of the sales benchmarks' base; absent on the others. */
  deals?: number;
}

function wholeEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, got "${raw}"`);
  return value;
}

/**
 * The issue's dataset (1M contacts, 300k companies) on PostgreSQL; embedded PGlite defaults to 20k contacts
 * (6k companies): a million rows in WASM takes far too long for a quick run. BENCH_CONTACTS / BENCH_COMPANIES override.
 */
export function clientBaseSize(kind: BackendKind): ClientBaseSize {
  const contacts = wholeEnv('BENCH_CONTACTS', kind === 'postgres' ? 1_000_000 : 20_000);
  return { contacts, companies: wholeEnv('BENCH_COMPANIES', defaultCompanies(contacts)) };
}

/** The activity benchmarks' base: the client base plus the issue's 10M activities on PostgreSQL (200k on PGlite); BENCH_ACTIVITIES overrides. */
export function activityBaseSize(kind: BackendKind): ClientBaseSize {
  return { ...clientBaseSize(kind), activities: wholeEnv('BENCH_ACTIVITIES', kind === 'postgres' ? 10_000_000 : 200_000) };
}

/** The sales benchmarks' base: the client base plus the issue's 1M deals on PostgreSQL (20k on PGlite); BENCH_DEALS overrides. */
export function dealBaseSize(kind: BackendKind): ClientBaseSize {
  return { ...clientBaseSize(kind), deals: wholeEnv('BENCH_DEALS', kind === 'postgres' ? 1_000_000 : 20_000) };
}

/** Which generated base a benchmark runs on: the plain client base, or one with activities, or one with deals. */
export type BaseKind = 'plain' | 'activities' | 'deals';

export interface ClientBaseFixture {
  target: Target;
  /** describeDataset(...) of the workspace, plus where it came from. */
  dataset: string;
  workspaceId: string;
  /** Head of sales: reads every client record (scope `all`), so lists and search see the whole base. */
  login: string;
  password: string;
  size: ClientBaseSize;
  /** Generation timings when this run generated the base (absent when BENCH_CLIENT_BASE_URL reused one). */
  generation?: Record<string, number> | undefined;
}

const fixtures: Record<BaseKind, WeakMap<Backend, Promise<ClientBaseFixture>>> = { plain: new WeakMap(), activities: new WeakMap(), deals: new WeakMap() };
const baseSize: Record<BaseKind, (kind: BackendKind) => ClientBaseSize> = { plain: clientBaseSize, activities: activityBaseSize, deals: dealBaseSize };

/**
 * One seeded database for all client-base benchmarks of a run (generating a million contacts takes minutes):
 * the first benchmark that asks generates it, the others reuse it (create-contact runs last, it adds rows).
 * `activities`: the activity benchmarks' own base (the client base plus activities and tasks, at the scale they ask
 * for), generated once per run the same way; `deals`: the sales benchmarks' (the client base plus deals).
 * BENCH_CLIENT_BASE_URL points at an existing PostgreSQL database made by `npm run bench:data -- --contacts N`
 * (`--activities A` for the activity benchmarks, `--deals D` for the sales ones) instead: its latest such workspace is
 * used and the database is left in place.
 */
export function clientBaseFixture(ctx: BenchContext, base: BaseKind = 'plain'): Promise<ClientBaseFixture> {
  const cache = fixtures[base];
  let fixture = cache.get(ctx.backend);
  if (!fixture) {
    const url = process.env.BENCH_CLIENT_BASE_URL;
    fixture = url ? reuseFixture(ctx, url, base) : generateFixture(ctx, baseSize[base](ctx.backend.kind));
    cache.set(ctx.backend, fixture);
  }
  return fixture;
}

async function generateFixture(ctx: BenchContext, size: ClientBaseSize): Promise<ClientBaseFixture> {
  const activities = size.activities ?? 0;
  const deals = size.deals ?? 0;
  const target = await ctx.backend.fresh(activities > 0 ? 'activity_base' : deals > 0 ? 'deal_base' : 'client_base');
  const env = { ...targetEnv(target, ctx.backend.tempDir('client-base-scratch')), LOG_LEVEL: 'warn' };
  const work =
    activities > 0
      ? `, ${activities.toLocaleString('en')} activities (the activity benchmarks' base)`
      : deals > 0
        ? `, ${deals.toLocaleString('en')} deals (the sales benchmarks' base)`
        : ' (shared by the client-base benchmarks of this run)';
  ctx.log(`generating the client base: ${size.contacts.toLocaleString('en')} contacts, ${size.companies.toLocaleString('en')} companies${work}`);
  const runtime = await openRuntime(loadConfig(env), createLogger('warn'), { workers: false });
  try {
    const summary = await generateDataset(runtime.database.db, { scale: scaleForActivities(activities), contacts: size.contacts, companies: size.companies, activities, deals, log: (line) => ctx.log(`  ${line}`) });
    const clientBase = summary.clientBase;
    const login = summary.logins.head;
    if (!login || !clientBase) throw new Error('the generated dataset has no head of sales or no client base');
    ctx.log(`generated in ${Math.round(summary.ms / 1000)} s`);
    await checkpoint(target);
    return {
      target,
      dataset: describeDataset(summary),
      workspaceId: summary.workspaceId,
      login,
      password: summary.password,
      size,
      generation: {
        totalMs: Math.round(summary.ms),
        loadMs: Math.round(clientBase.loadMs),
        indexRebuildMs: Math.round(clientBase.indexRebuildMs),
        indexesRebuilt: clientBase.indexes,
        vacuumAnalyzeMs: Math.round(clientBase.vacuumMs),
        droppedPhones: clientBase.droppedPhones,
        ...(clientBase.work ? { activityLinks: clientBase.work.links, participants: clientBase.work.participants, contactsReached: clientBase.work.contactsReached, taskMembers: clientBase.work.members } : {}),
      },
    };
  } finally {
    await runtime.close();
  }
}

/** What a reused workspace must hold besides contacts, by base: the seed entry's meta counts it, and what to generate it with. */
const NEEDS: Record<BaseKind, { key: string; option: string; what: string } | undefined> = {
  plain: undefined,
  activities: { key: 'activities', option: '--activities A', what: 'activities' },
  deals: { key: 'deals', option: '--deals D', what: 'deals' },
};

async function reuseFixture(ctx: BenchContext, url: string, base: BaseKind): Promise<ClientBaseFixture> {
  const needs = NEEDS[base];
  if (ctx.backend.kind !== 'postgres') throw new Error('BENCH_CLIENT_BASE_URL needs the PostgreSQL backend (set DATABASE_URL too)');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const seeded = await client.query<{ workspace_id: string; meta: { logins?: { head?: string }; scale?: number; activities?: number; tasks?: number; deals?: number } }>(
      `SELECT workspace_id, meta FROM audit_log WHERE action = 'workspace.seed_bench' AND (meta->>'contacts')::int > 0 ${needs ? `AND coalesce((meta->>'${needs.key}')::int, 0) > 0` : ''} ORDER BY at DESC LIMIT 1`,
    );
    const row = seeded.rows[0];
    const login = row?.meta.logins?.head;
    if (!row || !login) throw new Error(`no client-base workspace${needs ? ` with ${needs.what}` : ''} in ${new URL(url).pathname.slice(1)}: run npm run bench:data -- --contacts N${needs ? ` ${needs.option}` : ''} against it first`);
    const counts = await client.query<{ contacts: number; companies: number; links: number; users: number; teams: number }>(
      `SELECT (SELECT count(*) FROM contact WHERE workspace_id = $1)::int AS contacts, (SELECT count(*) FROM company WHERE workspace_id = $1)::int AS companies,
              (SELECT count(*) FROM contact_company WHERE workspace_id = $1)::int AS links, (SELECT count(*) FROM app_user WHERE workspace_id = $1)::int AS users,
              (SELECT count(*) FROM team WHERE workspace_id = $1)::int AS teams`,
      [row.workspace_id],
    );
    const c = counts.rows[0]!;
    const database = new URL(url).pathname.slice(1);
    ctx.log(`reusing the client base in ${database} (BENCH_CLIENT_BASE_URL): ${c.contacts.toLocaleString('en')} contacts, ${c.companies.toLocaleString('en')} companies`);
    return {
      target: { kind: 'postgres', url, database },
      dataset: `${describeCounts(row.meta.scale ?? 1, { teams: c.teams, users: c.users, companies: c.companies, contacts: c.contacts, contactCompanyLinks: c.links, activities: row.meta.activities, tasks: row.meta.tasks, deals: row.meta.deals })} (pre-generated database, BENCH_CLIENT_BASE_URL)`,
      workspaceId: row.workspace_id,
      login,
      password: BENCH_PASSWORD,
      size: { contacts: c.contacts, companies: c.companies, ...(row.meta.activities ? { activities: row.meta.activities } : {}), ...(row.meta.deals ? { deals: row.meta.deals } : {}) },
    };
  } finally {
    await client.end();
  }
}

/** Writes the load's dirty pages out now, so a checkpoint does not land in the middle of a measured window. */
async function checkpoint(target: Target): Promise<void> {
  if (target.kind !== 'postgres') return;
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    await client.query('CHECKPOINT');
  } catch {
    // Needs superuser or pg_checkpoint; without it the checkpoint just comes later.
  } finally {
    await client.end();
  }
}

/** Rapport and the ceiling, both serving the benchmark's database, and the signed-in session they share. */
export interface ClientBaseServers {
  rapport: ServedChild;
  ceiling: ServedChild;
  /** `rapport_session=<token>` */
  cookie: string;
  csrfToken: string;
  stop(): Promise<void>;
}

/** The ceiling of the client-base benchmarks; others name their own (same config variable). */
export const CLIENT_BASE_CEILING = 'bench/servers/client-base-ceiling-server.ts';

/**
 * Starts the real Rapport server (bench/servers/rapport-server.ts: startServer, workers on) on the fixture's
 * database, signs in as the head of sales through POST /api/v1/auth/login, lets `capture` record the SQL Rapport's
 * services run for the benchmark's requests, then starts the ceiling (`ceilingScript`, a child reading
 * BENCH_CLIENT_BASE_CEILING_ENV).
 * PGlite has one owner per data directory: Rapport is stopped after the login, the directory copied for the
 * capture and the ceiling, and Rapport restarted, as api-overhead does.
 */
export async function startClientBaseServers<T>(
  ctx: BenchContext,
  fixture: ClientBaseFixture,
  label: string,
  capture: (statements: StatementCapture, sessionToken: string) => Promise<T>,
  ceilingScript = CLIENT_BASE_CEILING,
): Promise<{ servers: ClientBaseServers; captured: T }> {
  const { backend } = ctx;
  const env = { ...targetEnv(fixture.target, backend.tempDir(`${label}-scratch`)), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  const stopOptions = fixture.target.kind === 'pglite' ? { dataDir: fixture.target.dataDir } : {};
  const startRapport = async () => startServedChild('bench/servers/rapport-server.ts', childEnv({ BENCH_RAPPORT_ENV: JSON.stringify({ ...env, PORT: String(await freePort()) }) }));
  let rapport = await startRapport();
  let session: { cookie: string; token: string; csrfToken: string };
  try {
    const login = await fetch(`${rapport.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: fixture.login, password: fixture.password }) });
    const setCookie = login.headers.getSetCookie().find((value) => value.startsWith('rapport_session='));
    if (login.status !== 200 || !setCookie) throw new Error(`login answered ${login.status}: ${await login.text()}`);
    const cookie = setCookie.split(';')[0] ?? '';
    session = { cookie, token: decodeURIComponent(cookie.slice('rapport_session='.length)), csrfToken: ((await login.json()) as { csrfToken: string }).csrfToken };
  } catch (error) {
    await stopChild(rapport, stopOptions);
    throw error;
  }

  let ceilingTarget: DatabaseTarget;
  if (fixture.target.kind === 'pglite') {
    await stopChild(rapport, stopOptions);
    const copy = `${backend.tempDir(`${label}-ceiling`)}/data`;
    fs.cpSync(fixture.target.dataDir, copy, { recursive: true, filter: (source) => !source.includes('rapport.lock') });
    ceilingTarget = { kind: 'pglite', dataDir: copy };
  } else {
    ceilingTarget = { kind: 'postgres', url: fixture.target.url };
  }
  let captured: T;
  let ceiling: ServedChild | undefined;
  try {
    const statements = await openStatementCapture(ceilingTarget);
    try {
      captured = await capture(statements, session.token);
    } finally {
      await statements.close();
    }
    ceiling = await startServedChild(ceilingScript, childEnv({ BENCH_CLIENT_BASE_CEILING_ENV: JSON.stringify({ port: await freePort(), target: ceilingTarget }) }));
    if (fixture.target.kind === 'pglite') rapport = await startRapport();
  } catch (error) {
    await stopChild(rapport, stopOptions);
    if (ceiling) await stopChild(ceiling);
    throw error;
  }
  const ceilingServer = ceiling;
  return {
    servers: {
      rapport,
      ceiling: ceilingServer,
      cookie: session.cookie,
      csrfToken: session.csrfToken,
      async stop() {
        await stopChild(rapport, stopOptions);
        await stopChild(ceilingServer);
      },
    },
    captured,
  };
}
