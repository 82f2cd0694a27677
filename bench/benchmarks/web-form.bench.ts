import fs from 'node:fs';
import { openDatabase, type Database, type DatabaseTarget } from '../../packages/server/src/infra/db.js';
import { newId } from '../../packages/server/src/infra/ids.js';
import { getWorkspaceCountry } from '../../packages/server/src/modules/workspace/workspace.service.js';
import { targetEnv } from '../lib/backend.js';
import { childEnv, commonFields, type Benchmark, type BenchContext } from '../lib/benchmark.js';
import { shuffled } from '../lib/client-base-bench.js';
import { clientBaseFixture } from '../lib/client-base.js';
import type { LoadRequest } from '../lib/load.js';
import { freePort, startServedChild, stopChild, type ServedChild } from '../lib/processes.js';
import { meets, type BenchResult, type Target as PassTarget } from '../lib/results.js';
import { cycle, measureRounds, shapeTotals, sideTotals, type Side } from '../lib/sides.js';
import { round } from '../lib/stats.js';

/** The issue sets no number: lead capture through Rapport's whole stack at half the bare inserts' rate or better. */
const TARGET: PassTarget = { field: 'ratio', op: '>=', threshold: 0.5 };
/**
 * Forms per side. A form takes 300 submissions a minute (web-form.routes.ts PER_FORM, a production default left as it
 * is): the load spreads over many sites' forms, each far below its cap, as a busy workspace's would.
 */
const FORMS = 100;
/** Distinct submissions each side walks; a third are people already in the base (matched by phone or e-mail). */
const SUBMISSIONS = 6_000;
const MATCHED_SHARE = 1 / 3;
const FIELDS = [
  { key: 'name', label: 'Name', required: true },
  { key: 'phone', label: 'Phone', required: false },
  { key: 'email', label: 'E-mail', required: false },
];

const dbTarget = (target: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string }): DatabaseTarget => (target.kind === 'postgres' ? { kind: 'postgres', url: target.url, max: 2 } : target);

/** FORMS live forms giving their leads to `ownerId`, as an administrator makes them (Settings › Web forms). */
async function createForms(db: Database, workspaceId: string, ownerId: string, label: string): Promise<string[]> {
  const ids = Array.from({ length: FORMS }, () => newId());
  await db.db
    .insertInto('web_form')
    .values(ids.map((id, i) => ({ workspace_id: workspaceId, id, name: `Bench ${label} site ${i + 1}`, fields: JSON.stringify(FIELDS), assign_mode: 'user', assign_user_id: ownerId, success_message: 'Thank you!', created_by: ownerId, updated_by: ownerId })))
    .execute();
  return ids;
}

/** The visitors' submissions: new people with a phone and an e-mail, and people the base knows, by their stored phone or e-mail. */
async function submissions(db: Database, workspaceId: string): Promise<Record<string, string>[]> {
  const known = Math.round(SUBMISSIONS * MATCHED_SHARE);
  const { rows } = await db.executeSql(
    `SELECT full_name, phones->0->>'number' AS phone, emails->0->>'email' AS email FROM contact
     WHERE workspace_id = $1 AND deleted_at IS NULL AND (jsonb_array_length(phones) > 0 OR jsonb_array_length(emails) > 0) ORDER BY md5(id::text) LIMIT $2`,
    [workspaceId, known],
  );
  const existing = rows.map((row, i): Record<string, string> => (i % 2 === 0 && row.phone ? { name: String(row.full_name), phone: String(row.phone) } : { name: String(row.full_name), email: String(row.email ?? `known.${i}@example.com`) }));
  const fresh = Array.from({ length: SUBMISSIONS - existing.length }, (_, i): Record<string, string> => ({ name: `Visitor ${i + 1}`, phone: `(212) 555-${String(i % 10_000).padStart(4, '0')}`, email: `visitor.${i + 1}@example.com` }));
  return shuffled([...fresh, ...existing]);
}

/**
 * One side's load: submissions rotating over its forms, each from its own address (X-Forwarded-For, which Rapport
 * reads because the bench starts it behind a trusted proxy, TRUST_PROXY=true), so the per-address limit counts each
 * visitor once, as on a live site.
 */
function requestsOf(forms: string[], bodies: Record<string, string>[]): LoadRequest[] {
  return bodies.map((body, i) => ({
    method: 'POST',
    path: `/api/v1/public/forms/${forms[i % forms.length]}/submissions`,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
  }));
}

async function leadsOf(target: DatabaseTarget, workspaceId: string, forms: string[]) {
  const db = await openDatabase(target);
  const { rows } = await db.executeSql(
    `SELECT count(*)::int AS submissions, count(s.matched_contact_id)::int AS matched,
       (SELECT count(*) FROM task t JOIN web_form_submission x ON x.workspace_id = t.workspace_id AND x.lead_id = t.subject_id AND t.subject_type = 'lead' WHERE x.workspace_id = $1 AND x.form_id = ANY($2::uuid[]))::int AS tasks
     FROM web_form_submission s WHERE s.workspace_id = $1 AND s.form_id = ANY($2::uuid[])`,
    [workspaceId, forms],
  );
  await db.close();
  return rows[0] as { submissions: number; matched: number; tasks: number };
}

/**
 * Lead capture: POST /api/v1/public/forms/:id/submissions, the public intake an embedded form sends (a lead, the
 * contact it is recognised as, the owner's call-back task), requests/s at BENCH_CONNECTIONS against a bare server doing
 * the same inserts.
 */
export const webForm: Benchmark = {
  name: 'web-form',
  description: 'POST /api/v1/public/forms/:id/submissions (lead + contact match + task): req/s vs bare Fastify + pg',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const fixture = await clientBaseFixture(ctx, 'plain');
    const setup = await openDatabase(dbTarget(fixture.target));
    let rapportForms: string[];
    let ceilingForms: string[];
    let bodies: Record<string, string>[];
    let country: string;
    try {
      const { rows } = await setup.executeSql("SELECT id FROM app_user WHERE workspace_id = $1 AND status = 'active' AND deleted_at IS NULL AND team_id IS NOT NULL ORDER BY email LIMIT 1", [fixture.workspaceId]);
      const ownerId = String(rows[0]?.id);
      rapportForms = await createForms(setup, fixture.workspaceId, ownerId, 'rapport');
      ceilingForms = await createForms(setup, fixture.workspaceId, ownerId, 'ceiling');
      bodies = await submissions(setup, fixture.workspaceId);
      country = await getWorkspaceCountry(setup.db, fixture.workspaceId);
    } finally {
      await setup.close();
    }
    ctx.log(`${FORMS} forms per side, ${bodies.length} distinct submissions (${Math.round(MATCHED_SHARE * 100)} % known people); ${fixture.dataset}`);

    // PGlite has one owner per data directory: the ceiling gets a copy made before Rapport opens the original.
    // The ceiling's pool is Rapport's size (10), not the bench's own small one.
    let ceilingTarget: DatabaseTarget = fixture.target.kind === 'postgres' ? { kind: 'postgres', url: fixture.target.url } : fixture.target;
    if (fixture.target.kind === 'pglite') {
      const copy = `${ctx.backend.tempDir('web-form-ceiling')}/data`;
      fs.cpSync(fixture.target.dataDir, copy, { recursive: true, filter: (source) => !source.includes('rapport.lock') });
      ceilingTarget = { kind: 'pglite', dataDir: copy };
    }
    const env = { ...targetEnv(fixture.target, ctx.backend.tempDir('web-form-scratch')), HOST: '127.0.0.1', LOG_LEVEL: 'warn', PORT: String(await freePort()) };
    const stopOptions = fixture.target.kind === 'pglite' ? { dataDir: fixture.target.dataDir } : {};
    const rapport = await startServedChild('bench/servers/rapport-server.ts', childEnv({ BENCH_RAPPORT_ENV: JSON.stringify(env), TRUST_PROXY: 'true' }));
    let ceiling: ServedChild | undefined;
    const sides: Side[] = [];
    try {
      ceiling = await startServedChild('bench/servers/web-form-ceiling-server.ts', childEnv({ BENCH_CLIENT_BASE_CEILING_ENV: JSON.stringify({ port: await freePort(), target: ceilingTarget, country }) }));
      sides.push(
        { label: 'rapport', server: rapport, headers: {}, next: cycle(requestsOf(rapportForms, bodies)), windows: [] },
        { label: 'ceiling', server: ceiling, headers: {}, next: cycle(requestsOf(ceilingForms, bodies)), windows: [] },
      );
      await measureRounds(ctx, sides, ctx.options.connections, (side) => `${Math.round(side.windows.at(-1)?.rps ?? 0)} req/s`);
    } finally {
      await stopChild(rapport, stopOptions);
      if (ceiling) await stopChild(ceiling);
    }

    // What each side wrote: a lead (submission row) per answer, a task on each, the known people matched.
    const readBack = { rapport: await leadsOf(dbTarget(fixture.target), fixture.workspaceId, rapportForms), ceiling: await leadsOf(ceilingTarget, fixture.workspaceId, ceilingForms) };
    ctx.log(`written: rapport ${JSON.stringify(readBack.rapport)}, ceiling ${JSON.stringify(readBack.ceiling)}`);

    const [r, c] = sides.map(sideTotals);
    if (!r || !c) throw new Error('no measurements');
    const ratio = r.rps / c.rps;
    const complete = readBack.rapport.tasks === readBack.rapport.submissions && readBack.ceiling.tasks === readBack.ceiling.submissions;
    return {
      name: 'web-form',
      metric: `requests/s, POST /api/v1/public/forms/:id/submissions (${ctx.options.connections} connections)`,
      value: round(r.rps, 1),
      unit: 'req/s',
      ceiling: round(c.rps, 1),
      ratio: round(ratio, 3),
      ratioDefinition: 'rapport req/s ÷ ceiling req/s (medians over the rounds)',
      p50: round(r.latencyMs.p50),
      p95: round(r.latencyMs.p95),
      p99: round(r.latencyMs.p99),
      percentileUnit: 'ms',
      dataset: fixture.dataset,
      ...commonFields(ctx),
      target: TARGET,
      pass: meets(TARGET, r.rps, ratio) && complete,
      samples: r.ok,
      rssMb: r.rssPeakMb === undefined ? undefined : round(r.rssPeakMb, 1),
      details: {
        endpoint: 'POST /api/v1/public/forms/:id/submissions (application/json: name, phone, email)',
        forms: FORMS,
        distinctSubmissions: bodies.length,
        matchedShare: round(MATCHED_SHARE, 3),
        rateLimits:
          'production defaults kept (10 a minute per address and form, 300 a minute per form): Rapport runs with TRUST_PROXY=true and each request carries its own X-Forwarded-For, the load spreads over the forms; a 429 would fail the window',
        ceilingWork: 'form lookup, contact match by stored phone/e-mail, then in one transaction: form lock, owner, lead, task, audit entries (lead, task, submission, notes), outbox events (lead, task, notification, notes), notification, its e-mail, on a match a note with its link on the lead and on the contact, submission (not: custom-field, country or distribution-rule lookups, validation, service layers)',
        written: readBack,
        complete,
        connections: ctx.options.connections,
        windowS: ctx.options.durationS,
        rounds: ctx.options.rounds,
        warmupS: ctx.options.warmupS,
        cpuRatio: r.cpuMsPerRequest && c.cpuMsPerRequest ? round(c.cpuMsPerRequest / r.cpuMsPerRequest, 3) : undefined,
        rapport: shapeTotals(r),
        ceiling: shapeTotals(c),
      },
    };
  },
};
