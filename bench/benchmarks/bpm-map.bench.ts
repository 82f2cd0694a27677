import type { Benchmark } from '../lib/benchmark.js';
import { runBpmBenchmark } from '../lib/bpm-bench.js';
import { cloneInstance, taskProcessXml } from '../lib/bpm.js';
import type { Target as PassTarget } from '../lib/results.js';

const TARGET: PassTarget = { field: 'value', op: '<=', threshold: 100 };
/** Instances of the version (the size); BENCH_BPM_INSTANCES overrides. */
const INSTANCES = Number.parseInt(process.env.BENCH_BPM_INSTANCES ?? '', 10) || 100_000;
/** Of them, this share has ended (the task done); the rest waits at the task. */
const COMPLETED_SHARE = 0.7;

/**
 * The definition map's counters: GET /api/v1/process-definitions/:id/versions/:n/marks — per element, the tokens
 * waiting there, failed there, done, and the mean time spent — over all instances of a version, as the designer's
 * map view loads it, with BENCH_LATENCY_CONNECTIONS connections.
 */
export const bpmMap: Benchmark = {
  name: 'bpm-map',
  description: 'GET /api/v1/process-definitions/:id/versions/:n/marks over 100k instances: p95 vs bare Fastify + pg',
  run: (ctx) =>
    runBpmBenchmark(ctx, {
      name: 'bpm-map',
      metric: `p95 latency, GET /api/v1/process-definitions/:id/versions/:n/marks (per-element counters over ${INSTANCES.toLocaleString('en')} instances; ${ctx.options.latencyConnections} connections)`,
      target: TARGET,
      mode: 'latency',
      endpoint: 'GET /api/v1/process-definitions/:id/versions/:n/marks',
      xml: taskProcessXml,
      async prepare({ database, services, ctx: setupCtx, fixture }) {
        const completed = Math.round(INSTANCES * COMPLETED_SHARE);
        const done = await services.process.start(setupCtx, fixture.definitionId, {});
        const { rows } = await database.executeSql(`SELECT task_id FROM process_user_task WHERE workspace_id = $1 AND instance_id = $2`, [fixture.workspaceId, done.id]);
        await services.process.completeTask(setupCtx, done.id, String(rows[0]?.task_id), {});
        const waiting = await services.process.start(setupCtx, fixture.definitionId, {});
        await cloneInstance(database, fixture.workspaceId, done.id, completed - 1);
        await cloneInstance(database, fixture.workspaceId, waiting.id, INSTANCES - completed - 1);
        return `${INSTANCES.toLocaleString('en')} instances of the version: ${completed.toLocaleString('en')} completed, ${(INSTANCES - completed).toLocaleString('en')} waiting at the user task (copies of two run through the engine)`;
      },
      workload(fixture) {
        const marks = { path: `/api/v1/process-definitions/${fixture.definitionId}/versions/${fixture.versionNumber}/marks` };
        return {
          rapport: [marks],
          ceiling: [marks],
          probe: { rapport: marks, ceiling: marks },
          serve: (services, requestCtx) => services.process.versionMarks(requestCtx, fixture.definitionId, fixture.versionNumber),
          comparable: (body) => body,
          notes: { instances: INSTANCES, completedShare: COMPLETED_SHARE },
        };
      },
    }),
};
