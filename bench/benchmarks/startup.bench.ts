import fs from 'node:fs';
import path from 'node:path';
import { ROOT, targetEnv, type Target } from '../lib/backend.js';
import { childEnv, commonFields, type Benchmark, type BenchContext } from '../lib/benchmark.js';
import { freePort, rssMb, spawnNode, stopChild, waitFor200 } from '../lib/processes.js';
import { meets, type BenchResult, type Target as PassTarget } from '../lib/results.js';
import { round, roundSummary, summarize } from '../lib/stats.js';

const TARGET: PassTarget = { field: 'value', op: '<=', threshold: 3_000 };
const WEB_INDEX = path.join(ROOT, 'packages/web/dist/index.html');

interface StartRun {
  /** spawn → first 200 on the page */
  readyMs: number;
  /** spawn → the "Rapport is running" log line (Rapport only) */
  listeningLogMs?: number | undefined;
  shutdownMs: number;
  rssMb?: number | undefined;
}

/** Spawns `args`, polls `page` until 200, then stops the process gracefully. */
async function timeStart(args: string[], env: Record<string, string>, page: string, dataDir: string | undefined): Promise<StartRun> {
  const port = await freePort();
  let listeningLogMs: number | undefined;
  const started = performance.now();
  const child = spawnNode(args, childEnv({ ...env, PORT: String(port) }), {
    onLine: (line) => {
      if (listeningLogMs === undefined && line.includes('Rapport is running')) listeningLogMs = performance.now() - started;
    },
  });
  try {
    const ready = await waitFor200(`http://127.0.0.1:${port}${page}`, child);
    const rss = rssMb(child.pid);
    const shutdownMs = await stopChild(child, dataDir ? { dataDir } : {});
    return { readyMs: ready - started, listeningLogMs, shutdownMs, rssMb: rss };
  } catch (error) {
    await stopChild(child, dataDir ? { dataDir } : {});
    throw error;
  }
}

const RAPPORT = ['packages/server/bin/rapport.mjs', 'start'];
const BARE = ['bench/servers/bare-start.mjs'];
const dataDirOf = (target: Target) => (target.kind === 'pglite' ? target.dataDir : undefined);

async function phases(env: Record<string, string>): Promise<Record<string, number> | undefined> {
  const child = spawnNode(['packages/server/bin/run-ts.mjs', 'bench/servers/startup-phases.ts'], childEnv({ ...env, PORT: String(await freePort()) }));
  const code = await child.exited;
  const last = child.output().trim().split('\n').at(-1) ?? '';
  if (code !== 0) throw new Error(`startup-phases exited with ${code}:\n${child.output().slice(-3_000)}`);
  const parsed = JSON.parse(last) as { phases: Record<string, number> };
  return Object.fromEntries(Object.entries(parsed.phases).map(([name, ms]) => [name, round(ms, 1)]));
}

/** Time to import the server's runtime dependencies with plain node and under the tsx loader (run-ts). */
async function importCost(): Promise<{ packages: number; plainNodeMs: number; underTsxMs: number } | undefined> {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages/server/package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const packages = Object.keys(manifest.dependencies ?? {}).filter((name) => !['tsx', '@faker-js/faker'].includes(name));
  const once = async (args: string[]) => {
    const child = spawnNode([...args, 'bench/servers/import-deps.mjs', ...packages], childEnv({}));
    if ((await child.exited) !== 0) throw new Error(child.output().slice(-2_000));
    return (JSON.parse(child.output().trim().split('\n').at(-1) ?? '{}') as { processUpMs: number }).processUpMs;
  };
  const plain: number[] = [];
  const tsx: number[] = [];
  for (let i = 0; i < 3; i++) {
    plain.push(await once([]));
    tsx.push(await once(['packages/server/bin/run-ts.mjs']));
  }
  return { packages: packages.length, plainNodeMs: round(summarize(plain).p50, 0), underTsxMs: round(summarize(tsx).p50, 0) };
}

/**
 * Cold start of `node packages/server/bin/rapport.mjs start` on an initialised, migrated database until the
 * first page answers 200, against plain node + Fastify opening the same database; plus the first-ever start.
 */
export const startup: Benchmark = {
  name: 'startup',
  description: 'rapport start → first page 200, vs bare node + Fastify on the same data dir',
  async run(ctx: BenchContext) {
    const { backend } = ctx;
    const page = fs.existsSync(WEB_INDEX) ? '/' : '/health';
    const pageNote = page === '/' ? 'GET / (packages/web/dist present)' : 'GET /health: packages/web/dist is absent, so there is no web page to serve';
    const target = await backend.fresh('startup');
    const env = { ...targetEnv(target, backend.tempDir('startup-scratch')), LOG_LEVEL: 'info' };
    const dataDir = dataDirOf(target);

    ctx.log(`first-ever start (${target.kind === 'pglite' ? 'initdb + migrations + pg-boss schema' : 'migrations + pg-boss schema on an empty database'}), ${pageNote}`);
    const first = await timeStart(RAPPORT, env, page, dataDir);
    ctx.log(`first-ever start: ${Math.round(first.readyMs)} ms`);
    const bareTarget = await backend.fresh('startup-bare');
    const bareFirst = await timeStart(BARE, targetEnv(bareTarget, backend.tempDir('startup-bare-scratch')), page, dataDirOf(bareTarget));

    // Alternate the two sides so drift on the machine hits both.
    const rapportRuns: StartRun[] = [];
    const bareRuns: StartRun[] = [];
    for (let i = 0; i < ctx.options.starts; i++) {
      rapportRuns.push(await timeStart(RAPPORT, env, page, dataDir));
      bareRuns.push(await timeStart(BARE, env, page, dataDir));
      ctx.log(`start ${i + 1}/${ctx.options.starts}: rapport ${Math.round(rapportRuns.at(-1)?.readyMs ?? 0)} ms, bare ${Math.round(bareRuns.at(-1)?.readyMs ?? 0)} ms`);
    }
    const breakdown = await phases(env).catch((error: unknown) => {
      ctx.log(`! phase breakdown failed: ${String(error)}`);
      return undefined;
    });
    const imports = await importCost().catch((error: unknown) => {
      ctx.log(`! import diagnostic failed: ${String(error)}`);
      return undefined;
    });
    if (imports) ctx.log(`importing the ${imports.packages} server dependencies: ${imports.plainNodeMs} ms with plain node, ${imports.underTsxMs} ms under tsx`);

    const rapport = summarize(rapportRuns.map((run) => run.readyMs));
    const bare = summarize(bareRuns.map((run) => run.readyMs));
    const listening = summarize(rapportRuns.flatMap((run) => (run.listeningLogMs === undefined ? [] : [run.listeningLogMs])));
    const peakRss = Math.max(...rapportRuns.map((run) => run.rssMb ?? 0));
    const result: BenchResult = {
      name: 'startup',
      metric: `cold start to first ${page} 200, p50 of ${ctx.options.starts}`,
      value: round(rapport.p50, 0),
      unit: 'ms',
      ceiling: round(bare.p50, 0),
      ratio: round(bare.p50 / rapport.p50, 3),
      ratioDefinition: 'ceiling p50 ÷ rapport p50 (share of the bare start speed; 1 = as fast as bare)',
      p50: round(rapport.p50, 0),
      p95: round(rapport.p95, 0),
      p99: round(rapport.p99, 0),
      percentileUnit: 'ms',
      dataset: 'empty, migrated database (no workspace)',
      ...commonFields(ctx),
      target: TARGET,
      pass: meets(TARGET, rapport.p50, bare.p50 / rapport.p50),
      samples: rapportRuns.length,
      rssMb: peakRss > 0 ? round(peakRss, 1) : undefined,
      details: {
        page,
        pageNote,
        command: `node ${RAPPORT.join(' ')} (LOG_LEVEL=info, workers on)`,
        ceilingCommand: `node ${BARE.join(' ')}`,
        firstStartMs: round(first.readyMs, 0),
        ceilingFirstStartMs: round(bareFirst.readyMs, 0),
        rapportMs: roundSummary(rapport, 0),
        ceilingMs: roundSummary(bare, 0),
        listeningLogMs: roundSummary(listening, 0),
        shutdownMs: roundSummary(summarize(rapportRuns.map((run) => run.shutdownMs)), 0),
        runsMs: rapportRuns.map((run) => round(run.readyMs, 0)),
        ceilingRunsMs: bareRuns.map((run) => round(run.readyMs, 0)),
        rssAtReadyMb: rapportRuns.map((run) => (run.rssMb === undefined ? null : round(run.rssMb, 1))),
        ceilingRssAtReadyMb: bareRuns.map((run) => (run.rssMb === undefined ? null : round(run.rssMb, 1))),
        phasesMs: breakdown,
        phasesNote: 'one in-process replay of startServer (bench/servers/startup-phases.ts), for orientation only',
        importDiagnostic: imports,
        importDiagnosticNote: 'process start → all packages/server dependencies imported (bench/servers/import-deps.mjs), p50 of 3, plain node vs through run-ts (tsx loader hooks)',
      },
    };
    return result;
  },
};
