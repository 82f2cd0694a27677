import { openDatabase, type DatabaseTarget } from '../../packages/server/src/infra/db.js';
import { newId } from '../../packages/server/src/infra/ids.js';
import { commonFields, type Benchmark, type BenchContext } from '../lib/benchmark.js';
import { clientBaseFixture, startClientBaseServers } from '../lib/client-base.js';
import { meets, type BenchResult, type Target as PassTarget } from '../lib/results.js';
import { biggestPipeline } from '../lib/sales.js';
import { round, roundSummary, summarize } from '../lib/stats.js';

const TARGET: PassTarget = { field: 'value', op: '<=', threshold: 1000 };
/** Moves per side, one at a time, the sides alternating move by move. */
const MOVES = 40;
/** How often the bench asks Rapport whether the robot's run is done (the measured time is at most this much late). */
const POLL_MS = 10;
const RUN_TIMEOUT_MS = 30_000;
/** A pause between moves, so each one meets an idle queue as a user's drag would. */
const GAP_MS = 200;
const ROBOT_CEILING = 'bench/servers/robot-ceiling-server.ts';
const RULE_NAME = 'Bench: call the client';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A stage robot's lag: a rule "on enter → create the owner's task" on the second stage of the biggest pipeline; deals of
 * its first stage are moved there through POST /api/v1/deals/:id/move as the head of sales, and the time from sending
 * the move until the deal's robot run is done (its task is created in the run's transaction) is measured, one move at a
 * time. The ceiling creates the task in the move's own transaction: its answer is the bare stage change → task time.
 */
export const robotLatency: Benchmark = {
  name: 'robot-latency',
  description: 'stage change → robot task created (POST /api/v1/deals/:id/move, on-enter create_task): p95 vs the task made in the move',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const fixture = await clientBaseFixture(ctx, 'deals');
    const setupTarget: DatabaseTarget = fixture.target.kind === 'postgres' ? { kind: 'postgres', url: fixture.target.url, max: 2 } : fixture.target;
    const setup = await openDatabase(setupTarget);
    let deals: { id: string; version: number }[];
    let stages: { from: string; to: string; pipeline: string };
    try {
      const pipeline = await biggestPipeline((text, values) => setup.executeSql(text, values), fixture.workspaceId);
      const { rows: open } = await setup.executeSql("SELECT id FROM pipeline_stage WHERE workspace_id = $1 AND pipeline_id = $2 AND kind = 'open' ORDER BY position LIMIT 2", [fixture.workspaceId, pipeline.id]);
      if (open.length < 2) throw new Error('the biggest pipeline has fewer than two open stages');
      stages = { from: String(open[0]!.id), to: String(open[1]!.id), pipeline: pipeline.name };
      const { rows: admin } = await setup.executeSql("SELECT u.id FROM app_user u JOIN role r ON r.workspace_id = u.workspace_id AND r.id = u.role_id WHERE u.workspace_id = $1 AND r.name ILIKE 'admin%' ORDER BY u.created_at LIMIT 1", [fixture.workspaceId]);
      // One rule, whatever earlier runs on a reused base left; the rule as Settings › Pipelines › a stage's Robots saves it (robot.ts RobotRuleBody).
      await setup.executeSql('DELETE FROM stage_rule WHERE workspace_id = $1 AND name = $2', [fixture.workspaceId, RULE_NAME]);
      await setup.executeSql("INSERT INTO stage_rule (workspace_id, id, stage_id, name, trigger, actions, created_by, updated_by) VALUES ($1, $2, $3, $4, 'on_enter', $5, $6, $6)", [
        fixture.workspaceId,
        newId(),
        stages.to,
        RULE_NAME,
        JSON.stringify([{ type: 'create_task', config: { title: 'Call the client about {{title}}', assignee: { kind: 'owner' }, dueIn: { amount: 2, unit: 'hours' }, priority: 'high' } }]),
        admin[0]?.id ?? null,
      ]);
      const { rows } = await setup.executeSql('SELECT id, version FROM deal WHERE workspace_id = $1 AND stage_id = $2 AND deleted_at IS NULL ORDER BY md5(id::text) LIMIT $3', [fixture.workspaceId, stages.from, 2 * MOVES]);
      if (rows.length < 2 * MOVES) throw new Error(`the first stage holds ${rows.length} deals, ${2 * MOVES} are needed`);
      deals = rows.map((row) => ({ id: String(row.id), version: Number(row.version) }));
    } finally {
      await setup.close();
    }
    ctx.log(`rule on the second stage of "${stages.pipeline}"; ${MOVES} moves per side; ${fixture.dataset}`);

    const { servers } = await startClientBaseServers(ctx, fixture, 'robot-latency', async () => undefined, ROBOT_CEILING);
    const headers = { cookie: servers.cookie, 'x-csrf-token': servers.csrfToken, 'content-type': 'application/json' };
    const move = async (baseUrl: string, deal: { id: string; version: number }) => {
      const response = await fetch(`${baseUrl}/api/v1/deals/${deal.id}/move`, { method: 'POST', headers, body: JSON.stringify({ stageId: stages.to, version: deal.version }) });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`move answered ${response.status}: ${text.slice(0, 500)}`);
    };
    const rapportMs: number[] = [];
    const rapportMoveMs: number[] = [];
    const ceilingMs: number[] = [];
    try {
      for (let i = 0; i < MOVES; i++) {
        const deal = deals[2 * i]!;
        const started = performance.now();
        await move(servers.rapport.url, deal);
        rapportMoveMs.push(performance.now() - started);
        for (;;) {
          const response = await fetch(`${servers.rapport.url}/api/v1/deals/${deal.id}/robot-runs`, { headers });
          const runs = ((await response.json()) as { items: { status: string; error: string | null }[] }).items;
          const failed = runs.find((run) => run.status === 'failed');
          if (failed) throw new Error(`the robot run failed: ${failed.error}`);
          if (runs.some((run) => run.status === 'done')) break;
          if (performance.now() - started > RUN_TIMEOUT_MS) throw new Error(`no robot run done ${RUN_TIMEOUT_MS} ms after the move`);
          await sleep(POLL_MS);
        }
        rapportMs.push(performance.now() - started);
        await sleep(GAP_MS);
        const bare = performance.now();
        await move(servers.ceiling.url, deals[2 * i + 1]!);
        ceilingMs.push(performance.now() - bare);
        await sleep(GAP_MS);
      }
    } finally {
      await servers.stop();
    }
    const rapport = summarize(rapportMs);
    const ceiling = summarize(ceilingMs);
    ctx.log(`rapport p50 ${round(rapport.p50, 1)} / p95 ${round(rapport.p95, 1)} ms (the move's own answer p50 ${round(summarize(rapportMoveMs).p50, 1)} ms); ceiling p50 ${round(ceiling.p50, 1)} / p95 ${round(ceiling.p95, 1)} ms`);
    const ratio = ceiling.p95 / rapport.p95;
    return {
      name: 'robot-latency',
      metric: 'p95 latency, POST /api/v1/deals/:id/move → the on-enter robot\'s task created (one move at a time)',
      value: round(rapport.p95),
      unit: 'ms',
      ceiling: round(ceiling.p95),
      ratio: round(ratio, 3),
      ratioDefinition: 'ceiling p95 ÷ rapport p95 (the ceiling creates the task in the move\'s own transaction)',
      p50: round(rapport.p50),
      p95: round(rapport.p95),
      p99: round(rapport.p99),
      percentileUnit: 'ms',
      dataset: fixture.dataset,
      ...commonFields(ctx),
      target: TARGET,
      pass: meets(TARGET, rapport.p95, ratio),
      samples: rapport.n,
      details: {
        endpoint: 'POST /api/v1/deals/:id/move, then GET /api/v1/deals/:id/robot-runs every 10 ms until the run is done',
        rule: 'on_enter, create_task for the deal\'s owner (due in 2 hours, high priority), on the second open stage of the biggest pipeline',
        measuredUntil: 'the run is "done": create_task runs in the run\'s transaction, so its task exists then; polling makes it up to 10 ms late',
        moves: MOVES,
        gapMs: GAP_MS,
        rapportMs: roundSummary(rapport),
        rapportMoveAnswerMs: roundSummary(summarize(rapportMoveMs)),
        ceilingMs: roundSummary(ceiling),
        login: `${fixture.login} (head of sales)`,
        databaseTarget: fixture.target.kind === 'postgres' ? fixture.target.database : 'PGlite data directory (the ceiling moves on a copy)',
      },
    };
  },
};
