import os from 'node:os';
import { sql } from 'kysely';
import { openRuntime } from '../../packages/server/src/app-runtime.js';
import { loadConfig } from '../../packages/server/src/infra/config.js';
import type { Database } from '../../packages/server/src/infra/db.js';
import { createLogger } from '../../packages/server/src/infra/logger.js';
import { describeDataset, generateDataset } from '../dataset/index.js';
import { targetEnv } from '../lib/backend.js';
import { commonFields, type Benchmark, type BenchContext } from '../lib/benchmark.js';
import { meets, type BenchResult, type Target as PassTarget } from '../lib/results.js';
import { BATCH, latenessHeadline, latenessOf, MEASURED, runBatches, SCHEDULE, scheduleRows, startBareDueLoop, type Lateness } from '../lib/lateness.js';
import { round, roundSummary } from '../lib/stats.js';

const TARGET: PassTarget = { field: 'value', op: '<=', threshold: 1_000 };

/** Pending reminders in the table (the size), measured batches included. */
const REMINDERS = 100_000;
/** Tasks the reminders belong to (100 reminders each), owned by the dataset's users. */
const TASKS = 1_000;
/** Time from setting a batch's fire times to its first one: Rapport's server starts within it (PGlite's data directory has one owner, so the times are set before the start). */
const RAPPORT_LEAD_MS = 30_000;
const LATE_AFTER_MS = 60_000;

/** Sets the batch's fire times: `start` + its offsets. */
async function schedule(database: Database, workspaceId: string, ids: string[], start: number): Promise<void> {
  await database.executeSql(`UPDATE reminder r SET fire_at = x.at FROM json_to_recordset($2::json) AS x(id uuid, at timestamptz) WHERE r.workspace_id = $1 AND r.id = x.id`, [workspaceId, scheduleRows(ids, start)]);
}

/** fired_at − fire_at of the batch, ms, and how many of it were marked late. */
async function lateness(database: Database, workspaceId: string, ids: string[]): Promise<Lateness & { late: number }> {
  const { rows } = await database.executeSql(
    `SELECT r.id, r.fire_at, r.fired_at, r.late FROM reminder r JOIN unnest(string_to_array($2, ',')::uuid[]) AS x(id) ON r.id = x.id WHERE r.workspace_id = $1`,
    [workspaceId, ids.join(',')],
  );
  const byId = new Map(rows.map((row) => [String(row.id), row]));
  const items = ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [{ due: row.fire_at as Date, handled: row.fired_at as Date | null }] : [];
  });
  return { ...latenessOf(items), late: rows.filter((row) => row.late === true).length };
}

/**
 * The ceiling: a bare loop doing the reminder kind's claim-and-mark SQL (the same SELECT … FOR UPDATE OF r SKIP LOCKED
 * joined with the task, batches of 100, one UPDATE per row in the same transaction, then min(fire_at) of the pending
 * rows) with the scheduler's sleep rule (until the next fire time, at most 1 s, 25 ms when nothing fired), as raw SQL
 * on a connection pool: no services, no notifications or e-mails, no other kinds of timers.
 */
function startBareLoop(database: Database): { stop(): Promise<void> } {
  return startBareDueLoop(
    (now) =>
      database.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ workspace_id: string; id: string; fire_at: Date }>`
          SELECT r.*, t.title AS task_title, t.status AS task_status, (t.deleted_at IS NOT NULL) AS task_deleted, t.due_at
          FROM reminder r LEFT JOIN task t ON t.workspace_id = r.workspace_id AND t.id = r.task_id
          WHERE r.fired_at IS NULL AND r.fire_at <= ${now}
          ORDER BY r.fire_at LIMIT ${BATCH} FOR UPDATE OF r SKIP LOCKED`.execute(trx);
        for (const row of rows) {
          const late = now.getTime() - new Date(row.fire_at).getTime() > LATE_AFTER_MS;
          await sql`UPDATE reminder SET fired_at = ${now}, late = ${late} WHERE workspace_id = ${row.workspace_id} AND id = ${row.id}`.execute(trx);
        }
        return rows.length;
      }),
    async () => {
      const { rows } = await sql<{ at: Date | null }>`SELECT min(fire_at) AS at FROM reminder WHERE fired_at IS NULL`.execute(database.db);
      return rows[0]?.at ? new Date(rows[0].at) : null;
    },
  );
}

/**
 * 100,000 pending reminders; a batch of 1,000 comes due while the real Rapport server (its due-timer loop with every
 * kind app-runtime wires, real clock) runs; lateness = fired_at − fire_at. Ceiling: a bare claim-and-mark loop on the
 * same table, with a second batch.
 */
export const reminderLateness: Benchmark = {
  name: 'reminder-lateness',
  description: '100k pending reminders: fired_at − fire_at of 1,000 coming due under the real due-timer loop, vs a bare claim-and-mark loop',
  async run(ctx: BenchContext) {
    const { backend } = ctx;
    const target = await backend.fresh('reminder_lateness');
    const env = { ...targetEnv(target, backend.tempDir('reminder-lateness-scratch')), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };

    // Dataset: the bench workspace at scale 1, tasks, 100k reminders far in the future.
    const setupStarted = performance.now();
    const runtime = await openRuntime(loadConfig(env), createLogger('warn'), { workers: false });
    let workspaceId: string;
    let dataset: string;
    let rapportIds: string[];
    let ceilingIds: string[];
    let rapportStart = 0;
    try {
      const summary = await generateDataset(runtime.database.db, { scale: 1 });
      workspaceId = summary.workspaceId;
      const database = runtime.database;
      await database.executeSql(
        `INSERT INTO task (workspace_id, id, title, owner_id, team_id, priority, status)
         SELECT $1, gen_random_uuid(), 'Bench task ' || g, u.id, u.team_id, 'normal', 'open'
         FROM generate_series(0, $2::int - 1) g
         JOIN (SELECT id, team_id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS c FROM app_user WHERE workspace_id = $1 AND status = 'active') u ON u.n = g % u.c`,
        [workspaceId, TASKS],
      );
      // Spread over 30 days from tomorrow: nothing but the measured batches comes due during the run.
      await database.executeSql(
        `INSERT INTO reminder (workspace_id, id, user_id, task_id, fire_at)
         SELECT $1, gen_random_uuid(), t.owner_id, t.id, now() + interval '1 day' + g * interval '25.92 seconds'
         FROM generate_series(0, $2::int - 1) g
         JOIN (SELECT id, owner_id, row_number() OVER (ORDER BY id) - 1 AS n FROM task WHERE workspace_id = $1) t ON t.n = g % $3::int`,
        [workspaceId, REMINDERS, TASKS],
      );
      const picked = await database.executeSql(`SELECT id FROM reminder WHERE workspace_id = $1 ORDER BY id LIMIT $2`, [workspaceId, 2 * MEASURED]);
      const ids = picked.rows.map((row) => String(row.id));
      rapportIds = ids.slice(0, MEASURED);
      ceilingIds = ids.slice(MEASURED);
      await database.executeSql('ANALYZE reminder');
      await database.executeSql('ANALYZE task');
      const counted = await database.executeSql(`SELECT count(*)::int AS n FROM reminder WHERE fired_at IS NULL`);
      dataset = `${describeDataset(summary)}, ${TASKS.toLocaleString('en')} open tasks, ${Number(counted.rows[0]?.n).toLocaleString('en')} pending reminders (all but the measured batches 1–31 days ahead)`;
      // Rapport's batch, set before its server starts (PGlite's data directory has one owner at a time).
      rapportStart = Date.now() + RAPPORT_LEAD_MS;
      await schedule(database, workspaceId, rapportIds, rapportStart);
    } finally {
      await runtime.close();
    }
    const setupMs = performance.now() - setupStarted;
    ctx.log(`${dataset} in ${Math.round(setupMs / 1000)} s`);

    const run = await runBatches(ctx, target, {
      items: 'reminders',
      rapportStart,
      read: (database, side) => lateness(database, workspaceId, side === 'rapport' ? rapportIds : ceilingIds),
      scheduleCeiling: (database, start) => schedule(database, workspaceId, ceilingIds, start),
      startCeiling: startBareLoop,
    });
    const { rapport: rapportLate, ceiling: ceilingLate, peakRssMb: peakRss, readyLeadMs } = run;

    const r = rapportLate.summary;
    const c = ceilingLate.summary;
    ctx.log(`rapport lateness p50 ${round(r.p50, 0)} ms, p95 ${round(r.p95, 0)}, p99 ${round(r.p99, 0)}, max ${round(r.max, 0)}; ceiling p99 ${round(c.p99, 0)} ms`);
    const pass = rapportLate.unfired === 0 && meets(TARGET, r.p99, c.p99 / r.p99);
    const result: BenchResult = {
      name: 'reminder-lateness',
      metric: `reminder lateness (fired_at − fire_at) p99 of ${MEASURED.toLocaleString('en')} reminders coming due among ${REMINDERS.toLocaleString('en')} pending`,
      ...latenessHeadline(r, c),
      dataset,
      ...commonFields(ctx),
      target: TARGET,
      pass,
      rssMb: peakRss === undefined ? undefined : round(peakRss, 1),
      details: {
        rapportMs: roundSummary(r, 1),
        ceilingMs: roundSummary(c, 1),
        rapportUnfired: rapportLate.unfired,
        ceilingUnfired: ceilingLate.unfired,
        rapportMarkedLate: rapportLate.late,
        rapportSpreadMs: rapportLate.spreadMs,
        rapportBurstMs: rapportLate.burstMs,
        ceilingSpreadMs: ceilingLate.spreadMs,
        ceilingBurstMs: ceilingLate.burstMs,
        rapportPasses: rapportLate.passes,
        ceilingPasses: ceilingLate.passes,
        passesNote: 'distinct fired_at values in the batch = passes of the loop that fired it (a pass stamps all it fires with its start time, so a burst shows as one lateness)',
        schedule: SCHEDULE,
        rapportReadyBeforeBatchMs: Math.round(readyLeadMs),
        setupMs: Math.round(setupMs),
        loadavgAfter: os.loadavg().map((value) => round(value, 2)),
        command: 'bench/servers/rapport-server.ts (startServer, workers on, LOG_LEVEL=warn, system clock)',
        ceilingNote:
          'a bare loop in the bench process: the reminder kind’s claim SQL (SELECT … FOR UPDATE OF r SKIP LOCKED, LIMIT 100, joined with task) and one UPDATE … SET fired_at, late per row in the same transaction, then min(fire_at) of the pending rows, sleeping as the scheduler does (until the next fire time, ≤ 1 s); no notifications, e-mails or other timer kinds; run on the same table after Rapport stopped, with its own batch',
        measurement: 'fired_at is the "now" of the pass that fired the reminder (taken just before the claim), so lateness = how long after its time the claiming pass began; the transaction’s own time (notification, e-mail job) is not in it',
      },
    };
    return result;
  },
};
