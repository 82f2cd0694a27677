import type { Benchmark } from '../lib/benchmark.js';
import { runClientBaseBenchmark, type KindedRequest } from '../lib/client-base-bench.js';
import type { Target as PassTarget } from '../lib/results.js';

const TARGET: PassTarget = { field: 'value', op: '<=', threshold: 25 };
/** Distinct cards opened: more than the windows request, so most opens read rows not touched before. */
const CARDS = 5_000;

/**
 * Opening a contact card: GET /api/v1/contacts/:id for random contacts of the whole base (the card's main request;
 * its timeline is a separate one). Rapport vs a bare endpoint running the same four statements.
 */
export const cardOpen: Benchmark = {
  name: 'card-open',
  description: 'GET /api/v1/contacts/:id on random contacts: p95 vs bare Fastify + pg',
  run: (ctx) =>
    runClientBaseBenchmark(ctx, {
      name: 'card-open',
      metric: `p95 latency, GET /api/v1/contacts/:id, random contacts (${ctx.options.latencyConnections} connections)`,
      target: TARGET,
      mode: 'latency',
      endpoint: 'GET /api/v1/contacts/:id',
      async workload(sql, fixture) {
        // md5 of the id: a random order that is the same in every run on the same data.
        const { rows } = await sql('SELECT id FROM contact WHERE workspace_id = $1 AND deleted_at IS NULL ORDER BY md5(id::text) LIMIT $2', [fixture.workspaceId, CARDS]);
        const requests = rows.map((row): KindedRequest => ({ kind: 'contact card', path: `/api/v1/contacts/${String(row.id)}` }));
        return { requests, notes: { cards: requests.length, cardsNote: 'random live contacts (ORDER BY md5(id)), each opened about once per side' } };
      },
      serve: (services, ctx, request) => services.contact.get(ctx, request.path.split('/').at(-1) ?? ''),
    }),
};
