import type { Locale } from '@rapport/shared';
import { executeRaw } from '../../packages/server/src/infra/db.js';
import { newId } from '../../packages/server/src/infra/ids.js';
import { HISTORY_DAYS } from './activities.js';
import type { ClientBaseContext } from './context.js';
import { Params, pick, rnd, uuidv7At, weightedCase, type WorkTables } from './work-sql.js';

/** Share of the deals per pipeline: the workspace's default one (the biggest board), then the two added here. */
const PIPELINE_SHARES = [0.6, 0.25, 0.15];
/** A deal older than this many days is closed with probability age / CLOSE_DAYS (at most MAX_CLOSED): young deals are open. */
const CLOSE_DAYS = 90;
const MAX_CLOSED = 0.95;
const WON_SHARE = 0.35;
/** Deals on a company, and those with a contact person (deal_contact). */
const ON_COMPANY = 0.75;
const WITH_CONTACT = 0.6;
const DELETED_SHARE = 0.01;
/** Deals in another currency than the workspace's. */
const FOREIGN_CURRENCY = 0.2;

interface StageSpec {
  name: Record<Locale, string>;
  color: string;
  probability: number;
  kind: 'open' | 'won' | 'lost';
  rottingDays: number | null;
}

const stage = (en: string, ru: string, color: string, probability: number, kind: StageSpec['kind'] = 'open', rottingDays: number | null = kind === 'open' ? 14 : null): StageSpec => ({
  name: { en, ru },
  color,
  probability,
  kind,
  rottingDays,
});

/** The pipelines a bench workspace gets besides its default one (setup's "Sales"). */
const EXTRA_PIPELINES: { name: Record<Locale, string>; stages: StageSpec[] }[] = [
  {
    name: { en: 'Enterprise', ru: 'Крупные клиенты' },
    stages: [
      stage('New lead', 'Новый запрос', '#4dabf7', 5),
      stage('Discovery', 'Выявление потребностей', '#3bc9db', 15),
      stage('Demo', 'Демонстрация', '#20c997', 30),
      stage('Proposal', 'Коммерческое предложение', '#fab005', 50),
      stage('Legal review', 'Согласование договора', '#ff922b', 80),
      stage('Won', 'Успешно', '#40c057', 100, 'won'),
      stage('Lost', 'Проиграно', '#868e96', 0, 'lost'),
    ],
  },
  {
    name: { en: 'Renewals', ru: 'Продления' },
    stages: [
      stage('Upcoming', 'Скоро продление', '#4dabf7', 40, 'open', 30),
      stage('Contacted', 'Связались', '#fab005', 60),
      stage('Quote sent', 'Счёт выставлен', '#ff922b', 85),
      stage('Renewed', 'Продлено', '#40c057', 100, 'won'),
      stage('Churned', 'Ушёл', '#868e96', 0, 'lost'),
    ],
  },
];

const TITLES: Record<Locale, string[]> = {
  en: ['Office chairs', 'Annual license', 'Warehouse racks', 'Fleet service contract', 'CRM rollout', 'Printer supplies', 'Security audit', 'Cloud hosting', 'Training package', 'Spare parts', 'Pilot project', 'Support renewal'],
  ru: ['Офисные кресла', 'Годовая лицензия', 'Складские стеллажи', 'Обслуживание автопарка', 'Внедрение CRM', 'Расходники для печати', 'Аудит безопасности', 'Облачный хостинг', 'Пакет обучения', 'Запчасти', 'Пилотный проект', 'Продление поддержки'],
};
const LOST_REASONS: Record<Locale, string[]> = {
  en: ['Price too high', 'Chose a competitor', 'No budget', 'No decision', 'Timing'],
  ru: ['Дорого', 'Выбрали конкурента', 'Нет бюджета', 'Не приняли решение', 'Не вовремя'],
};

export interface DealsResult {
  deals: number;
  pipelines: number;
  stageStays: number;
  dealContacts: number;
}

/**
 * `count` deals over the workspace's pipelines (the default one and two added here), created over the last two years in
 * time order (UUIDv7 ids of their creation), in SQL as the activities are: a plan table, then the deals, their stage
 * history and contact people from it. A deal older than a few months is mostly closed (won or lost after a sales cycle
 * of 5–90 days, having passed some open stages first); young ones are open, most in the early stages, expected to close
 * in the coming months. Amounts from 500 to 100,000 (log-uniform), a fifth in another currency; owners among the active
 * users (team = the owner's), three quarters on a company, 60 % with a contact. The insert-time triggers (search
 * words, board totals, furthest stages) and foreign-key checks are off for the inserts (session_replication_role, as
 * for activities): what they keep is written here in one statement each.
 */
export async function generateDeals(ctx: ClientBaseContext, work: WorkTables, count: number, seed: number, log: (line: string) => void): Promise<DealsResult> {
  if (count === 0) return { deals: 0, pipelines: 0, stageStays: 0, dealContacts: 0 };
  if (work.contacts === 0 || work.owners === 0) throw new Error('deals need live contacts and active users');
  const started = performance.now();
  const step = (what: string) => log(`deals: ${what} (${Math.round((performance.now() - started) / 1000)} s)`);
  const ws = ctx.workspaceId;

  for (const pipeline of EXTRA_PIPELINES) {
    const pipelineId = newId();
    const { position } = await ctx.db.selectFrom('pipeline').select((eb) => eb.fn.coalesce(eb(eb.fn.max('position'), '+', 1), eb.lit(0)).as('position')).where('workspace_id', '=', ws).executeTakeFirstOrThrow();
    await ctx.db.insertInto('pipeline').values({ workspace_id: ws, id: pipelineId, name: pipeline.name[ctx.locale], position: Number(position), is_default: false, created_by: ctx.adminId, updated_by: ctx.adminId }).execute();
    await ctx.db
      .insertInto('pipeline_stage')
      .values(pipeline.stages.map((s, i) => ({ workspace_id: ws, id: newId(), pipeline_id: pipelineId, name: s.name[ctx.locale], color: s.color, probability: s.probability, kind: s.kind, rotting_days: s.rottingDays, position: i })))
      .execute();
  }
  // Pipelines numbered default first; per pipeline its open stages numbered in order, and its won and lost stage.
  await executeRaw(
    ctx.db,
    `CREATE TEMP TABLE bench_pipeline ON COMMIT DROP AS
     SELECT (row_number() OVER (ORDER BY p.is_default DESC, p.position, p.id))::int AS n, p.id,
       (SELECT count(*) FROM pipeline_stage s WHERE s.workspace_id = p.workspace_id AND s.pipeline_id = p.id AND s.kind = 'open')::int AS open_stages,
       (SELECT s.id FROM pipeline_stage s WHERE s.workspace_id = p.workspace_id AND s.pipeline_id = p.id AND s.kind = 'won' ORDER BY s.position LIMIT 1) AS won_id,
       (SELECT s.id FROM pipeline_stage s WHERE s.workspace_id = p.workspace_id AND s.pipeline_id = p.id AND s.kind = 'lost' ORDER BY s.position LIMIT 1) AS lost_id
     FROM pipeline p WHERE p.workspace_id = $1 AND p.archived_at IS NULL`,
    [ws],
  );
  await executeRaw(
    ctx.db,
    `CREATE TEMP TABLE bench_open_stage ON COMMIT DROP AS
     SELECT bp.n AS pipeline_n, (row_number() OVER (PARTITION BY bp.n ORDER BY s.position) - 1)::int AS i, s.id
     FROM bench_pipeline bp JOIN pipeline_stage s ON s.workspace_id = $1 AND s.pipeline_id = bp.id AND s.kind = 'open'`,
    [ws],
  );
  await executeRaw(ctx.db, 'ALTER TABLE bench_open_stage ADD PRIMARY KEY (pipeline_n, i)', []);
  await executeRaw(
    ctx.db,
    `CREATE TEMP TABLE bench_company ON COMMIT DROP AS
     SELECT (row_number() OVER (ORDER BY c.created_at, c.id))::int AS n, c.id FROM company c WHERE c.workspace_id = $1 AND c.deleted_at IS NULL`,
    [ws],
  );
  await executeRaw(ctx.db, 'ALTER TABLE bench_company ADD PRIMARY KEY (n)', []);
  await executeRaw(ctx.db, 'ANALYZE bench_pipeline, bench_open_stage, bench_company', []);
  const { rows: sizes } = await executeRaw(ctx.db, 'SELECT (SELECT count(*) FROM bench_company)::int AS companies, (SELECT count(*) FROM bench_pipeline)::int AS pipelines', []);
  const companies = Number(sizes[0]?.companies);
  const pipelines = Number(sizes[0]?.pipelines);
  const { currency } = await ctx.db.selectFrom('workspace').select('currency').where('id', '=', ws).executeTakeFirstOrThrow();
  const others = ['USD', 'EUR', 'GBP'].filter((code) => code !== currency);

  const p = new Params();
  const now = `${p.add(work.now)}::timestamptz`;
  const total = p.add(count);
  const pipelineDraw = weightedCase(rnd(60), PIPELINE_SHARES.slice(0, pipelines).map((share, i) => [String(i + 1), share] as const));
  // Per deal: pipeline, creation time (evenly over the history, in row order), outcome, how far it got, cycle length.
  await executeRaw(
    ctx.db,
    `CREATE TEMP TABLE bench_deal ON COMMIT DROP AS
     WITH d AS (
       SELECT g, seed, ${pipelineDraw} AS pipeline_n,
         ${now} - interval '${HISTORY_DAYS} days' + ((g - 1 + ${rnd(61)}) / ${total}) * interval '${HISTORY_DAYS} days' AS created_at
       FROM generate_series(1, ${total}) g CROSS JOIN (SELECT ${p.add(seed)}::int8 AS seed OFFSET 0) s
     ), e AS (
       SELECT d.*, bp.open_stages, bp.won_id, bp.lost_id,
         CASE WHEN ${rnd(62)} < least(${MAX_CLOSED}, date_part('epoch', ${now} - d.created_at) / 86400 / ${CLOSE_DAYS}) THEN (CASE WHEN ${rnd(63)} < ${WON_SHARE} THEN 'won' ELSE 'lost' END) ELSE 'open' END AS outcome,
         (5 + ${rnd(64)} * 85) * interval '1 day' AS cycle
       FROM d JOIN bench_pipeline bp ON bp.n = d.pipeline_n
     )
     SELECT e.g, e.seed, e.pipeline_n, e.created_at, e.outcome, e.won_id, e.lost_id,
       ${uuidv7At('e.created_at', 'e.g')} AS id,
       -- Open stages passed: all for a won deal, some for a lost one, up to the current one (early ones likelier) for an open one.
       CASE e.outcome WHEN 'won' THEN e.open_stages WHEN 'lost' THEN 1 + floor(${rnd(65, 'e.g')} * e.open_stages)::int
         ELSE 1 + floor(power(${rnd(65, 'e.g')}, 1.5) * e.open_stages)::int END AS reached,
       CASE WHEN e.outcome = 'open' THEN e.created_at + ${rnd(66, 'e.g')} * (least(${now}, e.created_at + e.cycle) - e.created_at)
         ELSE least(e.created_at + e.cycle, ${now} - ${rnd(66, 'e.g')} * interval '1 hour') END AS stage_entered_at
     FROM e`,
    p.values,
  );
  await executeRaw(ctx.db, 'ALTER TABLE bench_deal ADD PRIMARY KEY (g)', []);
  step(`planned ${count.toLocaleString('en')} deals over ${pipelines} pipelines`);

  await executeRaw(ctx.db, "SELECT set_config('session_replication_role', 'replica', true)", []);
  const q = new Params();
  const qNow = `${q.add(work.now)}::timestamptz`;
  const title = `${pick(`${q.add(TITLES[ctx.locale])}::text[]`, rnd(70, 'b.g'))} || coalesce(' — ' || co.name, '')`;
  const amount = `round(500 * power(200, ${rnd(71, 'b.g')}) / 10) * 10`;
  await executeRaw(
    ctx.db,
    `INSERT INTO deal (workspace_id, id, title, pipeline_id, stage_id, amount, currency, company_id, expected_close_date, source, lost_reason,
       stage_entered_at, owner_id, team_id, tags, search_name, created_at, updated_at, created_by, updated_by, deleted_at, deleted_by)
     SELECT ${q.add(ws)}, x.id, x.title, bp.id, x.stage_id, x.amount, x.currency, x.company_id, x.expected_close_date, x.source, x.lost_reason,
       x.stage_entered_at, o.user_id, o.team_id, x.tags, lower(x.title), x.created_at, x.stage_entered_at, o.user_id, o.user_id,
       CASE WHEN x.deleted THEN x.stage_entered_at + interval '1 hour' END, CASE WHEN x.deleted THEN o.user_id END
     FROM (
       SELECT b.g, b.id, b.pipeline_n, b.created_at, b.stage_entered_at, ${title} AS title,
         CASE b.outcome WHEN 'won' THEN b.won_id WHEN 'lost' THEN b.lost_id ELSE os.id END AS stage_id,
         ${amount} AS amount,
         CASE WHEN ${rnd(72, 'b.g')} < ${FOREIGN_CURRENCY} THEN ${pick(`${q.add(others)}::text[]`, rnd(73, 'b.g'))} ELSE ${q.add(currency)} END AS currency,
         co.id AS company_id,
         CASE WHEN b.outcome <> 'open' THEN (b.stage_entered_at AT TIME ZONE ${q.add(work.timezone)})::date
           WHEN ${rnd(74, 'b.g')} < 0.9 THEN (${qNow} + (${rnd(75, 'b.g')} * 200 - 20) * interval '1 day')::date END AS expected_close_date,
         ${weightedCase(rnd(76, 'b.g'), [["'website'", 30], ["'call'", 20], ["'email'", 15], ["'referral'", 15], ["'campaign'", 10], ['NULL', 10]])} AS source,
         CASE WHEN b.outcome = 'lost' THEN ${pick(`${q.add(LOST_REASONS[ctx.locale])}::text[]`, rnd(77, 'b.g'))} END AS lost_reason,
         CASE WHEN ${rnd(78, 'b.g')} < 0.08 THEN ARRAY['hot']::text[] WHEN ${rnd(78, 'b.g')} < 0.12 THEN ARRAY['partner']::text[] ELSE '{}'::text[] END AS tags,
         1 + floor(${rnd(79, 'b.g')} * ${q.add(work.owners)})::int AS owner_n,
         ${rnd(80, 'b.g')} < ${DELETED_SHARE} AS deleted
       FROM bench_deal b
       LEFT JOIN bench_open_stage os ON os.pipeline_n = b.pipeline_n AND os.i = b.reached - 1
       LEFT JOIN bench_company cn ON ${companies} > 0 AND ${rnd(81, 'b.g')} < ${ON_COMPANY} AND cn.n = 1 + floor(${rnd(82, 'b.g')} * ${companies})::int
       LEFT JOIN company co ON co.workspace_id = ${q.add(ws)} AND co.id = cn.id
     ) x
     JOIN bench_pipeline bp ON bp.n = x.pipeline_n
     JOIN bench_owner o ON o.n = x.owner_n
     ORDER BY x.g`,
    q.values,
  );
  step('deal rows');
  // One stay per open stage passed, then the won or lost stage; evenly spaced from creation to the current stage's entry.
  await executeRaw(
    ctx.db,
    `INSERT INTO deal_stage_history (workspace_id, id, deal_id, from_stage_id, to_stage_id, entered_at, left_at, by_user_id)
     SELECT $1, ${uuidv7At('h.entered_at', '(h.g::int8 * 16 + h.step)')}, h.id, lag(h.stage_id) OVER w, h.stage_id, h.entered_at, lead(h.entered_at) OVER w, h.owner_id
     FROM (
       SELECT b.g, b.seed, b.id, s.step, r.owner_id,
         CASE WHEN s.step < b.reached THEN os.id WHEN b.outcome = 'won' THEN b.won_id ELSE b.lost_id END AS stage_id,
         CASE WHEN b.steps = 1 THEN b.created_at ELSE b.created_at + (b.stage_entered_at - b.created_at) * s.step / (b.steps - 1) END AS entered_at
       FROM (SELECT bd.*, bd.reached + (CASE WHEN bd.outcome = 'open' THEN 0 ELSE 1 END) AS steps FROM bench_deal bd) b
       JOIN deal r ON r.workspace_id = $1 AND r.id = b.id
       CROSS JOIN LATERAL generate_series(0, b.steps - 1) AS s(step)
       LEFT JOIN bench_open_stage os ON os.pipeline_n = b.pipeline_n AND os.i = s.step
     ) h
     WINDOW w AS (PARTITION BY h.g ORDER BY h.step)`,
    [ws],
  );
  step('stage history');
  await executeRaw(
    ctx.db,
    `INSERT INTO deal_contact (workspace_id, deal_id, contact_id, role, created_at)
     SELECT $1, b.id, c.id, CASE WHEN ${rnd(84, 'b.g')} < 0.5 THEN $3 END, b.created_at
     FROM bench_deal b JOIN bench_contact c ON c.n = 1 + floor(${rnd(85, 'b.g')} * $2::int)::int
     WHERE ${rnd(83, 'b.g')} < ${WITH_CONTACT}`,
    [ws, work.contacts, ctx.locale === 'ru' ? 'ЛПР' : 'Decision maker'],
  );
  await executeRaw(ctx.db, "SELECT set_config('session_replication_role', 'origin', true)", []);
  step('contact people');
  // What the insert triggers keep: the board's totals (0025), how far each deal got (0029) and the search vocabulary (0006).
  await executeRaw(ctx.db, 'SELECT deal_reach_recompute($1, NULL)', [ws]);
  await executeRaw(
    ctx.db,
    `INSERT INTO deal_stage_total (workspace_id, stage_id, currency, deals, amount)
     SELECT workspace_id, stage_id, currency, count(*), sum(amount) FROM deal WHERE workspace_id = $1 AND deleted_at IS NULL GROUP BY workspace_id, stage_id, currency
     ON CONFLICT (workspace_id, stage_id, currency) DO UPDATE SET deals = deal_stage_total.deals + EXCLUDED.deals, amount = deal_stage_total.amount + EXCLUDED.amount`,
    [ws],
  );
  await executeRaw(
    ctx.db,
    `INSERT INTO search_word (workspace_id, word)
     SELECT DISTINCT $1::uuid, w FROM unnest(regexp_split_to_array(lower(array_to_string($2::text[], ' ')), '[^[:alnum:]]+')) AS w WHERE length(w) >= 3
     ON CONFLICT DO NOTHING`,
    [ws, TITLES[ctx.locale]],
  );
  const { rows } = await executeRaw(
    ctx.db,
    'SELECT (SELECT count(*) FROM deal_stage_history WHERE workspace_id = $1)::int AS stays, (SELECT count(*) FROM deal_contact WHERE workspace_id = $1)::int AS contacts',
    [ws],
  );
  step('board totals and search words');
  return { deals: count, pipelines, stageStays: Number(rows[0]?.stays), dealContacts: Number(rows[0]?.contacts) };
}
