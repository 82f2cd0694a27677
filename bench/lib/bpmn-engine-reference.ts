import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import type { BenchContext } from './benchmark.js';
import { packageVersion } from './backend.js';
import { taskProcessXml } from './bpm.js';
import { round } from './stats.js';

/** The same diagram as Rapport's benchmarks run, without Rapport's extension attribute (bpmn-engine has no assignees). */
const XML = taskProcessXml('reference').replace(/ rapport:assignee="[^"]*"/, '');

/** One instance: a new engine on the diagram, executed until its user task waits, signalled, run to its end. */
async function oneInstance(n: number): Promise<void> {
  const engine = new Engine({ name: `reference-${n}`, source: XML });
  const listener = new EventEmitter();
  listener.on('wait', (api: { signal(message?: unknown): void }) => api.signal({ approved: true }));
  const ended = engine.waitFor('end');
  await engine.execute({ listener });
  await ended;
}

/**
 * The reference figure the issue asks for: the same start → user task → complete loop run in-process with bpmn-engine
 * (no database, no HTTP), BENCH_CONNECTIONS loops at once for BENCH_DURATION seconds after a second of warm-up.
 */
export async function bpmnEngineLoop(ctx: BenchContext): Promise<Record<string, unknown>> {
  const run = async (ms: number) => {
    let done = 0;
    const until = performance.now() + ms;
    await Promise.all(
      Array.from({ length: ctx.options.connections }, async () => {
        while (performance.now() < until) await oneInstance(done++);
      }),
    );
    return done;
  };
  await run(1_000);
  const started = performance.now();
  const done = await run(ctx.options.durationS * 1_000);
  const perSecond = done / ((performance.now() - started) / 1_000);
  ctx.log(`reference: bpmn-engine ${packageVersion('bpmn-engine')} in-process start → user task → complete: ${round(perSecond, 1)} instances/s`);
  return {
    referenceBpmnEngine: {
      instancesPerSecond: round(perSecond, 1),
      instances: done,
      version: packageVersion('bpmn-engine'),
      how: `the same diagram in bpmn-engine, in the bench process: new Engine({ source }) per instance, execute, signal the user task on "wait", until "end"; ${ctx.options.connections} loops at once for ${ctx.options.durationS} s; nothing persisted, no HTTP`,
    },
  };
}
