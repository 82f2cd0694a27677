import type { Benchmark } from '../lib/benchmark.js';
import { ACTIVITY_CEILING, interleave, runClientBaseBenchmark, type KindedRequest } from '../lib/client-base-bench.js';
import type { Target as PassTarget } from '../lib/results.js';

const TARGET: PassTarget = { field: 'value', op: '<=', threshold: 25 };
/** The timeline's page as the card asks for it (packages/web/src/features/timeline/use-timeline.ts). */
const LIMIT = 30;
/** Cards of each kind: more than the windows request, so most timelines read rows not touched before. */
const PER_KIND = 2_500;

const timelinePath = (id: unknown) => `/api/v1/timeline/contact/${String(id)}?limit=${LIMIT}`;

/**
 * A contact card's timeline: GET /api/v1/timeline/contact/:id?limit=30, the card's second request (the first is
 * card-open's). Half the cards are any live contact (over a quarter have no activity yet), half are drawn through random
 * activities, so busy contacts come up as often as people work with them.
 */
export const timeline: Benchmark = {
  name: 'timeline',
  description: 'GET /api/v1/timeline/contact/:id?limit=30 (card timeline): p95 vs bare Fastify + pg',
  run: (ctx) =>
    runClientBaseBenchmark(ctx, {
      name: 'timeline',
      metric: `p95 latency, GET /api/v1/timeline/contact/:id?limit=${LIMIT}, random contacts (${ctx.options.latencyConnections} connections)`,
      target: TARGET,
      mode: 'latency',
      endpoint: `GET /api/v1/timeline/contact/:id?limit=${LIMIT}`,
      base: 'activities',
      ceiling: ACTIVITY_CEILING,
      async workload(sql, fixture) {
        // md5 of the id and a seeded sample: the same cards in every run on the same data.
        const any = await sql('SELECT id FROM contact WHERE workspace_id = $1 AND deleted_at IS NULL ORDER BY md5(id::text) LIMIT $2', [fixture.workspaceId, PER_KIND]);
        const active = await sql(
          `SELECT DISTINCT ON (md5(l.subject_id::text)) l.subject_id AS id
           FROM activity_link l TABLESAMPLE BERNOULLI (0.1) REPEATABLE (2026)
           JOIN contact c ON c.workspace_id = l.workspace_id AND c.id = l.subject_id AND c.deleted_at IS NULL
           WHERE l.workspace_id = $1 AND l.subject_type = 'contact' ORDER BY md5(l.subject_id::text) LIMIT $2`,
          [fixture.workspaceId, PER_KIND],
        );
        const requests = interleave([
          any.rows.map((row): KindedRequest => ({ kind: 'any contact', path: timelinePath(row.id) })),
          active.rows.map((row): KindedRequest => ({ kind: 'contact drawn by activity', path: timelinePath(row.id) })),
        ]);
        return { requests, notes: { pageSize: LIMIT, kindsNote: 'any live contact (ORDER BY md5(id)) and contacts of a 0.1 % sample of activity links (busy contacts as often as they are worked with), alternating' } };
      },
      serve: (services, ctx, request) => services.timeline.list(ctx, 'contact', new URL(request.path, 'http://bench').pathname.split('/').at(-1) ?? '', { limit: LIMIT }),
    }),
};
