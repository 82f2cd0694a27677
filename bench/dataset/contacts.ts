import { type CONTACT_SOURCES } from '@rapport/shared';
import { newId } from '../../packages/server/src/infra/ids.js';
import { normalizeContactPoints, searchEmails, searchName, searchPhones } from '../../packages/server/src/modules/client-record/client-record.service.js';
import { insertJsonRows, loadInBatches } from './bulk.js';
import { pickTags, type CompanyPool } from './companies.js';
import type { ClientBaseContext } from './context.js';
import { asciiSlug, personEmail, personName, phoneInput, recentDate, weighted, type RecordLocale } from './people.js';

export const CONTACT_COLUMNS = [
  'workspace_id', 'id', 'first_name', 'middle_name', 'last_name', 'full_name', 'position', 'phones', 'emails', 'messengers', 'birthday', 'address',
  'source', 'email_opt_in', 'sms_opt_in', 'owner_id', 'team_id', 'tags', 'custom', 'search_name', 'search_phones', 'search_emails',
  'created_at', 'updated_at', 'created_by', 'updated_by', 'version', 'deleted_at', 'deleted_by',
] as const;
const LINK_COLUMNS = ['workspace_id', 'contact_id', 'company_id', 'role', 'is_primary', 'created_at'] as const;

const SOURCE_WEIGHTS: readonly (readonly [(typeof CONTACT_SOURCES)[number], number])[] = [
  ['website', 25],
  ['call', 15],
  ['email', 12],
  ['campaign', 10],
  ['referral', 10],
  ['lead', 13],
  ['import', 10],
  ['other', 5],
];
/** Share of contacts in the recycle bin: lists and search must skip them through their partial indexes. */
const DELETED_SHARE = 0.01;

/** As contact.service builds it: the non-empty parts joined by a space. */
const fullName = (first: string, middle: string | null, last: string | null) => [first, middle, last].filter((part) => part && part.trim() !== '').join(' ');

/**
 * A company for a contact: squared uniform draws favour the first companies, so a few have dozens of people and
 * most have one or two, as in a real base.
 */
const pickCompany = (ctx: ClientBaseContext, pool: CompanyPool) => Math.floor(ctx.faker.number.float({ min: 0, max: 1 }) ** 2 * pool.ids.length) % pool.ids.length;

/**
 * `count` contacts, most working at one of the generated companies (a few at two), with mobile and work phones,
 * work and personal e-mails, positions, birthdays and sources; names in the company's language (mostly).
 * Stored columns as contact.service fills them: full_name from the parts, phones/e-mails through
 * normalizeContactPoints in the workspace's country, search_name/search_phones/search_emails through the same helpers.
 */
export async function generateContacts(ctx: ClientBaseContext, count: number, companies: CompanyPool): Promise<{ links: number }> {
  let linkCount = 0;
  const positions: Record<RecordLocale, string[]> = {
    en: Array.from({ length: 400 }, () => ctx.fakers.en.person.jobTitle()),
    ru: Array.from({ length: 400 }, () => ctx.fakers.ru.person.jobTitle()),
  };
  const build = (start: number, end: number) => {
    const rows: Record<string, unknown>[] = [];
    const links: Record<string, unknown>[] = [];
    for (let i = start; i < end; i++) {
      const linked = companies.ids.length > 0 && ctx.faker.datatype.boolean(0.8);
      const companyIndex = linked ? pickCompany(ctx, companies) : -1;
      const companyLocale = companyIndex >= 0 ? companies.locales[companyIndex] : undefined;
      const locale: RecordLocale = companyLocale && ctx.faker.datatype.boolean(0.85) ? companyLocale : ctx.faker.datatype.boolean(0.7) ? ctx.locale : ctx.locale === 'ru' ? 'en' : 'ru';
      const faker = ctx.fakers[locale];
      const name = personName(faker, locale);
      const domain = companyIndex >= 0 ? (companies.domains[companyIndex] ?? null) : null;
      const phones = [
        ...(faker.datatype.boolean(0.85) ? [{ type: 'mobile' as const, number: phoneInput(faker, locale, 'mobile', ctx.country) }] : []),
        ...(faker.datatype.boolean(0.3) ? [{ type: 'work' as const, number: phoneInput(faker, locale, 'work', ctx.country) }] : []),
      ];
      const emails = [
        ...(faker.datatype.boolean(0.8) ? [{ type: domain ? ('work' as const) : ('personal' as const), email: personEmail(faker, name, locale, domain) }] : []),
        ...(domain && faker.datatype.boolean(0.15) ? [{ type: 'personal' as const, email: personEmail(faker, name, locale, null) }] : []),
      ];
      const points = normalizeContactPoints(phones, emails, ctx.country, true);
      ctx.stats.droppedPhones += points.kept.length;
      const companyOwner = companyIndex >= 0 ? companies.owners[companyIndex] : undefined;
      const owner = ctx.owners[companyOwner !== undefined && faker.datatype.boolean(0.85) ? companyOwner : faker.number.int({ min: 0, max: ctx.owners.length - 1 })]!;
      const position = faker.datatype.boolean(0.65) ? faker.helpers.arrayElement(positions[locale]) : null;
      const created = recentDate(faker, 3 * 365);
      const updated = recentDate(faker, 3 * 365, created);
      const deleted = faker.datatype.boolean(DELETED_SHARE) ? recentDate(faker, 90, updated) : null;
      const id = newId();
      rows.push({
        workspace_id: ctx.workspaceId,
        id,
        first_name: name.first,
        middle_name: name.middle,
        last_name: name.last,
        full_name: fullName(name.first, name.middle, name.last),
        position,
        phones: points.phones,
        emails: points.emails,
        messengers: faker.datatype.boolean(0.1) ? [{ type: 'telegram', handle: `@${asciiSlug(`${name.first} ${name.last}`, '_')}` }] : [],
        birthday: faker.datatype.boolean(0.25) ? faker.date.birthdate({ mode: 'age', min: 20, max: 70 }).toISOString().slice(0, 10) : null,
        address: faker.datatype.boolean(0.1) ? faker.location.streetAddress() : null,
        source: faker.datatype.boolean(0.9) ? weighted(faker, SOURCE_WEIGHTS) : null,
        email_opt_in: faker.datatype.boolean(0.4),
        sms_opt_in: faker.datatype.boolean(0.15),
        owner_id: owner.userId,
        team_id: owner.teamId,
        tags: pickTags(faker, 0.1),
        custom: {},
        search_name: searchName(name.first, name.middle, name.last),
        search_phones: searchPhones(points.phones),
        search_emails: searchEmails(points.emails),
        created_at: created.toISOString(),
        updated_at: (deleted ?? updated).toISOString(),
        created_by: owner.userId,
        updated_by: owner.userId,
        version: deleted ? 2 : 1,
        deleted_at: deleted?.toISOString() ?? null,
        deleted_by: deleted ? owner.userId : null,
      });
      if (companyIndex >= 0) {
        links.push({ workspace_id: ctx.workspaceId, contact_id: id, company_id: companies.ids[companyIndex], role: position, is_primary: true, created_at: created.toISOString() });
        if (faker.datatype.boolean(0.08)) {
          const second = pickCompany(ctx, companies);
          if (second !== companyIndex) links.push({ workspace_id: ctx.workspaceId, contact_id: id, company_id: companies.ids[second], role: null, is_primary: false, created_at: created.toISOString() });
        }
      }
    }
    return { rows, links };
  };
  await loadInBatches(
    count,
    build,
    async (batch) => {
      await insertJsonRows(ctx.db, 'contact', CONTACT_COLUMNS, batch.rows);
      await insertJsonRows(ctx.db, 'contact_company', LINK_COLUMNS, batch.links);
      linkCount += batch.links.length;
    },
    (done) => ctx.progress('contacts', done, count),
  );
  return { links: linkCount };
}
