import type { Benchmark } from '../lib/benchmark.js';
import { interleave, runClientBaseBenchmark, type KindedRequest } from '../lib/client-base-bench.js';
import type { Target as PassTarget } from '../lib/results.js';

const TARGET: PassTarget = { field: 'value', op: '<=', threshold: 50 };
/** The Ctrl+K palette asks for 6 hits per object. */
const LIMIT = 6;
const PEOPLE = 200;

const searchPath = (q: string) => `/api/v1/search?${new URLSearchParams({ q, limit: String(LIMIT) }).toString()}`;

/** A slip of the keyboard: two neighbouring letters swapped in the middle of the word. */
function typo(word: string): string {
  if (word.length < 5) return word;
  const i = Math.floor(word.length / 2) - 1;
  return `${word.slice(0, i)}${word.charAt(i + 1)}${word.charAt(i)}${word.slice(i + 2)}`;
}

/**
 * Global search (GET /api/v1/search?q=…&limit=6, what the Ctrl+K palette sends) with a mix of queries drawn from the
 * data: half names (full name, last name, the first letters of a last name as typed, a last name with a typo, a
 * company's name), a quarter phones (as they were typed or in E.164), a quarter e-mails.
 */
export const search: Benchmark = {
  name: 'search',
  description: 'GET /api/v1/search?q=… (names, phones, e-mails): p95 vs bare Fastify + pg',
  run: (ctx) =>
    runClientBaseBenchmark(ctx, {
      name: 'search',
      metric: `p95 latency, GET /api/v1/search, mixed name/phone/e-mail queries (${ctx.options.latencyConnections} connections)`,
      target: TARGET,
      mode: 'latency',
      endpoint: 'GET /api/v1/search?q=…&limit=6',
      async workload(sql, fixture) {
        const people = (
          await sql(
            `SELECT first_name, last_name, phones, search_emails FROM contact
             WHERE workspace_id = $1 AND deleted_at IS NULL AND last_name IS NOT NULL AND cardinality(search_phones) > 0 AND cardinality(search_emails) > 0
             ORDER BY md5(id::text) LIMIT $2`,
            [fixture.workspaceId, PEOPLE],
          )
        ).rows as { first_name: string; last_name: string; phones: { number: string; e164: string }[]; search_emails: string[] }[];
        const companies = (await sql('SELECT name FROM company WHERE workspace_id = $1 AND deleted_at IS NULL ORDER BY md5(id::text) LIMIT $2', [fixture.workspaceId, PEOPLE / 4])).rows.map((row) => String(row.name));
        const names: KindedRequest[] = people.map((person, i) => {
          const forms = [`${person.first_name} ${person.last_name}`, person.last_name, person.last_name.slice(0, Math.max(4, Math.ceil(person.last_name.length * 0.6))), typo(person.last_name), companies[i % companies.length] ?? person.last_name];
          return { kind: 'name', path: searchPath(forms[i % forms.length]!) };
        });
        const phones = people.map((person, i): KindedRequest => {
          const phone = person.phones[0]!;
          return { kind: 'phone', path: searchPath(i % 2 === 0 ? phone.number : phone.e164) };
        });
        const emails = people.map((person, i): KindedRequest => {
          const email = person.search_emails[0]!;
          return { kind: 'email', path: searchPath(i % 3 === 0 ? email.replace(/^./, (c) => c.toUpperCase()) : email) };
        });
        const half = Math.ceil(names.length / 2);
        return {
          requests: interleave([names.slice(0, half), phones, names.slice(half), emails]),
          notes: { mix: '50 % names (full name, last name, last-name prefix, last name with a typo, company name), 25 % phones (as typed, E.164), 25 % e-mails', limit: LIMIT },
        };
      },
      serve: (services, ctx, request) => {
        const params = new URL(request.path, 'http://bench').searchParams;
        return services.records.search(ctx, params.get('q') ?? '', Number(params.get('limit') ?? LIMIT));
      },
    }),
};
