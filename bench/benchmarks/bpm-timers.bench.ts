import os from 'node:os';
import { executeRaw, openDatabase, type Database } from '../../packages/server/src/infra/db.js';
import { newId } from '../../packages/server/src/infra/ids.js';
import { commonFields, type Benchmark, type BenchContext } from '../lib/benchmark.js';
import { bpmFixture, cloneInstance, timerProcessXml } from '../lib/bpm.js';
import { BATCH, latenessHeadline, latenessOf, latenessTarget, MEASURED, runBatches, SCHEDULE, scheduleRows, startBareDueLoop, type Lateness } from '../lib/lateness.js';
import { meets, type BenchResult, type Target as PassTarget } from '../lib/results.js';
import { round, roundSummary } from '../lib/stats.js';

const TARGET: PassTarget = { field: 'value', op: '<=', threshold: 1_000 };
/** Pending process timers (the size), measured batches included: instances waiting at a timer event. */
const TIMERS = Number.parseInt(process.env.BENCH_BPM_INSTANCES ?? '', 10) || 100_000;
/** Time from setting Rapport's batch to its first due time: its server starts within it (PGlite: one owner per data directory). */
const RAPPORT_LEAD_MS = 30_000;

/** Sets the batch's due times: `start` + its offsets. */
async function schedule(database: Database, workspaceId: string, timerIds: string[], start: number): Promise<void> {
  await database.executeSql(`UPDATE process_timer t SET due_at = x.at FROM json_to_recordset($2::json) AS x(id uuid, at timestamptz) WHERE t.workspace_id = $1 AND t.id = x.id`, [workspaceId, scheduleRows(timerIds, start)]);
}

/**
 * Two latenesses per timer of the batch: fired_at − due_at (fired_at is the "now" of the pass that claimed it, as
 * reminder-lateness measures) and ended_at − due_at (the instance's end, stamped by the step the timer ran: when the
 * token had really moved on).
 */
async function lateness(database: Database, workspaceId: string, timerIds: string[]): Promise<{ fired: Lateness; stepped: Lateness }> {
  const { rows } = await database.executeSql(
    `SELECT t.id, t.due_at, t.fired_at, i.ended_at FROM process_timer t JOIN process_instance i ON i.workspace_id = t.workspace_id AND i.id = t.instance_id
     WHERE t.workspace_id = $1 AND t.id = ANY($2::uuid[])`,
    [workspaceId, timerIds],
  );
  const byId = new Map(rows.map((row) => [String(row.id), row]));
  const items = timerIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  return {
    fired: latenessOf(items.map((row) => ({ due: row.due_at as Date, handled: row.fired_at as Date | null }))),
    stepped: latenessOf(items.map((row) => ({ due: row.due_at as Date, handled: row.ended_at as Date | null }))),
  };
}

/**
 * The ceiling: a bare loop (the scheduler's batches and sleeps) that claims due timers with the process kind's SQL
 * (FOR UPDATE OF t SKIP LOCKED, LIMIT 100, running instances only) and writes, per timer, the rows the engine's step
 * writes for this process — the timer fired, the waiting token done, the end token, the events "timer_fired" and
 * "completed", the instance completed — in one statement; no engine, no services.
 */
function startBareLoop(database: Database): { stop(): Promise<void> } {
  return startBareDueLoop(
    (now) =>
      database.db.transaction().execute(async (trx) => {
        const run = async (text: string, values: unknown[]) => (await executeRaw(trx, text, values)).rows;
        const due = await run(
          `SELECT t.* FROM process_timer t
           WHERE t.fired_at IS NULL AND t.due_at <= $1
             AND EXISTS (SELECT 1 FROM process_instance i WHERE i.workspace_id = t.workspace_id AND i.id = t.instance_id AND i.state = 'running')
           ORDER BY t.due_at LIMIT ${BATCH}
           FOR UPDATE OF t SKIP LOCKED`,
          [now],
        );
        for (const timer of due) {
          await run(
            `WITH i AS (SELECT id FROM process_instance WHERE workspace_id = $1 AND id = $2 FOR UPDATE),
             fired AS (UPDATE process_timer SET fired_at = $4 WHERE workspace_id = $1 AND id = $3),
             waited AS (UPDATE process_token SET state = 'done', left_at = $5 WHERE workspace_id = $1 AND id = $6),
             ended AS (INSERT INTO process_token (workspace_id, id, instance_id, element_id, state, via_flow, entered_at, left_at) SELECT $1, $7, i.id, 'end', 'done', 'f2', $5, $5 FROM i),
             events AS (INSERT INTO process_event (workspace_id, id, instance_id, at, kind, element_id, data) SELECT $1, x.id, i.id, $5, x.kind, x.element_id, '{}' FROM i, (VALUES ($8::uuid, 'timer_fired', 'wait'), ($9::uuid, 'completed', NULL)) AS x(id, kind, element_id))
             UPDATE process_instance SET state = 'completed', ended_at = $5, updated_at = now(), version = version + 1 WHERE workspace_id = $1 AND id = $2`,
            [timer.workspace_id, timer.instance_id, timer.id, now, new Date(), timer.token_id, newId(), newId(), newId()],
          );
        }
        return due.length;
      }),
    async () => {
      const { rows } = await database.executeSql(
        `SELECT min(t.due_at) AS at FROM process_timer t WHERE t.fired_at IS NULL AND EXISTS (SELECT 1 FROM process_instance i WHERE i.workspace_id = t.workspace_id AND i.id = t.instance_id AND i.state = 'running')`,
        [],
      );
      return rows[0]?.at ? new Date(rows[0].at as Date) : null;
    },
  );
}

/**
 * 100,000 instances waiting at a timer event (pending process timers); a batch of 1,000 comes due while the real
 * Rapport server (its due-timer loop with every kind app-runtime wires, real clock) runs; lateness = how long after its
 * due time each timer's step ran. Ceiling: a bare claim-and-step loop on the same tables, with a second batch.
 */
export const bpmTimers: Benchmark = {
  name: 'bpm-timers',
  description: '100k pending process timers: lateness of 1,000 coming due under the real due-timer loop (timer → instance ends), vs a bare claim-and-step loop',
  async run(ctx: BenchContext) {
    const setupStarted = performance.now();
    let rapportIds: string[] = [];
    let ceilingIds: string[] = [];
        const fixture = await bpmFixture(ctx, 'bpm_timers', timerProcessXml, async ({ database, services, ctx: setupCtx, fixture: f }) => {
      const template = await services.process.start(setupCtx, f.definitionId, {});
      await cloneInstance(database, f.workspaceId, template.id, TIMERS - 1);
      // The copies' timers are all due in 30 days; spread them over the month from tomorrow, as real ones would be.
      await database.executeSql(`UPDATE process_timer SET due_at = now() + interval '1 day' + (('x' || substr(md5(id::text), 1, 8))::bit(32)::bigint % 2592000) * interval '1 second' WHERE workspace_id = $1`, [f.workspaceId]);
      const picked = await database.executeSql(`SELECT id FROM process_timer WHERE workspace_id = $1 ORDER BY id LIMIT $2`, [f.workspaceId, 2 * MEASURED]);
      const ids = picked.rows.map((row) => String(row.id));
      rapportIds = ids.slice(0, MEASURED);
      ceilingIds = ids.slice(MEASURED);
      const counted = await database.executeSql(`SELECT count(*)::int AS n FROM process_timer WHERE fired_at IS NULL`, []);
      return `${Number(counted.rows[0]?.n).toLocaleString('en')} instances waiting at a timer event (pending timers 1–31 days ahead but the measured batches; copies of one started through the engine)`;
    });
    const setupMs = performance.now() - setupStarted;
    ctx.log(`${fixture.dataset} in ${Math.round(setupMs / 1000)} s`);
    const target = fixture.target;
    // Rapport's batch, set just before its server starts (PGlite's data directory has one owner at a time).
    const setup = await openDatabase(latenessTarget(target));
    const rapportStart = Date.now() + RAPPORT_LEAD_MS;
    try {
      await schedule(setup, fixture.workspaceId, rapportIds, rapportStart);
    } finally {
      await setup.close();
    }

    const run = await runBatches(ctx, target, {
      items: 'timers',
      rapportStart,
      read: (database, side) => lateness(database, fixture.workspaceId, side === 'rapport' ? rapportIds : ceilingIds),
      scheduleCeiling: (database, start) => schedule(database, fixture.workspaceId, ceilingIds, start),
      startCeiling: startBareLoop,
    });
    const { rapport: rapportLate, ceiling: ceilingLate, peakRssMb: peakRss, readyLeadMs } = run;

    const r = rapportLate.stepped.summary;
    const c = ceilingLate.stepped.summary;
    ctx.log(
      `rapport step lateness p50 ${round(r.p50, 0)} ms, p95 ${round(r.p95, 0)}, p99 ${round(r.p99, 0)}, max ${round(r.max, 0)} (claim lateness p99 ${round(rapportLate.fired.summary.p99, 0)}); ceiling p99 ${round(c.p99, 0)} ms`,
    );
    const pass = rapportLate.stepped.unfired === 0 && meets(TARGET, r.p99, c.p99 / r.p99);
    const result: BenchResult = {
      name: 'bpm-timers',
      metric: `process timer lateness (the instance's step after the timer − due_at) p99 of ${MEASURED.toLocaleString('en')} timers coming due among ${TIMERS.toLocaleString('en')} pending`,
      ...latenessHeadline(r, c),
      dataset: fixture.dataset,
      ...commonFields(ctx),
      target: TARGET,
      pass,
      rssMb: peakRss === undefined ? undefined : round(peakRss, 1),
      details: {
        rapportMs: roundSummary(r, 1),
        ceilingMs: roundSummary(c, 1),
        rapportUnhandled: rapportLate.stepped.unfired,
        ceilingUnhandled: ceilingLate.stepped.unfired,
        rapportSpreadMs: rapportLate.stepped.spreadMs,
        rapportBurstMs: rapportLate.stepped.burstMs,
        ceilingSpreadMs: ceilingLate.stepped.spreadMs,
        ceilingBurstMs: ceilingLate.stepped.burstMs,
        rapportClaimMs: roundSummary(rapportLate.fired.summary, 1),
        ceilingClaimMs: roundSummary(ceilingLate.fired.summary, 1),
        rapportPasses: rapportLate.fired.passes,
        ceilingPasses: ceilingLate.fired.passes,
        measurement:
          'value = ended_at − due_at: the process is start → timer → end, so the instance ends in the step the timer runs, and ended_at is that step’s clock; the claim lateness (fired_at − due_at, fired_at = the "now" of the claiming pass, as reminder-lateness measures) is in rapportClaimMs / ceilingClaimMs',
        schedule: SCHEDULE,
        rapportReadyBeforeBatchMs: Math.round(readyLeadMs),
        setupMs: Math.round(setupMs),
        loadavgAfter: os.loadavg().map((value) => round(value, 2)),
        command: 'bench/servers/rapport-server.ts (startServer, workers on, LOG_LEVEL=warn, system clock)',
        ceilingNote:
          'a bare loop in the bench process: the process kind’s claim SQL (SELECT … FOR UPDATE OF t SKIP LOCKED, LIMIT 100, running instances only) and one statement per timer writing the step’s rows (timer fired, token done, end token, two events, instance completed) in the same transaction, then min(due_at) of the pending timers, sleeping as the scheduler does (until the next due time, ≤ 1 s); run on the same tables after Rapport stopped, with its own batch',
      },
    };
    return result;
  },
};
