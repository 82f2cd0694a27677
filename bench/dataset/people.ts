import type { Faker } from '@faker-js/faker';
import type { Locale } from '@rapport/shared';

/** Client records come in both languages whatever the workspace's: Russian and English names, phones, companies. */
export type RecordLocale = Locale;

export interface PersonName {
  first: string;
  middle: string | null;
  last: string;
}

/** A person's name as people enter it: Russians mostly with a patronymic, the English without a middle name. */
export function personName(faker: Faker, locale: RecordLocale): PersonName {
  const sex = faker.datatype.boolean() ? 'male' : 'female';
  const first = faker.person.firstName(sex);
  const last = faker.person.lastName(sex);
  if (locale === 'ru') return { first, middle: faker.datatype.boolean(0.7) ? faker.person.middleName(sex) : null, last };
  return { first, middle: null, last };
}

const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o',
  п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** Lower-case ASCII for e-mail addresses and domains (Russian names are transliterated, as people do). */
export function asciiSlug(text: string, separator = ''): string {
  const latin = Array.from(text.toLowerCase(), (char) => CYRILLIC[char] ?? char).join('');
  return latin
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/\s+/g, separator);
}

const FREE_MAIL: Record<RecordLocale, readonly string[]> = {
  en: ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'hotmail.com', 'proton.me'],
  ru: ['yandex.ru', 'mail.ru', 'gmail.com', 'bk.ru', 'inbox.ru', 'list.ru'],
};

/** A work address at the company's domain, or a personal one (with a number, as free mail needs) elsewhere. */
export function personEmail(faker: Faker, name: PersonName, locale: RecordLocale, domain: string | null): string {
  const first = asciiSlug(name.first) || 'client';
  const last = asciiSlug(name.last) || 'person';
  if (domain) {
    return faker.helpers.arrayElement([`${first}.${last}@${domain}`, `${first.charAt(0)}.${last}@${domain}`, `${last}@${domain}`, `${first}@${domain}`]);
  }
  const number = faker.number.int({ min: 1, max: 9999 });
  const local = faker.helpers.arrayElement([`${first}.${last}${number}`, `${first}${last}${number}`, `${last}.${first}${number}`, `${first.charAt(0)}${last}${number}`]);
  return `${local}@${faker.helpers.arrayElement(FREE_MAIL[locale])}`;
}

// Area codes libphonenumber accepts for the US (it validates them); exchanges avoid 555 and N11.
const US_AREAS = [201, 202, 206, 212, 213, 214, 215, 303, 305, 310, 312, 404, 415, 469, 503, 512, 602, 617, 646, 702, 713, 718, 773, 786, 818, 917, 929];
const RU_CITY_CODES = [495, 499, 812, 343, 383, 846, 861, 863];

const digits = (faker: Faker, count: number) => String(faker.number.int({ min: 0, max: 10 ** count - 1 })).padStart(count, '0');

/**
 * A phone as a user types it into the card: international or, for the workspace's own country, local formats.
 * The generator then normalises it with the server's own code, exactly as a create request would.
 */
export function phoneInput(faker: Faker, locale: RecordLocale, kind: 'mobile' | 'work', workspaceCountry: string): string {
  if (locale === 'ru') {
    const code = kind === 'mobile' ? `9${digits(faker, 2)}` : String(faker.helpers.arrayElement(RU_CITY_CODES));
    const rest = `${digits(faker, 3)}-${digits(faker, 2)}-${digits(faker, 2)}`;
    const formats = [`+7 (${code}) ${rest}`, `+7${code}${rest.replace(/-/g, '')}`, `+7 ${code} ${rest.replace(/-/g, ' ')}`];
    if (workspaceCountry === 'RU') formats.push(`8 (${code}) ${rest}`, `8${code}${rest.replace(/-/g, '')}`);
    return faker.helpers.arrayElement(formats);
  }
  const area = faker.helpers.arrayElement(US_AREAS);
  let exchange = faker.number.int({ min: 200, max: 999 });
  if (exchange === 555 || exchange % 100 === 11) exchange += 1;
  const line = digits(faker, 4);
  const formats = [`+1 ${area} ${exchange} ${line}`, `+1 (${area}) ${exchange}-${line}`];
  if (workspaceCountry === 'US') formats.push(`(${area}) ${exchange}-${line}`, `${area}-${exchange}-${line}`, `${area}.${exchange}.${line}`);
  return faker.helpers.arrayElement(formats);
}

/** A date within the last `days` days, skewed towards the recent past. */
export function recentDate(faker: Faker, days: number, notBefore?: Date): Date {
  const now = Date.now();
  const from = Math.max(notBefore?.getTime() ?? 0, now - days * 86_400_000);
  const share = faker.number.float({ min: 0, max: 1 }) ** 2;
  return new Date(now - share * (now - from));
}

/** Picks with the given weights (need not sum to 1). */
export function weighted<T>(faker: Faker, options: readonly (readonly [T, number])[]): T {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = faker.number.float({ min: 0, max: total });
  for (const [value, weight] of options) {
    roll -= weight;
    if (roll <= 0) return value;
  }
  return options[options.length - 1]![0];
}
