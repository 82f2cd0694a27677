import { Faker, base, en, ru } from '@faker-js/faker';
import type { ContactBody } from '@rapport/shared';
import { personEmail, personName, phoneInput, type RecordLocale } from '../dataset/people.js';
import type { Benchmark } from '../lib/benchmark.js';
import { runClientBaseBenchmark, type KindedRequest } from '../lib/client-base-bench.js';
import type { Target as PassTarget } from '../lib/results.js';

const TARGET: PassTarget = { field: 'ratio', op: '>=', threshold: 0.5 };
const BODIES = 3_000;
const JSON_HEADERS = { 'content-type': 'application/json' };

/** Ids and times are new on every create; everything else must match between Rapport and the ceiling. */
function withoutGenerated(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const { id: _id, createdAt: _created, updatedAt: _updated, ...rest } = body as Record<string, unknown>;
  return rest;
}

/**
 * Creating contacts as the card form does: POST /api/v1/contacts with a name, a mobile phone (in the formats people
 * type), an e-mail, often a position and a link to an existing company. Throughput at BENCH_CONNECTIONS against a
 * bare endpoint running the same transaction (session, country, custom fields, company check, insert, links, audit
 * entry, outbox event, re-read). Runs last: it adds contacts to the shared database.
 */
export const createContact: Benchmark = {
  name: 'create-contact',
  description: 'POST /api/v1/contacts: req/s vs bare Fastify + pg (same transaction)',
  run: (ctx) =>
    runClientBaseBenchmark(ctx, {
      name: 'create-contact',
      metric: `requests/s, POST /api/v1/contacts (${ctx.options.connections} connections)`,
      target: TARGET,
      mode: 'throughput',
      endpoint: 'POST /api/v1/contacts',
      async workload(sql, fixture) {
        const country = String((await sql('SELECT country FROM workspace WHERE id = $1', [fixture.workspaceId])).rows[0]?.country ?? 'US');
        const companies = (await sql("SELECT id, substring(website from '^https://(.*)$') AS domain FROM company WHERE workspace_id = $1 AND deleted_at IS NULL ORDER BY md5(id::text) LIMIT 500", [fixture.workspaceId])).rows as { id: string; domain: string | null }[];
        const fakers: Record<RecordLocale, Faker> = { en: new Faker({ locale: [en, base] }), ru: new Faker({ locale: [ru, en, base] }) };
        fakers.en.seed(7);
        fakers.ru.seed(8);
        const requests = Array.from({ length: BODIES }, (_, i): KindedRequest => {
          const locale: RecordLocale = i % 3 === 2 ? 'ru' : 'en';
          const faker = fakers[locale];
          const name = personName(faker, locale);
          const company = i % 5 < 3 ? companies[i % companies.length] : undefined;
          const body: ContactBody = {
            firstName: name.first,
            lastName: name.last,
            ...(name.middle ? { middleName: name.middle } : {}),
            ...(i % 2 === 0 ? { position: faker.person.jobTitle() } : {}),
            phones: [{ type: 'mobile', number: phoneInput(faker, locale, 'mobile', country) }],
            emails: [{ type: company ? 'work' : 'personal', email: personEmail(faker, name, locale, company?.domain ?? null) }],
            source: 'call',
            ...(company ? { companies: [{ companyId: company.id }] } : {}),
          };
          return { kind: 'new contact', method: 'POST', path: '/api/v1/contacts', body: JSON.stringify(body), headers: JSON_HEADERS };
        });
        return { requests, notes: { bodies: BODIES, bodiesNote: 'name (+ patronymic for some Russian names), mobile phone as typed, e-mail; 60 % linked to an existing company, 50 % with a position' } };
      },
      serve: (services, ctx, request) => services.contact.create(ctx, JSON.parse(request.body ?? '{}') as ContactBody),
      comparable: withoutGenerated,
    }),
};
