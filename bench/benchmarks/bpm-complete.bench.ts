import type { ProcessInstance } from '@rapport/shared';
import type { Benchmark } from '../lib/benchmark.js';
import { runBpmBenchmark } from '../lib/bpm-bench.js';
import { cloneInstance, taskProcessXml } from '../lib/bpm.js';
import { bpmnEngineLoop } from '../lib/bpmn-engine-reference.js';
import type { LoadRequest } from '../lib/load.js';
import type { Target as PassTarget } from '../lib/results.js';

const TARGET: PassTarget = { field: 'value', op: '>=', threshold: 1_000 };

/**
 * Open tasks per side: a completion can be sent once, so each side walks its own list and must not run out within
 * the warm-up and the measured windows. BENCH_BPM_TASKS overrides (PGlite is far slower, so it needs fewer).
 */
function tasksPerSide(kind: 'pglite' | 'postgres'): number {
  const raw = process.env.BENCH_BPM_TASKS;
  return raw ? Math.max(10, Number.parseInt(raw, 10)) : kind === 'postgres' ? 60_000 : 15_000;
}

const comparable = (body: unknown) => {
  const { id: _id, startedAt: _startedAt, endedAt, ...rest } = body as ProcessInstance;
  return { ...rest, ended: endedAt !== null };
};

/**
 * User-task completions per second: POST /api/v1/process-instances/:id/tasks/:taskId/complete of instances waiting at
 * the user task of a start → user task → end process, each completion running the instance to its end, over HTTP with
 * BENCH_CONNECTIONS connections as the task's assignee. The instances are copies of one started through the engine.
 */
export const bpmComplete: Benchmark = {
  name: 'bpm-complete',
  description: 'POST /api/v1/process-instances/:id/tasks/:taskId/complete (task done → instance completed): completions/s vs the same rows in one bare statement',
  run(ctx) {
    const perSide = tasksPerSide(ctx.backend.kind);
    const open: { instanceId: string; taskId: string }[] = [];
    return runBpmBenchmark(ctx, {
      name: 'bpm-complete',
      metric: `user-task completions per second, POST /api/v1/process-instances/:id/tasks/:taskId/complete (the instance then ends; ${ctx.options.connections} HTTP connections)`,
      target: TARGET,
      mode: 'throughput',
      endpoint: 'POST /api/v1/process-instances/:id/tasks/:taskId/complete',
      xml: taskProcessXml,
      async prepare({ database, services, ctx: setupCtx, fixture }) {
        const template = await services.process.start(setupCtx, fixture.definitionId, {});
        const copies = await cloneInstance(database, fixture.workspaceId, template.id, 2 * perSide + 2);
        const { rows } = await database.executeSql(`SELECT instance_id, task_id FROM process_user_task WHERE workspace_id = $1 AND instance_id = ANY($2::uuid[]) AND status = 'open'`, [fixture.workspaceId, copies]);
        const taskOf = new Map(rows.map((row) => [String(row.instance_id), String(row.task_id)]));
        for (const instanceId of copies) open.push({ instanceId, taskId: taskOf.get(instanceId)! });
        return `${open.length.toLocaleString('en')} instances waiting at the user task (copies of one started through the engine)`;
      },
      workload(_fixture, { windowS }) {
        const complete = (item: { instanceId: string; taskId: string }): LoadRequest => ({ method: 'POST', path: `/api/v1/process-instances/${item.instanceId}/tasks/${item.taskId}/complete`, body: '{"data":{}}', headers: { 'content-type': 'application/json' } });
        const [rapportProbe, ceilingProbe, serve, ...rest] = open;
        const rapport = rest.filter((_, i) => i % 2 === 0).map(complete);
        const ceiling = rest.filter((_, i) => i % 2 === 1).map(complete);
        return {
          rapport,
          ceiling,
          probe: { rapport: complete(rapportProbe!), ceiling: complete(ceilingProbe!) },
          serve: (services, requestCtx) => services.process.completeTask(requestCtx, serve!.instanceId, serve!.taskId, {}),
          comparable,
          notes: {
            process: 'start → user task "review" (assignee: the administrator, who completes it) → end',
            openTasksPerSide: rapport.length,
            budget: `${rapport.length.toLocaleString('en')} completions per side over ${windowS} s of load (warm-up + windows): a side completing faster than ${Math.floor(rapport.length / windowS)}/s would run out (BENCH_BPM_TASKS)`,
          },
        };
      },
      reference: bpmnEngineLoop,
    });
  },
};
