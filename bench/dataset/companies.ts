import type { Faker } from '@faker-js/faker';
import { type COMPANY_KINDS } from '@rapport/shared';
import { newId } from '../../packages/server/src/infra/ids.js';
import { normalizeContactPoints, searchEmails, searchName, searchPhones } from '../../packages/server/src/modules/client-record/client-record.service.js';
import { insertJsonRows, loadInBatches } from './bulk.js';
import type { ClientBaseContext } from './context.js';
import { asciiSlug, phoneInput, recentDate, weighted, type RecordLocale } from './people.js';

/** What contacts need to know about the companies generated before them. */
export interface CompanyPool {
  ids: string[];
  locales: RecordLocale[];
  domains: string[];
  /** Index into ClientBaseContext.owners. */
  owners: number[];
}

export const INDUSTRIES: Record<RecordLocale, readonly string[]> = {
  en: ['Retail', 'Manufacturing', 'Software', 'Construction', 'Logistics', 'Healthcare', 'Finance', 'Education', 'Agriculture', 'Energy', 'Telecommunications', 'Hospitality', 'Real estate', 'Media', 'Automotive'],
  ru: ['Розничная торговля', 'Производство', 'ИТ', 'Строительство', 'Логистика', 'Медицина', 'Финансы', 'Образование', 'Сельское хозяйство', 'Энергетика', 'Телеком', 'Гостиничный бизнес', 'Недвижимость', 'Медиа', 'Автомобили'],
};
export const RECORD_TAGS = ['vip', 'key-account', 'partner-program', 'churn-risk', 'newsletter', 'event-2026'] as const;

const KIND_WEIGHTS: readonly (readonly [(typeof COMPANY_KINDS)[number], number])[] = [
  ['prospect', 50],
  ['customer', 30],
  ['partner', 10],
  ['supplier', 7],
  ['competitor', 3],
];
const RU_FORMS = /^(ООО|ОАО|ЗАО|ПАО|АО|AO|ИП|НКО|ТСЖ|ОП|МУП|ФГУП)\s+/;

export const COMPANY_COLUMNS = [
  'workspace_id', 'id', 'name', 'legal_name', 'kind', 'industry', 'vat', 'inn', 'kpp', 'ogrn', 'legal_address', 'actual_address', 'phones', 'emails',
  'website', 'parent_id', 'status', 'owner_id', 'team_id', 'tags', 'custom', 'search_name', 'search_phones', 'search_emails', 'search_tax_ids',
  'created_at', 'updated_at', 'created_by', 'updated_by', 'version',
] as const;

export const pickTags = (faker: Faker, share: number): string[] => (faker.datatype.boolean(share) ? faker.helpers.arrayElements(RECORD_TAGS, { min: 1, max: 2 }) : []);

/**
 * `count` companies, both Russian (legal form, INN/KPP/OGRN) and English (some with a VAT number), spread over the
 * active users; a few are branches of another. Stored columns are filled as company.service fills them on create:
 * phones and e-mails through normalizeContactPoints in the workspace's country, search_* through the same helpers,
 * search_tax_ids = [inn, vat, ogrn].
 */
export async function generateCompanies(ctx: ClientBaseContext, count: number): Promise<CompanyPool> {
  const pool: CompanyPool = { ids: [], locales: [], domains: [], owners: [] };
  const industries = INDUSTRIES[ctx.locale];
  const build = (start: number, end: number) => {
    const rows: Record<string, unknown>[] = [];
    for (let i = start; i < end; i++) {
      const locale: RecordLocale = ctx.faker.datatype.boolean(0.7) ? ctx.locale : ctx.locale === 'ru' ? 'en' : 'ru';
      const faker = ctx.fakers[locale];
      let name = faker.company.name();
      let legalName: string | null = null;
      if (locale === 'ru') {
        const form = RU_FORMS.exec(name);
        if (form) {
          name = name.slice(form[0].length);
          legalName = `${form[1] === 'AO' ? 'АО' : form[1]} «${name}»`;
        }
      } else if (faker.datatype.boolean(0.4)) {
        legalName = /\b(Inc|LLC|Group)$/.test(name) ? name : `${name}, Inc.`;
      }
      const domain = `${asciiSlug(name, '-').slice(0, 40) || 'company'}${locale === 'ru' ? '.ru' : '.com'}`;
      const inn = locale === 'ru' ? `${faker.number.int({ min: 10, max: 99 })}${String(faker.number.int({ min: 0, max: 99_999_999 })).padStart(8, '0')}` : null;
      const vat = locale === 'en' && faker.datatype.boolean(0.2) ? `GB${String(faker.number.int({ min: 100_000_000, max: 999_999_999 }))}` : null;
      const ogrn = inn ? `1${faker.number.int({ min: 10, max: 99 })}${String(faker.number.int({ min: 0, max: 9_999_999_999 })).padStart(10, '0')}` : null;
      const phones = Array.from({ length: weighted(faker, [[0, 15], [1, 70], [2, 15]] as const) }, () => ({ type: 'work' as const, number: phoneInput(faker, locale, 'work', ctx.country) }));
      const emails = faker.datatype.boolean(0.6) ? [{ type: 'work' as const, email: `${faker.helpers.arrayElement(['info', 'sales', 'office', 'hello'])}@${domain}` }] : [];
      const points = normalizeContactPoints(phones, emails, ctx.country, true);
      ctx.stats.droppedPhones += points.kept.length;
      const ownerIndex = faker.number.int({ min: 0, max: ctx.owners.length - 1 });
      const owner = ctx.owners[ownerIndex]!;
      const created = recentDate(faker, 3 * 365);
      const updated = recentDate(faker, 3 * 365, created);
      const id = newId();
      // Branches point at an earlier company (the same statement or an earlier one, so the foreign key holds).
      const parentId = i > 0 && faker.datatype.boolean(0.04) ? (pool.ids[faker.number.int({ min: 0, max: i - 1 })] ?? null) : null;
      const address = () => (locale === 'ru' ? `${faker.location.city()}, ${faker.location.streetAddress()}` : `${faker.location.streetAddress()}, ${faker.location.city()}`);
      rows.push({
        workspace_id: ctx.workspaceId,
        id,
        name,
        legal_name: legalName,
        kind: weighted(faker, KIND_WEIGHTS),
        industry: faker.datatype.boolean(0.85) ? faker.helpers.arrayElement(industries) : null,
        vat,
        inn,
        kpp: inn ? `${inn.slice(0, 4)}01001` : null,
        ogrn,
        legal_address: inn && faker.datatype.boolean(0.5) ? address() : null,
        actual_address: faker.datatype.boolean(0.4) ? address() : null,
        phones: points.phones,
        emails: points.emails,
        website: faker.datatype.boolean(0.7) ? `https://${domain}` : null,
        parent_id: parentId,
        status: faker.datatype.boolean(0.9) ? 'active' : 'inactive',
        owner_id: owner.userId,
        team_id: owner.teamId,
        tags: pickTags(faker, 0.12),
        custom: {},
        search_name: searchName(name, legalName),
        search_phones: searchPhones(points.phones),
        search_emails: searchEmails(points.emails),
        search_tax_ids: [inn, vat, ogrn].filter((value): value is string => !!value),
        created_at: created.toISOString(),
        updated_at: updated.toISOString(),
        created_by: owner.userId,
        updated_by: owner.userId,
        version: 1,
      });
      pool.ids.push(id);
      pool.locales.push(locale);
      pool.domains.push(domain);
      pool.owners.push(ownerIndex);
    }
    return rows;
  };
  await loadInBatches(count, build, (rows) => insertJsonRows(ctx.db, 'company', COMPANY_COLUMNS, rows), (done) => ctx.progress('companies', done, count));
  return pool;
}
