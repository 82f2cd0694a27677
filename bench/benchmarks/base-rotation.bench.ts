import type { Benchmark } from '../lib/benchmark.js';
import { ACTIVITY_CEILING, interleave, runClientBaseBenchmark, type KindedRequest } from '../lib/client-base-bench.js';
import type { Target as PassTarget } from '../lib/results.js';

const TARGET: PassTarget = { field: 'value', op: '<=', threshold: 100 };
/** "No interaction in 90 days", the first page as the rotation page loads it (packages/web/src/features/rotation). */
const DAYS = 90;
const LIMIT = 50;
const PER_KIND = 40;
const OWNERS = 10;

const rotationPath = (object: 'contact' | 'company', ownerId?: string) =>
  `/api/v1/rotation?${new URLSearchParams({ object, days: String(DAYS), ...(ownerId ? { ownerId } : {}), limit: String(LIMIT) }).toString()}`;

/**
 * Base rotation: GET /api/v1/rotation?object=…&days=90&limit=50, records nobody has interacted with for 90 days (by
 * last_activity_at, kept from the activities), never-contacted first: contacts, contacts of one owner (the owner
 * filter of the page), and companies, in equal shares.
 */
export const baseRotation: Benchmark = {
  name: 'base-rotation',
  description: 'GET /api/v1/rotation?days=90 (contacts, one owner\'s contacts, companies): p95 vs bare Fastify + pg',
  run: (ctx) =>
    runClientBaseBenchmark(ctx, {
      name: 'base-rotation',
      metric: `p95 latency, GET /api/v1/rotation?days=${DAYS}, first page of ${LIMIT} (${ctx.options.latencyConnections} connections)`,
      target: TARGET,
      mode: 'latency',
      endpoint: `GET /api/v1/rotation?object=contact|company&days=${DAYS}[&ownerId=…]&limit=${LIMIT}`,
      base: 'activities',
      ceiling: ACTIVITY_CEILING,
      async workload(sql, fixture) {
        const owners = (await sql('SELECT owner_id FROM contact WHERE workspace_id = $1 AND deleted_at IS NULL GROUP BY owner_id ORDER BY md5(owner_id::text) LIMIT $2', [fixture.workspaceId, OWNERS])).rows.map((row) => String(row.owner_id));
        const repeat = (make: (i: number) => KindedRequest) => Array.from({ length: PER_KIND }, (_, i) => make(i));
        const kinds = [
          repeat(() => ({ kind: 'contacts', path: rotationPath('contact') })),
          repeat((i) => ({ kind: "one owner's contacts", path: rotationPath('contact', owners[i % owners.length]) })),
          repeat(() => ({ kind: 'companies', path: rotationPath('company') })),
        ];
        return { requests: interleave(kinds), notes: { days: DAYS, pageSize: LIMIT, owners: owners.length, kindsNote: `contacts, contacts of one of ${owners.length} owners, companies; round-robin` } };
      },
      serve(services, ctx, request) {
        const params = new URL(request.path, 'http://bench').searchParams;
        const ownerId = params.get('ownerId');
        return services.rotation.list(ctx, { object: params.get('object') as 'contact' | 'company', days: DAYS, limit: LIMIT, ...(ownerId ? { ownerId } : {}) });
      },
    }),
};
