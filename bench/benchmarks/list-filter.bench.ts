import type { RecordListQuery } from '@rapport/shared';
import { RECORD_TAGS } from '../dataset/companies.js';
import type { Benchmark } from '../lib/benchmark.js';
import { interleave, runClientBaseBenchmark, type KindedRequest } from '../lib/client-base-bench.js';
import type { Target as PassTarget } from '../lib/results.js';

const TARGET: PassTarget = { field: 'value', op: '<=', threshold: 25 };
/** The list page's page size. */
const LIMIT = 50;
const PER_KIND = 40;

const listPath = (filter: unknown, sort?: string) => `/api/v1/contacts?${new URLSearchParams({ limit: String(LIMIT), filter: JSON.stringify(filter), ...(sort ? { sort } : {}) }).toString()}`;
const repeat = <T>(values: readonly T[], count: number) => Array.from({ length: count }, (_, i) => values[i % values.length]!);

/**
 * The contacts list with the filters people use, each with the sort it is usually seen in (the page's default is
 * "recently updated first"): by source, "my contacts" (owner), by the company's industry sorted by name, tagged and
 * recent sorted by creation, the people of one company (the company card's list) and a name fragment. Every request
 * is the page the list shows first: 50 rows, the capped total and the rows' owners and companies.
 */
export const listFilter: Benchmark = {
  name: 'list-filter',
  description: 'GET /api/v1/contacts?filter=…&sort=… (6 common filters): p95 vs bare Fastify + pg',
  run: (ctx) =>
    runClientBaseBenchmark(ctx, {
      name: 'list-filter',
      metric: `p95 latency, GET /api/v1/contacts with a filter, first page of ${LIMIT} (${ctx.options.latencyConnections} connections)`,
      target: TARGET,
      mode: 'latency',
      endpoint: 'GET /api/v1/contacts?limit=50&filter=…[&sort=…]',
      async workload(sql, fixture) {
        const ws = [fixture.workspaceId];
        const owners = (await sql('SELECT owner_id FROM contact WHERE workspace_id = $1 AND deleted_at IS NULL GROUP BY owner_id ORDER BY md5(owner_id::text) LIMIT 10', ws)).rows.map((row) => String(row.owner_id));
        const industries = (await sql('SELECT industry FROM company WHERE workspace_id = $1 AND industry IS NOT NULL GROUP BY industry ORDER BY count(*) DESC LIMIT 8', ws)).rows.map((row) => String(row.industry));
        const companies = (await sql('SELECT company_id FROM contact_company WHERE workspace_id = $1 GROUP BY company_id ORDER BY md5(company_id::text) LIMIT $2', [fixture.workspaceId, PER_KIND])).rows.map((row) => String(row.company_id));
        const fragments = (await sql('SELECT DISTINCT ON (md5(f)) f FROM (SELECT lower(left(last_name, 4)) AS f FROM contact WHERE workspace_id = $1 AND length(last_name) >= 4 LIMIT 20000) s ORDER BY md5(f) LIMIT $2', [fixture.workspaceId, PER_KIND])).rows.map((row) => String(row.f));
        const newest = (await sql('SELECT max(created_at) AS at FROM contact WHERE workspace_id = $1', ws)).rows[0]?.at as Date | undefined;
        const since = new Date((newest ?? new Date()).getTime() - 180 * 86_400_000).toISOString().slice(0, 10);
        const kinds: KindedRequest[][] = [
          repeat(['website', 'call', 'email', 'referral'], PER_KIND).map((source) => ({ kind: 'source (recently updated first)', path: listPath({ field: 'source', op: 'eq', value: source }) })),
          repeat(owners, PER_KIND).map((owner) => ({ kind: 'owner (recently updated first)', path: listPath({ field: 'ownerId', op: 'eq', value: owner }) })),
          repeat(industries, PER_KIND).map((industry) => ({ kind: 'company industry (by name)', path: listPath({ field: 'company.industry', op: 'eq', value: industry }, 'name') })),
          repeat(RECORD_TAGS, PER_KIND).map((tag) => ({ kind: 'tag + created since (newest first)', path: listPath({ and: [{ field: 'tags', op: 'eq', value: tag }, { field: 'createdAt', op: 'gte', value: since }] }, '-createdAt') })),
          repeat(companies, PER_KIND).map((company) => ({ kind: "one company's people (by name)", path: listPath({ field: 'companyId', op: 'eq', value: company }, 'name') })),
          repeat(fragments, PER_KIND).map((fragment) => ({ kind: 'name contains (by name)', path: listPath({ field: 'name', op: 'contains', value: fragment }, 'name') })),
        ];
        return { requests: interleave(kinds), notes: { pageSize: LIMIT, createdSince: since, kindsNote: 'six filters in equal shares, round-robin; parameters drawn from the data (owners, industries, companies with people, 4-letter last-name fragments)' } };
      },
      async serve(services, ctx, request) {
        const params = new URL(request.path, 'http://bench').searchParams;
        const query: RecordListQuery = { limit: Number(params.get('limit') ?? LIMIT), ...(params.get('filter') ? { filter: params.get('filter')! } : {}), ...(params.get('sort') ? { sort: params.get('sort')! } : {}) };
        const { page } = await services.records.list(ctx, 'contact', query);
        return services.contact.toContacts(page.items, ctx.actor.workspaceId);
      },
    }),
};
