import type { ProcessInstance } from '@rapport/shared';
import type { Benchmark } from '../lib/benchmark.js';
import { runBpmBenchmark } from '../lib/bpm-bench.js';
import { taskProcessXml } from '../lib/bpm.js';
import { bpmnEngineLoop } from '../lib/bpmn-engine-reference.js';
import type { Target as PassTarget } from '../lib/results.js';

const TARGET: PassTarget = { field: 'value', op: '>=', threshold: 1_000 };

/** What of a started instance both sides must answer alike (ids and times differ). */
const comparable = (body: unknown) => {
  const { id: _id, startedAt: _startedAt, ...rest } = body as ProcessInstance;
  return rest;
};

/**
 * Instances started per second: POST /api/v1/process-definitions/:id/instances of a deployed start → user task → end
 * process, over HTTP with BENCH_CONNECTIONS connections as the administrator. Each start runs the engine to the user
 * task: the instance, its tokens and events, the task in the task list and its link are written in the request.
 */
export const bpmStart: Benchmark = {
  name: 'bpm-start',
  description: 'POST /api/v1/process-definitions/:id/instances (start → user task created): instances/s vs the same rows in one bare statement',
  run: (ctx) =>
    runBpmBenchmark(ctx, {
      name: 'bpm-start',
      metric: `instances started per second, POST /api/v1/process-definitions/:id/instances (start → user task; ${ctx.options.connections} HTTP connections)`,
      target: TARGET,
      mode: 'throughput',
      endpoint: 'POST /api/v1/process-definitions/:id/instances',
      xml: taskProcessXml,
      prepare: async () => undefined,
      workload(fixture) {
        const start = { method: 'POST' as const, path: `/api/v1/process-definitions/${fixture.definitionId}/instances`, body: '{}', headers: { 'content-type': 'application/json' } };
        return {
          rapport: [start],
          ceiling: [start],
          probe: { rapport: start, ceiling: start },
          serve: (services, requestCtx) => services.process.start(requestCtx, fixture.definitionId, {}),
          comparable,
          notes: { process: 'start → user task "review" (assignee: the administrator) → end; each start leaves the instance waiting at the task' },
        };
      },
      reference: bpmnEngineLoop,
    }),
};
